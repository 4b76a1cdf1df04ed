"""Reading the DGRRHH list of altas y bajas (CSV or XLSX), all or nothing, errors by row.

The house way of ``mapro.organization.importing`` (whose file readers this module reuses): a
header row, then one person per row; header names are matched without regard to case, accents
or spaces. Columns: ``dni``, ``nombres``, ``apellidos``, ``unidad`` (the unit's sigla, kept as
text: the list is contrasted by DNI), ``movimiento`` (``alta`` or ``baja``; the header may also
be ``alta_baja`` or ``tipo``) and ``fecha`` (AAAA-MM-DD or DD/MM/AAAA). All but ``unidad`` are
required. Blank rows are skipped; a DNI may appear once. Line numbers are the file's (the
header is line 1), and every error of every row is reported at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapro.organization.importing import (
    MAX_BYTES,
    MAX_ROWS,
    ImportRejected,
    RowError,
    _normalize,
    _parse_date,
    _parse_dni,
    _read_bytes,
    _rows_from_csv,
    _rows_from_xlsx,
    _text,
)

from .choices import Movement

COLUMNS = ("dni", "nombres", "apellidos", "unidad", "movimiento", "fecha")
REQUIRED_COLUMNS = ("dni", "nombres", "apellidos", "movimiento", "fecha")
ALIASES = {"alta_baja": "movimiento", "alta_o_baja": "movimiento", "tipo": "movimiento"}
_DNI = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class ListRow:
    """One valid row of the list."""

    line: int
    dni: str
    first_name: str
    last_name: str
    unit_code: str
    movement: str
    date: Any

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _header(value: Any) -> str:
    """A header cell as a column key: ``Alta/Baja`` → ``alta_baja``, ``Fecha `` → ``fecha``."""
    return re.sub(r"[^a-z0-9]+", "_", _normalize(str(value))).strip("_")


def read_list(file: Any, filename: str = "") -> tuple[list[ListRow], bytes, str]:
    """Every row of the file, validated; ImportRejected with every error otherwise."""
    data, name = _read_bytes(file)
    name = filename or name
    if len(data) > MAX_BYTES:
        raise ImportRejected([RowError(0, "", "El archivo supera el máximo de 10 MB.")])
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" or (suffix not in {".csv", ".txt"} and data[:2] == b"PK"):
        raw = _rows_from_xlsx(data)
    elif suffix in {".csv", ".txt", ""}:
        raw = _rows_from_csv(data)
    else:
        raise ImportRejected([RowError(0, "", "Use un archivo CSV o XLSX.")])
    raw = [(n, v) for n, v in raw if any(str(c).strip() for c in v)]
    if not raw:
        raise ImportRejected([RowError(0, "", "El archivo está vacío.")])
    header_line, header = raw[0]
    columns = [ALIASES.get(c, c) for c in (_header(h) for h in header)]
    errors = [
        RowError(header_line, str(original), "Columna desconocida.")
        for original, col in zip(header, columns, strict=True)
        if col and col not in COLUMNS
    ]
    errors += [
        RowError(header_line, col, "Falta esta columna obligatoria.")
        for col in REQUIRED_COLUMNS
        if col not in columns
    ]
    duplicated = {c for c in columns if c and columns.count(c) > 1}
    errors += [RowError(header_line, c, "Columna repetida.") for c in sorted(duplicated)]
    if errors:
        raise ImportRejected(errors)
    if len(raw) - 1 > MAX_ROWS:
        raise ImportRejected([RowError(0, "", f"El archivo supera el máximo de {MAX_ROWS} filas.")])
    if len(raw) == 1:
        raise ImportRejected([RowError(0, "", "El archivo no tiene filas de datos.")])
    rows: list[ListRow] = []
    first_line: dict[str, int] = {}
    for line, values in raw[1:]:
        padded = list(values) + [""] * (len(columns) - len(values))
        cells = {col: padded[i] for i, col in enumerate(columns) if col}
        row_errors = []
        if any(str(v).strip() for v in padded[len(columns) :]):
            row_errors.append(RowError(line, "", "La fila tiene más celdas que columnas."))
        dni = _parse_dni(cells.get("dni", ""))
        if not _DNI.match(dni):
            row_errors.append(RowError(line, "dni", f"DNI «{dni}» no válido: 8 dígitos."))
        elif dni in first_line:
            row_errors.append(
                RowError(line, "dni", f"DNI repetido: ya aparece en la línea {first_line[dni]}.")
            )
        else:
            first_line[dni] = line
        first_name = _text(cells.get("nombres", ""))
        last_name = _text(cells.get("apellidos", ""))
        if not first_name:
            row_errors.append(RowError(line, "nombres", "Indique los nombres."))
        if not last_name:
            row_errors.append(RowError(line, "apellidos", "Indique los apellidos."))
        movement = _normalize(_text(cells.get("movimiento", "")))
        if movement not in Movement.values:
            row_errors.append(
                RowError(line, "movimiento", f"Movimiento «{movement}» no válido: alta o baja.")
            )
        date = None
        try:
            date = _parse_date(cells.get("fecha", ""))
        except ValueError as exc:
            row_errors.append(RowError(line, "fecha", str(exc)))
        else:
            if date is None:
                row_errors.append(RowError(line, "fecha", "Indique la fecha del alta o la baja."))
        if row_errors:
            errors += row_errors
            continue
        rows.append(
            ListRow(
                line=line,
                dni=dni,
                first_name=first_name[:120],
                last_name=last_name[:120],
                unit_code=_text(cells.get("unidad", "")).upper()[:30],
                movement=movement,
                date=date,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return rows, data, name
