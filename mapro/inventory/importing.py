"""Import of the inventory from XLSX or CSV (the export's own columns), all or nothing.

The file's first row names the columns (``selectors.EQUIPMENT_HEADERS``, the export's headers:
an exported file imports back unchanged). Every row is validated with the same validator as the
forms and the API (``actions.equipment.clean_equipment``); a row whose code exists updates that
equipment, any other row registers a new one. Any error — an unknown column, a missing required
column, a bad value, a duplicate inside the file, a kind the actor does not manage — is reported
as ``rows.<n>.<column>`` (n = the spreadsheet's row number, the header being row 1) or
``columns``, with a message naming row and column, and **nothing is saved**.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import transaction

from mapro.audit.actions import record_event, snapshot
from mapro.core.exceptions import InvalidInput
from mapro.core.xlsx import read_xlsx

from .access import can_manage
from .actions.common import text
from .actions.equipment import AUDIT_FIELDS, clean_equipment
from .choices import EquipmentKind
from .models import Equipment
from .selectors import EQUIPMENT_HEADERS

#: Column → model field; columns of the export that are not imported map to None.
COLUMNS: dict[str, str | None] = {
    "codigo": "code",
    "tipo": "kind",
    "nombre": "name",
    "marca": "brand",
    "modelo": "model_name",
    "serie": "serial",
    "codigo_patrimonial": "patrimonial_code",
    "ip": "ip_address",
    "criticidad": "criticality",
    "unidad": "unit",
    "ubicacion": "location",
    "titular_dni": "holder",
    "titular": None,  # the holder's name, shown in the export; the DNI is what is read
    "responsable_dni": "responsible",
    "responsable_secundario_dni": "backup_responsible",
    "fecha_adquisicion": "acquired_on",
    "fin_garantia": "warranty_end",
    "proveedor_garantia": "warranty_provider",
    "estado": None,  # changed only by the state action (audited transitions), never imported
    "observaciones": "notes",
}
FIELD_COLUMN = {field: column for column, field in COLUMNS.items() if field}
REQUIRED_COLUMNS = ("codigo", "tipo", "nombre")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
assert tuple(COLUMNS) == EQUIPMENT_HEADERS, "import and export share their columns"


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_upload(name: str, content: bytes) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of an uploaded .xlsx or .csv (UTF-8, comma or semicolon)."""
    if len(content) > MAX_BYTES:
        raise InvalidInput(errors={"file": ["El archivo supera los 5 MB."]})
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        try:
            return read_xlsx(content)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InvalidInput(errors={"file": ["No se pudo leer el archivo XLSX."]}) from exc
    if lower.endswith(".csv"):
        try:
            decoded = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(errors={"file": ["El CSV debe estar en UTF-8."]}) from exc
        first_line = decoded.splitlines()[0] if decoded else ""
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        rows = list(csv.reader(io.StringIO(decoded), delimiter=delimiter))
        if not rows:
            return [], []
        return [h.strip() for h in rows[0]], [list(r) for r in rows[1:]]
    raise InvalidInput(errors={"file": ["Suba un archivo .xlsx o .csv."]})


def check_import(
    headers: list[str], rows: list[list[Any]], *, actor: Any
) -> list[tuple[Equipment | None, dict[str, Any]]]:
    """Validate the whole file; the planned writes, or InvalidInput naming each row/column."""
    normalized = [text(h).lower() for h in headers]
    errors: dict[str, list[str]] = {}
    unknown = [
        f"Columna {_letter(i)}: «{headers[i]}» no es una columna del inventario."
        for i, h in enumerate(normalized)
        if h not in COLUMNS
    ]
    missing = [f"Falta la columna «{c}»." for c in REQUIRED_COLUMNS if c not in normalized]
    repeated = sorted({h for h in normalized if h and normalized.count(h) > 1})
    problems = unknown + missing + [f"La columna «{h}» está repetida." for h in repeated]
    if problems:
        raise InvalidInput(
            "El archivo no tiene las columnas del inventario.",
            errors={"columns": [*problems, "Columnas válidas: " + ", ".join(COLUMNS) + "."]},
        )
    if not rows:
        raise InvalidInput(errors={"file": ["El archivo no tiene filas de datos."]})
    if len(rows) > MAX_ROWS:
        raise InvalidInput(errors={"file": [f"Máximo {MAX_ROWS} filas por archivo."]})
    planned: list[tuple[Equipment | None, dict[str, Any]]] = []
    seen: dict[tuple[str, str], int] = {}
    for offset, row in enumerate(rows):
        n = offset + 2  # the spreadsheet's row number (the header is row 1)
        if all(text(v) == "" for v in row):
            continue
        data: dict[str, Any] = {}
        for i, h in enumerate(normalized):
            field = COLUMNS[h]
            if field is not None:
                data[field] = row[i] if i < len(row) else None

        def add(field: str, message: str, n: int = n) -> None:
            column = FIELD_COLUMN.get(field, field)
            errors.setdefault(f"rows.{n}.{column}", []).append(
                f"Fila {n}, columna «{column}»: {message}"
            )

        code = text(data.get("code"))
        current = Equipment.objects.filter(code__iexact=code).first() if code else None
        values, row_errors = clean_equipment(data, current=current)
        for field, messages in row_errors.items():
            for message in messages:
                add(field, message)
        kind = values.get("kind") or (current.kind if current else "")
        if kind in EquipmentKind.values and actor is not None and not can_manage(actor, kind):
            add("kind", f"su rol no administra equipos de tipo «{EquipmentKind(kind).label}».")
        if current is not None and actor is not None and not can_manage(actor, current.kind):
            add("code", f"su rol no administra el equipo {current.code}.")
        if current is not None and current.is_retired:
            add("code", f"el equipo {current.code} está dado de baja: no se modifica.")
        for field in ("code", "serial", "patrimonial_code"):
            value = text(values.get(field) or (data.get(field) if field == "code" else "")).upper()
            if not value:
                continue
            first = seen.setdefault((field, value), n)
            if first != n:
                add(field, f"repite el valor de la fila {first}.")
        planned.append((current, values))
    if errors:
        raise InvalidInput("El archivo tiene errores; no se guardó nada.", errors=errors)
    return planned


@transaction.atomic
def do_import_equipment(name: str, content: bytes, *, actor: Any) -> dict[str, int]:
    """Import a file (``read_upload``); all rows or none. Returns {created, updated}."""
    headers, rows = read_upload(name, content)
    planned = check_import(headers, rows, actor=actor)
    created = updated = 0
    for current, values in planned:
        if current is None:
            equipment = Equipment.objects.create(**values)
            record_event(
                actor=actor,
                action="equipment.import",
                obj=equipment,
                after=snapshot(equipment, AUDIT_FIELDS),
            )
            created += 1
            continue
        before = snapshot(current, values.keys())
        for key, value in values.items():
            setattr(current, key, value)
        after = snapshot(current, values.keys())
        changed = [k for k in values if before[k] != after[k]]
        if changed:
            current.save()
            record_event(
                actor=actor,
                action="equipment.import",
                obj=current,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
            updated += 1
    return {"created": created, "updated": updated}
