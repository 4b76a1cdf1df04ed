"""XLSX export of registers (and reading one back, for tests and uploads).

Every register of mapro (accounts, VPN inventory, data-center logbook, incident matrix,
inventories…) exports the rows its list shows, with its filters applied, through
``xlsx_response``. The workbook is written in openpyxl's write-only mode (rows streamed, constant
memory). Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) is
written with a leading apostrophe, so an exported value can never execute (CSV/formula
injection); ``read_xlsx`` strips that apostrophe again, so an export reads back equal.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_SHEET_TITLE = 31


def _cell(value: Any) -> Any:
    """A value openpyxl can store: aware datetimes in Lima time without tzinfo, enums and other
    objects as text, formula-looking text escaped."""
    if value is None or isinstance(value, bool | int | float | dt.date):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def build_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Registro"
) -> bytes:
    """One sheet: a bold header row, then ``rows`` in order. Returns the file's bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:_MAX_SHEET_TITLE])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Registro",
) -> HttpResponse:
    """An attachment download of ``build_xlsx``; ``filename`` without extension (a date is
    appended: ``cuentas-2026-11-26.xlsx``)."""
    content = build_xlsx(headers, rows, sheet_title=sheet_title)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def read_xlsx(content: bytes) -> tuple[list[str], list[list[Any]]]:
    """The header row and the data rows of the first sheet of ``content`` (values as openpyxl
    reads them; the formula-escaping apostrophe removed)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not values:
        return [], []

    def unescape(value: Any) -> Any:
        escaped = isinstance(value, str) and value.startswith("'")
        if escaped and value[1:].startswith(_FORMULA_STARTS):
            return value[1:]
        return value

    headers = [str(h) for h in values[0]]
    width = len(headers)
    # Read-only sheets drop empty cells at the end of a row: pad them back to the header's width.
    return headers, [[unescape(v) for v in row] + [None] * (width - len(row)) for row in values[1:]]


__all__ = ["XLSX_CONTENT_TYPE", "build_xlsx", "read_xlsx", "xlsx_response"]
