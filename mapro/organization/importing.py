"""Import of people from a CSV or XLSX file (the HR list), all or nothing.

Format: a header row, then one person per row. Columns (header names are matched without
regard to case, accents or spaces): ``dni``, ``nombres``, ``apellidos``, ``cargo``, ``unidad``
(the unit's sigla, e.g. ``DIGEP``), ``regimen`` (CAS, Orden de servicio, FAG, PAC, Personal
militar, Nombrado — the code or the label), ``vigente_desde``, ``vigente_hasta`` (AAAA-MM-DD or
DD/MM/AAAA) and ``correo``. ``dni``, ``nombres``, ``apellidos``, ``unidad`` and ``regimen`` are
required. CSV may be UTF-8 or Windows-1252 (what Excel saves), separated by commas or
semicolons. Blank rows are skipped.

The file is the source of truth for the people it lists: an existing DNI is updated with all the
row's values (a blank ``cargo``, ``correo`` or ``vigente_hasta`` clears it). People not in the
file are left alone; logins and role assignments are not touched.

Line numbers are the file's: the header is line 1. Errors are reported for every row at once.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from mapro.audit.actions import record_event
from mapro.core.exceptions import InvalidInput

from .choices import ContractRegime
from .data import UNIT_ALIASES
from .models import Person, Unit

COLUMNS = (
    "dni",
    "nombres",
    "apellidos",
    "cargo",
    "unidad",
    "regimen",
    "vigente_desde",
    "vigente_hasta",
    "correo",
)
REQUIRED_COLUMNS = ("dni", "nombres", "apellidos", "unidad", "regimen")
# Model field → column, to report the validation errors of ``check_person_data`` by column.
FIELD_COLUMNS = {
    "dni": "dni",
    "first_name": "nombres",
    "last_name": "apellidos",
    "cargo": "cargo",
    "unit": "unidad",
    "regime": "regimen",
    "valid_from": "vigente_desde",
    "valid_until": "vigente_hasta",
    "email": "correo",
}
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    """One reason a line of the file was rejected (``line`` 0: the file as a whole)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Línea {self.line}" if self.line else "Archivo"
        column = f", columna «{self.column}»" if self.column else ""
        return f"{where}{column}: {self.message}"


class ImportRejected(InvalidInput):
    """The file was rejected; ``row_errors`` lists every reason, in file order."""

    default_message = "El archivo tiene errores; no se importó ninguna fila."

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = sorted(row_errors, key=lambda e: (e.line, e.column))
        super().__init__(errors={"archivo": [str(e) for e in self.row_errors]})


@dataclass
class ImportResult:
    """What an accepted import did."""

    created: list[Person] = field(default_factory=list)
    updated: list[Person] = field(default_factory=list)
    unchanged: int = 0

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + self.unchanged

    def __str__(self) -> str:
        return (
            f"{len(self.created)} creadas, {len(self.updated)} actualizadas, "
            f"{self.unchanged} sin cambios"
        )


@dataclass
class _Row:
    line: int
    values: dict[str, Any]


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


# --- reading ------------------------------------------------------------------------------


def _read_bytes(file: Any) -> tuple[bytes, str]:
    if isinstance(file, str | Path):
        path = Path(file)
        with path.open("rb") as fh:
            return fh.read(MAX_BYTES + 1), path.name
    name = getattr(file, "name", "") or ""
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode()
    return data, Path(name).name


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _rows_from_xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportRejected([RowError(0, "", "El archivo no es un libro XLSX válido.")]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell(v) for v in values]))
            if number > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _rows_from_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for values in reader:
            rows.append((start, [_cell(v) for v in values]))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise ImportRejected(
            [RowError(reader.line_num, "", f"El CSV está mal formado ({exc}).")]
        ) from exc
    return rows


def read_rows(file: Any, filename: str = "") -> tuple[list[_Row], bytes, str]:
    """The data rows of the file as dicts by column, with their line numbers.

    Raises ImportRejected for problems with the file as a whole (type, size, header).
    """
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
    columns = [_normalize(str(c)) for c in header]
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
    rows = []
    for line, values in raw[1:]:
        padded = list(values) + [""] * (len(columns) - len(values))
        extra = [v for v in padded[len(columns) :] if str(v).strip()]
        row = {col: padded[i] for i, col in enumerate(columns) if col}
        if extra:
            row["__extra__"] = True
        rows.append(_Row(line, row))
    return rows, data, name


# --- parsing values -----------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _parse_dni(value: Any) -> str:
    # Excel drops leading zeros of numbers: 01234567 comes back as 1234567.
    if isinstance(value, int) and 0 <= value <= 99_999_999:
        return f"{value:08d}"
    return _text(value)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def _parse_date(value: Any) -> datetime.date | None:
    if value in ("", None):
        return None
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Fecha no válida «{text}»; use AAAA-MM-DD o DD/MM/AAAA.")


def _regime_lookup() -> dict[str, str]:
    table = {}
    for value, label in ContractRegime.choices:
        table[_normalize(value)] = value
        table[_normalize(str(label))] = value
    return table


def _parse_row(
    row: _Row, units: dict[str, Unit], regimes: dict[str, str]
) -> tuple[dict[str, Any], list[RowError]]:
    """The person data of one row, and the problems of form (unknown unit, bad date…)."""
    values, errors = row.values, []
    if values.get("__extra__"):
        errors.append(RowError(row.line, "", "La fila tiene más celdas que columnas."))
    data: dict[str, Any] = {
        "dni": _parse_dni(values.get("dni", "")),
        "first_name": _text(values.get("nombres", "")),
        "last_name": _text(values.get("apellidos", "")),
        "cargo": _text(values.get("cargo", "")),
        "email": _text(values.get("correo", "")),
    }
    unit_code = _text(values.get("unidad", "")).upper()
    unit_code = UNIT_ALIASES.get(unit_code, unit_code)
    if not unit_code:
        errors.append(RowError(row.line, "unidad", "Indique la sigla de la unidad."))
    elif unit_code not in units:
        errors.append(RowError(row.line, "unidad", f"No existe la unidad «{unit_code}»."))
    data["unit"] = units.get(unit_code)
    regime_text = _text(values.get("regimen", ""))
    data["regime"] = regimes.get(_normalize(regime_text))
    if data["regime"] is None:
        labels = ", ".join(str(label) for label in ContractRegime.labels)
        errors.append(
            RowError(row.line, "regimen", f"Régimen «{regime_text}» no reconocido; use: {labels}.")
        )
    for field_name, column in (("valid_from", "vigente_desde"), ("valid_until", "vigente_hasta")):
        try:
            data[field_name] = _parse_date(values.get(column, ""))
        except ValueError as exc:
            data[field_name] = None
            errors.append(RowError(row.line, column, str(exc)))
    return data, errors


# --- importing ----------------------------------------------------------------------------


def import_people(file: Any, *, actor: Any, filename: str = "") -> ImportResult:
    """Validate every row, then write them all in one transaction (see ``do_import_people``)."""
    from .actions import check_person_data, do_create_person, do_update_person

    rows, data, name = read_rows(file, filename)
    regimes = _regime_lookup()
    with transaction.atomic():
        # Inactive units too: check_person_data then says "no está activa", which is clearer.
        units = {u.code: u for u in Unit.objects.all()}
        dnis = [_parse_dni(r.values.get("dni", "")) for r in rows]
        existing = {p.dni: p for p in Person.objects.filter(dni__in=dnis).select_related("unit")}
        errors: list[RowError] = []
        planned: list[tuple[dict[str, Any], Person | None]] = []
        first_line: dict[str, int] = {}
        for row in rows:
            person_data, row_errors = _parse_row(row, units, regimes)
            dni = person_data["dni"]
            if dni in first_line:
                row_errors.append(
                    RowError(
                        row.line, "dni", f"DNI repetido: ya aparece en la línea {first_line[dni]}."
                    )
                )
            elif dni:
                first_line[dni] = row.line
            instance = existing.get(dni)
            full = {**person_data, "user": instance.user if instance else None}
            reported = {e.column for e in row_errors}
            for field_name, messages in check_person_data(full, instance=instance).items():
                column = FIELD_COLUMNS.get(field_name, field_name)
                if column in reported:
                    continue  # already explained more precisely (unknown unit, bad date…)
                row_errors += [RowError(row.line, column, m) for m in messages]
            errors += row_errors
            planned.append((person_data, instance))
        if errors:
            raise ImportRejected(errors)

        result = ImportResult()
        for person_data, instance in planned:
            if instance is None:
                result.created.append(do_create_person(actor=actor, **person_data))
                continue
            before = instance.pk, _fingerprint(instance)
            person = do_update_person(instance, actor=actor, **person_data)
            if (person.pk, _fingerprint(person)) == before:
                result.unchanged += 1
            else:
                result.updated.append(person)
        record_event(
            actor=actor,
            action="person.import",
            object_type="organization.person",
            object_repr=f"Importación de personas: {name or 'archivo'}"[:300],
            after={
                "archivo": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "filas": result.total,
                "creadas": [p.dni for p in result.created],
                "actualizadas": [p.dni for p in result.updated],
                "sin_cambios": result.unchanged,
            },
        )
    return result


def _fingerprint(person: Person) -> tuple[Any, ...]:
    return (*(getattr(person, f) for f in FIELD_COLUMNS if f != "unit"), person.unit_id)
