"""The form subset of JSON Schema a ficha may use (docs/ficha-format.md, "The form subset").

``check_form`` first asks jsonschema whether the form is valid JSON Schema at all (draft 2020-12),
then whether it stays inside the subset the engine can render and validate: an object whose
properties are short/long text, number, integer, yes/no, date, date-time, choice, file or a list
of objects, each with a Spanish ``title``.
"""

from __future__ import annotations

import re
from typing import Any

from jsonschema.exceptions import SchemaError
from jsonschema.validators import Draft202012Validator

FormProblem = tuple[tuple[str | int, ...], str]
"""(path inside the form, Spanish message)."""

FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
STRING_FORMATS = {"textarea", "date", "date-time", "file", "unit", "email", "dni"}
_COMMON = {"type", "title", "description", "default"}
ALLOWED_KEYS: dict[str, set[str]] = {
    "string": _COMMON | {"maxLength", "minLength", "format", "oneOf", "choices_from"},
    "number": _COMMON | {"minimum", "maximum"},
    "integer": _COMMON | {"minimum", "maximum"},
    "boolean": _COMMON,
    "array": _COMMON - {"default"} | {"items", "minItems", "maxItems"},
}
OBJECT_KEYS = {"type", "title", "description", "properties", "required"}


def check_form(form: Any) -> list[FormProblem]:
    """Problems of a form: not JSON Schema, or outside the subset. Empty list when it is fine."""
    if not isinstance(form, dict):
        return [((), "El formulario debe ser un objeto JSON Schema (type: object).")]
    try:
        Draft202012Validator.check_schema(form)
    except SchemaError as exc:
        where = tuple(exc.path)
        return [(where, f"El formulario no es un JSON Schema válido: {exc.message}")]
    return _check_object(form, ())


def _check_object(schema: dict[str, Any], path: tuple[str | int, ...]) -> list[FormProblem]:
    problems: list[FormProblem] = []
    if schema.get("type") != "object":
        problems.append(
            ((*path, "type"), "Un formulario (o elemento de lista) debe ser 'type: object'.")
        )
    for key in schema:
        if key not in OBJECT_KEYS:
            problems.append(((*path, key), f"Clave no admitida en el formulario: '{key}'."))
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        problems.append(((*path, "properties"), "'properties' debe ser un mapeo de campos."))
        properties = {}
    for name, prop in properties.items():
        problems += _check_property(name, prop, (*path, "properties", name))
    required = schema.get("required", [])
    if isinstance(required, list):
        for i, name in enumerate(required):
            if name not in properties:
                problems.append(
                    (
                        (*path, "required", i),
                        f"El campo requerido '{name}' no está en 'properties'.",
                    )
                )
    return problems


def _check_property(name: str, prop: Any, path: tuple[str | int, ...]) -> list[FormProblem]:
    problems: list[FormProblem] = []
    if not FIELD_NAME.match(name):
        problems.append(
            (
                path,
                f"Nombre de campo inválido '{name}': use letras, dígitos y '_' "
                "(sin empezar con dígito).",
            )
        )
    if not isinstance(prop, dict):
        return [*problems, (path, f"El campo '{name}' debe ser un mapeo.")]
    kind = prop.get("type")
    if kind not in ALLOWED_KEYS:
        allowed = ", ".join(sorted(ALLOWED_KEYS))
        return [
            *problems,
            (
                (*path, "type"),
                f"Tipo no admitido para el campo '{name}': {kind!r} (admitidos: {allowed}).",
            ),
        ]
    title = prop.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append((path, f"El campo '{name}' necesita un 'title' (etiqueta en español)."))
    for key in prop:
        if key not in ALLOWED_KEYS[kind]:
            problems.append(
                ((*path, key), f"Clave no admitida en el campo '{name}' de tipo {kind}: '{key}'.")
            )
    if kind == "string":
        fmt = prop.get("format")
        if fmt is not None and fmt not in STRING_FORMATS:
            problems.append(
                (
                    (*path, "format"),
                    f"Formato no admitido para el campo '{name}': '{fmt}' (admitidos: "
                    f"{', '.join(sorted(STRING_FORMATS))}).",
                )
            )
        if "oneOf" in prop:
            problems += _check_choices(name, prop["oneOf"], (*path, "oneOf"))
    elif kind == "array":
        items = prop.get("items")
        if not isinstance(items, dict):
            problems.append(
                ((*path, "items"), f"La lista '{name}' necesita 'items' con type: object.")
            )
        else:
            problems += _check_object(items, (*path, "items"))
    return problems


def _check_choices(name: str, choices: Any, path: tuple[str | int, ...]) -> list[FormProblem]:
    problems: list[FormProblem] = []
    if not isinstance(choices, list) or not choices:
        return [(path, f"Las opciones de '{name}' deben ser una lista de {{const, title}}.")]
    seen: set[Any] = set()
    for i, choice in enumerate(choices):
        if not isinstance(choice, dict) or set(choice) != {"const", "title"}:
            problems.append(
                ((*path, i), f"Cada opción de '{name}' debe tener exactamente 'const' y 'title'.")
            )
            continue
        if not isinstance(choice["const"], str):
            problems.append(
                (
                    (*path, i, "const"),
                    f"La opción {choice['const']!r} de '{name}' debe ser texto (entre comillas).",
                )
            )
        if choice["const"] in seen:
            problems.append(
                ((*path, i, "const"), f"La opción '{choice['const']}' de '{name}' está repetida.")
            )
        seen.add(choice["const"])
    return problems
