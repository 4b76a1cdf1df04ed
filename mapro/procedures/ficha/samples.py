"""Sample answers to a ficha's step form (its JSON Schema subset, docs/ficha-format.md): a value
every field accepts, for the tests and benchmarks that walk a procedure without caring what is
answered (``tests/test_return_options.py``, ``bench/bench_complete_task.py``,
``bench/bench_state_size.py``).

Model-free on purpose: the benchmarks import it before ``django.setup()``.
"""

from __future__ import annotations

from typing import Any

#: A Monday (a business day, in no holiday list): a date field's answer.
SAMPLE_DATE = "2026-03-16"


def sample_value(schema: dict[str, Any], name: str = "") -> Any:
    """A value the field ``schema`` accepts: the first choice of an enum, OGTIE for a unit, a
    well-formed DNI, date or e-mail, else a Spanish text within ``maxLength``."""
    if "oneOf" in schema:
        return schema["oneOf"][0]["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "string")
    if kind == "object":
        return sample_form_data(schema)
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1)))
        return [sample_value(schema.get("items", {"type": "string"}), name) for _ in range(count)]
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return int(schema.get("minimum", 1))
    fmt = schema.get("format")
    if fmt == "unit":
        return "OGTIE"
    if fmt == "dni":
        return "12345678"
    if fmt == "date":
        return SAMPLE_DATE
    if fmt == "date-time":
        return f"{SAMPLE_DATE}T10:30:00"
    if fmt == "email":
        return "persona@mindef.gob.pe"
    return f"Texto de prueba para {name or 'el campo'}"[: int(schema.get("maxLength", 200))]


def sample_form_data(
    schema: dict[str, Any], choices: dict[str, str] | None = None
) -> dict[str, Any]:
    """A whole submission of the form: every field (required or not) answered.

    ``choices`` fixes the value of a decision field (``{"evento": "observaciones"}``).
    """
    choices = choices or {}
    return {
        name: choices[name] if name in choices else sample_value(prop, name)
        for name, prop in (schema.get("properties") or {}).items()
    }
