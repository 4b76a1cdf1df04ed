"""Forms and query-parameter parsing of the HR pages (the API shares ``report_period``)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from mapro.core.exceptions import InvalidInput

from .choices import DifferenceKind, DifferenceStatus
from .selectors import default_report_period


def _date(value: Any, name: str, errors: dict[str, list[str]]) -> datetime.date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors[name] = ["Fecha no válida; use AAAA-MM-DD."]
        return None


def report_period(params: Any, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """``desde``/``hasta`` from GET parameters; the current semester by default. InvalidInput
    names a bad date or an inverted range."""
    errors: dict[str, list[str]] = {}
    start = _date(params.get("desde"), "desde", errors)
    end = _date(params.get("hasta"), "hasta", errors)
    if errors:
        raise InvalidInput(errors=errors)
    default_start, default_end = default_report_period(today)
    start, end = start or default_start, end or default_end
    if start > end:
        raise InvalidInput(errors={"hasta": ["«Hasta» no puede ser anterior a «desde»."]})
    return start, end


class ReconciliationUploadForm(forms.Form):
    """Upload of the DGRRHH list (activity 14)."""

    period = forms.CharField(
        label="Semestre",
        max_length=8,
        help_text="AAAA-I (enero a junio) o AAAA-II (julio a diciembre).",
    )
    file = forms.FileField(
        label="Listado de altas y bajas de la DGRRHH",
        help_text="CSV o XLSX con las columnas dni, nombres, apellidos, unidad, movimiento "
        "(alta o baja) y fecha.",
    )


class AttendForm(forms.Form):
    note = forms.CharField(
        label="Nota de atención", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class DifferenceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Diferencia", choices=[("", "Todas"), *DifferenceKind.choices], required=False
    )
    status = forms.ChoiceField(
        label="Estado", choices=[("", "Todos"), *DifferenceStatus.choices], required=False
    )
