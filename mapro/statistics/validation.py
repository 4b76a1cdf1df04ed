"""Reading an organ's file and checking it against its dataset (no database writes).

1. ``read_table``: a CSV (UTF-8, comma or semicolon) or XLSX upload as a header and rows of
   text, as the representative typed them.
2. ``schema_errors``: the Frictionless Table Schema check, by the ``frictionless`` library
   (missing or misplaced columns, types, required values, allowed codes, ranges, duplicated
   primary keys), its errors translated to Spanish, each with its row and column.
3. ``cast_rows`` and ``check_errors``: the team's cross-checks on the typed rows
   (``CHECKS``: a total equal to the sum of its parts; a value within a range of the same
   key's value in the previous period).

Row numbers are the file's (the header is row 1), so that the representative finds them in
their spreadsheet. Nothing here writes: ``actions.do_submit`` decides.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frictionless import Schema


MAX_ERRORS = 1000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


class UnreadableFile(ValueError):
    """The upload is neither a CSV nor an XLSX we can read (message in Spanish)."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(content: bytes, filename: str = "") -> Table:
    """The upload's header and rows as text (trailing empty rows dropped)."""
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise UnreadableFile("El archivo XLSX no se puede leer.") from exc
        sheet = book.worksheets[0]
        lines = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("latin-1")
            except UnicodeDecodeError as exc:  # pragma: no cover - latin-1 decodes anything
                raise UnreadableFile("El archivo no es un CSV legible.") from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        lines = [
            [c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    while lines and not any(lines[-1]):
        lines.pop()
    if not lines:
        raise UnreadableFile("El archivo está vacío.")
    header = lines[0]
    while header and header[-1] == "":
        header = header[:-1]
    width = len(header)
    rows = [
        row[:width] + [""] * (width - len(row)) if len(row) != width else row for row in lines[1:]
    ]
    return Table(header=header, rows=rows)


# --- schema check (frictionless) ------------------------------------------------------------


def _field(schema: dict[str, Any], name: str | None) -> dict[str, Any]:
    for field in schema.get("fields", []):
        if field["name"] == name:
            return field
    return {}


def _column(schema: dict[str, Any], name: str | None) -> str:
    field = _field(schema, name)
    return str(field.get("title") or name or "")


TYPE_WORDS = {
    "integer": "un número entero",
    "number": "un número",
    "date": "una fecha (AAAA-MM-DD)",
    "year": "un año",
    "boolean": "sí o no",
    "string": "un texto",
}


def _constraint_message(field: dict[str, Any], note: str, cell: Any) -> str:
    constraints = field.get("constraints") or {}
    if '"required"' in note:
        return "Falta el valor (es obligatorio)."
    if '"enum"' in note:
        allowed = ", ".join(str(v) for v in constraints.get("enum", []))
        return f"El código «{cell}» no está en la lista permitida ({allowed})."
    if '"minimum"' in note:
        return f"El valor {cell} es menor que el mínimo permitido ({constraints.get('minimum')})."
    if '"maximum"' in note:
        return f"El valor {cell} es mayor que el máximo permitido ({constraints.get('maximum')})."
    if '"pattern"' in note:
        return f"El valor «{cell}» no tiene la forma esperada."
    if '"unique"' in note:
        return f"El valor «{cell}» está repetido y debe ser único."
    return f"El valor «{cell}» no cumple una restricción de la columna."


def translate(error: Any, schema: dict[str, Any], header: list[str]) -> dict[str, Any]:
    """One frictionless error as ``{row, column, message}`` in Spanish."""
    kind = error.type
    row = getattr(error, "row_number", None)
    name = getattr(error, "field_name", None)
    field = _field(schema, name)
    column = _column(schema, name) if name else ""
    cell = getattr(error, "cell", None)
    if kind == "missing-label":
        message = f"Falta la columna «{name}»."
        row = 1
    elif kind == "extra-label":
        message = f"La columna «{getattr(error, 'label', '')}» no es parte del formato."
        row, column = 1, getattr(error, "label", "") or column
    elif kind in ("incorrect-label", "duplicate-label", "blank-label"):
        number = getattr(error, "field_number", 0)
        found = header[number - 1] if 0 < number <= len(header) else ""
        message = (
            f"En la posición {number} se esperaba la columna «{name}» y se encontró «{found}»."
        )
        row = 1
    elif kind == "type-error":
        want = TYPE_WORDS.get(str(field.get("type")), str(field.get("type")))
        message = f"El valor «{cell}» no es {want}."
    elif kind == "constraint-error":
        message = _constraint_message(field, getattr(error, "note", ""), cell)
    elif kind == "primary-key":
        keys = ", ".join(_column(schema, k) for k in _primary_key(schema))
        message = f"La fila repite la clave ({keys}) de otra fila: {getattr(error, 'note', '')}."
        message = message.replace("the same as in the row at position", "igual a la fila")
    elif kind == "extra-cell":
        message = "La fila tiene más celdas que columnas el formato."
    elif kind == "missing-cell":
        message = f"Falta la celda de la columna «{column}»."
    elif kind == "blank-row":
        message = "La fila está vacía."
    else:
        message = f"Error de formato ({kind})."
    return {"row": row, "column": column, "message": message}


def _primary_key(schema: dict[str, Any]) -> list[str]:
    key = schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def frictionless_schema(schema: dict[str, Any]) -> Schema:
    """The descriptor as frictionless sees it (our ``unit`` key is kept as a custom property)."""
    # frictionless (with pydantic) is imported when a file is validated, not by every web
    # worker at start-up (~25 MB; issue #15).
    from frictionless import Schema

    return Schema.from_descriptor(schema)


def schema_errors(table: Table, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Table Schema error of the table, in Spanish (at most ``MAX_ERRORS``)."""
    from frictionless import Resource, validate

    resource = Resource(data=[table.header, *table.rows], schema=frictionless_schema(schema))
    report = validate(resource, limit_errors=MAX_ERRORS)
    errors = []
    for task in report.tasks:
        for error in task.errors:
            errors.append(translate(error, schema, table.header))
    for error in report.errors:  # a problem with the resource itself
        errors.append({"row": None, "column": "", "message": f"Archivo no válido: {error.type}."})
    return errors


# --- typing and cross-checks ----------------------------------------------------------------


def _caster(kind: str) -> Any:
    if kind == "integer":
        return lambda v: int(v) if v != "" else None
    if kind == "number":
        return lambda v: float(v.replace(",", ".")) if v != "" else None
    return lambda v: v if v != "" else None


def cast_rows(table: Table, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows as dicts of typed values (only after ``schema_errors`` found none)."""
    names = [f["name"] for f in schema.get("fields", [])]
    casters = [_caster(str(f.get("type", "string"))) for f in schema.get("fields", [])]
    pairs = list(zip(names, casters, strict=True))
    return [{n: c(v) for (n, c), v in zip(pairs, row, strict=False)} for row in table.rows]


def _sum_check(check: dict[str, Any], rows: list[dict[str, Any]], schema: dict[str, Any]):
    total, parts = check["total"], list(check["parts"])
    label = " + ".join(_column(schema, p) for p in parts)
    for i, row in enumerate(rows, start=2):
        expected = sum(row.get(p) or 0 for p in parts)
        if row.get(total) is not None and abs((row.get(total) or 0) - expected) > 1e-9:
            yield {
                "row": i,
                "column": _column(schema, total),
                "message": f"El total {row.get(total)} no es igual a la suma de sus partes "
                f"({label} = {expected:g}).",
            }


def _key(row: dict[str, Any], by: list[str]) -> tuple[Any, ...]:
    return tuple(row.get(k) for k in by)


def _previous_check(
    check: dict[str, Any],
    rows: list[dict[str, Any]],
    schema: dict[str, Any],
    previous: list[dict[str, Any]] | None,
):
    if not previous:
        return
    field, by = check["field"], list(check.get("by") or _primary_key(schema))
    tolerance = float(check.get("tolerance", 0.5))
    before = {_key(row, by): row.get(field) for row in previous}
    for i, row in enumerate(rows, start=2):
        old, new = before.get(_key(row, by)), row.get(field)
        if old in (None, 0) or new is None:
            continue
        low, high = old * (1 - tolerance), old * (1 + tolerance)
        if not low <= new <= high:
            yield {
                "row": i,
                "column": _column(schema, field),
                "message": f"El valor {new:g} se aparta más de {tolerance:.0%} del periodo "
                f"anterior ({old:g}); verifique el dato.",
            }


#: The cross-checks a dataset may declare in ``Dataset.checks``, by ``type``:
#: ``{"type": "suma", "total": f, "parts": [f, ...]}`` and
#: ``{"type": "periodo_anterior", "field": f, "by": [f, ...], "tolerance": 0.3}``.
CHECKS = {"suma", "periodo_anterior"}


def check_definition_errors(checks: Any, schema: dict[str, Any]) -> list[str]:
    """Problems of a dataset's cross-check definitions (Spanish)."""
    names = {f["name"] for f in schema.get("fields", [])}
    problems: list[str] = []
    if not isinstance(checks, list):
        return ["Los controles deben ser una lista."]
    for i, check in enumerate(checks, start=1):
        if not isinstance(check, dict) or check.get("type") not in CHECKS:
            problems.append(f"Control {i}: tipo desconocido (use: {', '.join(sorted(CHECKS))}).")
            continue
        used = (
            [check.get("total"), *(check.get("parts") or [])]
            if check["type"] == "suma"
            else [check.get("field"), *(check.get("by") or [])]
        )
        for name in used:
            if name not in names:
                problems.append(f"Control {i}: la columna «{name}» no existe en la estructura.")
    return problems


def check_errors(
    rows: list[dict[str, Any]],
    schema: dict[str, Any],
    checks: list[dict[str, Any]],
    previous: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The cross-check errors of typed rows (``previous``: the last period's rows)."""
    errors: list[dict[str, Any]] = []
    for check in checks:
        if check.get("type") == "suma":
            errors.extend(_sum_check(check, rows, schema))
        elif check.get("type") == "periodo_anterior":
            errors.extend(_previous_check(check, rows, schema, previous))
        if len(errors) >= MAX_ERRORS:
            break
    return errors[:MAX_ERRORS]


def schema_problems(schema: Any) -> list[str]:
    """Whether a descriptor is a valid Table Schema (Spanish messages)."""
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return ["La estructura debe tener una lista de columnas («fields»)."]
    try:
        frictionless_schema(schema)
    except Exception as exc:  # frictionless raises FrictionlessException with a report
        return [f"La estructura no es un Table Schema válido: {exc}"]
    names = [f.get("name") for f in schema["fields"]]
    if len(set(names)) != len(names):
        return ["Hay columnas con el mismo nombre."]
    for key in _primary_key(schema):
        if key not in names:
            return [f"La clave primaria nombra una columna inexistente: «{key}»."]
    return []
