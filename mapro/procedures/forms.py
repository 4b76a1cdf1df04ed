"""Task forms: validating submitted data against an activity's JSON Schema form.

The form subset is described in docs/ficha-format.md. Validation is JSON Schema Draft 2020-12
(jsonschema) with format checks for ``date``, ``date-time``, ``email``, ``dni`` (8 digits, the
rule of a person's DNI) and ``unit`` (the code of an active unit of organization); on top of
the schema, fields the form does not declare are rejected (at every object level) and a
required text field left blank counts as missing. Errors come back as Spanish messages keyed
by field (``{"oficio": ["Este campo es obligatorio."]}``; nested fields as ``lista.0.campo``).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Hashable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from mapro.core.caches import BoundedCache
from mapro.core.exceptions import InvalidInput

_format_checker = FormatChecker(formats=())


@_format_checker.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    datetime.date.fromisoformat(value)
    return len(value) == 10


@_format_checker.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.datetime.fromisoformat(value)
    return "T" in value.upper() and parsed is not None


@_format_checker.checks("email", raises=ValueError)
def _is_email(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        validate_email(value)
    except DjangoValidationError as exc:
        raise ValueError(str(exc)) from exc
    return True


@_format_checker.checks("unit", raises=ValueError)
def _is_unit(value: object) -> bool:
    """A unit field holds the code of an active unit of organization (routing.py)."""
    if not isinstance(value, str) or not value:  # blank: "required" speaks for it
        return True
    from mapro.organization.models import Unit

    if not Unit.objects.filter(code=value, is_active=True).exists():
        raise ValueError(value)
    return True


@_format_checker.checks("dni", raises=ValueError)
def _is_dni(value: object) -> bool:
    """A DNI field: the same rule as a person's DNI in the organization register."""
    if not isinstance(value, str) or not value:  # blank: "required" speaks for it
        return True
    from mapro.organization.models.people import dni_validator

    try:
        dni_validator(value)
    except DjangoValidationError as exc:
        raise ValueError(value) from exc
    return True


_TYPE_NAMES = {
    "string": "un texto",
    "number": "un número",
    "integer": "un número entero",
    "boolean": "sí o no (verdadero/falso)",
    "array": "una lista",
    "object": "un objeto",
}

_FORMAT_MESSAGES = {
    "date": "Indique una fecha válida (AAAA-MM-DD).",
    "date-time": "Indique una fecha y hora válidas (AAAA-MM-DDTHH:MM).",
    "email": "Indique una dirección de correo válida (nombre@dominio.gob.pe).",
    "unit": "Elija una unidad de organización activa (por su sigla).",
    "dni": "El DNI debe tener exactamente 8 dígitos.",
}

REQUIRED_MESSAGE = "Este campo es obligatorio."
UNKNOWN_MESSAGE = "Campo no reconocido en este formulario."


def _closed(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` where every object level rejects undeclared properties."""
    schema = copy.deepcopy(schema)

    def close(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if node.get("type") == "object" or "properties" in node:
            node.setdefault("properties", {})
            node["additionalProperties"] = False
            for prop in node["properties"].values():
                close(prop)
        if isinstance(node.get("items"), dict):
            close(node["items"])

    close(schema)
    return schema


def _field(path: list[Any]) -> str:
    return ".".join(str(p) for p in path) or "__all__"


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(field, Spanish message) pairs for one jsonschema error."""
    path = list(error.absolute_path)
    kind = error.validator
    value = error.validator_value
    instance = error.instance
    if kind == "required":
        missing = [f for f in value if not isinstance(instance, dict) or f not in instance]
        return [(_field([*path, f]), REQUIRED_MESSAGE) for f in missing]
    if kind == "additionalProperties":
        declared = set(error.schema.get("properties", {}))
        extra = [f for f in instance if f not in declared] if isinstance(instance, dict) else []
        return [(_field([*path, f]), UNKNOWN_MESSAGE) for f in sorted(extra)]
    if kind == "type":
        names = value if isinstance(value, list) else [value]
        wanted = " o ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
        return [(_field(path), f"Debe ser {wanted}.")]
    if kind == "maxLength":
        return [(_field(path), f"Escriba como máximo {value} caracteres.")]
    if kind == "minLength":
        return [(_field(path), f"Escriba al menos {value} caracteres.")]
    if kind == "minimum":
        return [(_field(path), f"Debe ser mayor o igual que {value}.")]
    if kind == "maximum":
        return [(_field(path), f"Debe ser menor o igual que {value}.")]
    if kind == "format":
        return [(_field(path), _FORMAT_MESSAGES.get(value, "El formato no es válido."))]
    if kind in {"oneOf", "anyOf", "enum", "const"}:
        schema = error.schema if isinstance(error.schema, dict) else {}
        consts = [o.get("const") for o in schema.get("oneOf", []) if isinstance(o, dict)]
        options = [str(o) for o in consts if o is not None] or [
            str(o) for o in schema.get("enum", [])
        ]
        listed = ", ".join(options)
        return [
            (
                _field(path),
                f"Elija una opción válida ({listed})." if listed else "Elija una opción válida.",
            )
        ]
    if kind in {"minItems", "maxItems"}:
        return [
            (
                _field(path),
                f"La lista debe tener {'al menos' if kind == 'minItems' else 'como máximo'} "
                f"{value} elementos.",
            )
        ]
    return [(_field(path), "El valor no es válido.")]


def _blank_required(schema: dict[str, Any], data: Any, path: list[Any]) -> list[tuple[str, str]]:
    """Required text fields sent as blank strings (a form's empty input) count as missing."""
    found: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return found
    props = schema.get("properties", {})
    for name in schema.get("required", []):
        if isinstance(data.get(name), str) and not data[name].strip():
            found.append((_field([*path, name]), REQUIRED_MESSAGE))
    for name, prop in props.items():
        items = prop.get("items") if isinstance(prop, dict) else None
        if isinstance(items, dict) and isinstance(data.get(name), list):
            for i, row in enumerate(data[name]):
                found.extend(_blank_required(items, row, [*path, name, i]))
    return found


#: Validators of published forms, by the caller's key for the schema (``actions.step_form``:
#: version id, content hash and activity; a published version never changes). Building one
#: copies and closes the schema: once per process and form, not at every step.
_validators: BoundedCache[Hashable, Draft202012Validator] = BoundedCache(1024)


def _validator(schema: dict[str, Any], key: Hashable | None) -> Draft202012Validator:
    if key is not None and (found := _validators.get(key)) is not None:
        return found
    validator = Draft202012Validator(_closed(schema), format_checker=_format_checker)
    if key is not None:
        _validators.put(key, validator)
    return validator


def form_errors(
    schema: dict[str, Any], data: Any, *, key: Hashable | None = None
) -> dict[str, list[str]]:
    """All errors of ``data`` against the form ``schema``: ``{field: [message, ...]}``.

    ``key`` names ``schema`` for the validator cache: pass it only for a schema that never
    changes under that key."""
    if not isinstance(data, dict):
        return {"__all__": ["Los datos del formulario deben ser un objeto JSON."]}
    validator = _validator(schema, key)
    errors: dict[str, list[str]] = {}
    pairs: list[tuple[str, str]] = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        pairs.extend(_messages(error))
    pairs.extend(_blank_required(schema, data, []))
    for field, message in pairs:
        bucket = errors.setdefault(field, [])
        if message not in bucket:
            bucket.append(message)
    return errors


def check_form_data(
    schema: dict[str, Any], data: Any, *, key: Hashable | None = None
) -> dict[str, Any]:
    """Return ``data`` when it is valid for ``schema``; raise InvalidInput with field errors.
    ``key``: as for ``form_errors``."""
    errors = form_errors(schema, data, key=key)
    if errors:
        raise InvalidInput(errors=errors)
    return dict(data)
