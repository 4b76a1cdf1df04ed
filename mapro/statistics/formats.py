"""The "formato establecido" of a dataset, from its Table Schema: CSV and XLSX templates.

The XLSX has the data sheet (the header, allowed codes as drop-down lists, numbers checked
against their range) and an "Instrucciones" sheet describing every column: title, type, unit,
required, allowed codes, range; and the primary key and the cross-checks.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .models import Dataset

TYPE_LABELS = {
    "string": "Texto",
    "integer": "Número entero",
    "number": "Número",
    "date": "Fecha (AAAA-MM-DD)",
    "year": "Año",
    "boolean": "Sí/No",
}


def describe_field(field: dict[str, Any]) -> dict[str, Any]:
    """A column as people read it (the template's instructions and the web page)."""
    c = field.get("constraints") or {}
    bounds = []
    if "minimum" in c:
        bounds.append(f"mínimo {c['minimum']}")
    if "maximum" in c:
        bounds.append(f"máximo {c['maximum']}")
    return {
        "name": field["name"],
        "title": field.get("title") or field["name"],
        "type": TYPE_LABELS.get(str(field.get("type", "string")), str(field.get("type"))),
        "unit": field.get("unit", ""),
        "required": "Sí" if c.get("required") else "No",
        "codes": ", ".join(str(v) for v in c.get("enum", [])),
        "range": ", ".join(bounds),
        "description": field.get("description", ""),
    }


def describe_check(check: dict[str, Any], dataset: Dataset) -> str:
    titles = {f["name"]: f.get("title") or f["name"] for f in dataset.schema.get("fields", [])}
    if check.get("type") == "suma":
        parts = " + ".join(titles.get(p, p) for p in check.get("parts", []))
        return f"{titles.get(check['total'], check['total'])} = {parts}"
    if check.get("type") == "periodo_anterior":
        tol = float(check.get("tolerance", 0.5))
        return (
            f"{titles.get(check['field'], check['field'])} no se aparta más de {tol:.0%} del "
            "periodo anterior"
        )
    return str(check)


def template_csv(dataset: Dataset) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(dataset.field_names)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(dataset: Dataset) -> bytes:
    # Imported here: openpyxl weighs ~20 MB in a web worker, for one download (issue #15).
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    data = book.active
    data.title = "Datos"
    fields = dataset.schema.get("fields", [])
    data.append([f["name"] for f in fields])
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")
    for i, field in enumerate(fields, start=1):
        cell = data.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(i)
        data.column_dimensions[letter].width = max(14, len(field["name"]) + 4)
        c = field.get("constraints") or {}
        rng = f"{letter}2:{letter}100000"
        if c.get("enum"):
            codes = ",".join(str(v) for v in c["enum"])
            if len(codes) < 250:  # Excel's limit for an inline list
                dv = DataValidation(type="list", formula1=f'"{codes}"', allow_blank=True)
                dv.error = "Use un código de la lista."
                data.add_data_validation(dv)
                dv.add(rng)
        elif field.get("type") in ("integer", "number") and ("minimum" in c or "maximum" in c):
            kind = "whole" if field["type"] == "integer" else "decimal"
            dv = DataValidation(
                type=kind,
                operator="between",
                formula1=str(c.get("minimum", -(10**12))),
                formula2=str(c.get("maximum", 10**12)),
            )
            dv.error = "Valor fuera del rango permitido."
            data.add_data_validation(dv)
            dv.add(rng)
    data.freeze_panes = "A2"
    info = book.create_sheet("Instrucciones")
    info.append([dataset.title])
    info["A1"].font = Font(bold=True, size=14)
    info.append([dataset.description])
    info.append([])
    head = ["Columna", "Título", "Tipo", "Unidad", "Obligatorio", "Códigos permitidos", "Rango"]
    info.append(head)
    for cell in info[4]:
        cell.font = Font(bold=True)
    for field in fields:
        d = describe_field(field)
        info.append(
            [d["name"], d["title"], d["type"], d["unit"], d["required"], d["codes"], d["range"]]
        )
    info.append([])
    key = dataset.schema.get("primaryKey") or []
    info.append(["Clave (no se repite)", ", ".join([key] if isinstance(key, str) else key)])
    for check in dataset.checks:
        info.append(["Control", describe_check(check, dataset)])
    for col, width in zip("ABCDEFG", (22, 34, 18, 12, 12, 40, 24), strict=True):
        info.column_dimensions[col].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
