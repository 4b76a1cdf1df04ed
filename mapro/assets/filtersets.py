"""One filter per register, shared by the HTML list, its XLSX export and the API list.

Plain Django forms (as ``mapro.audit.filtersets``): ``XFilterSet(request.GET, queryset=...)``
then ``.qs``; with errors, ``.qs`` is empty and the errors are shown (400 in the API).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from mapro.organization.models import Unit

from .choices import (
    BlockKind,
    CertDeviceKind,
    DeviceStatus,
    MailCaseKind,
    PhoneKind,
    RestoreOutcome,
)


def _all(choices: Any) -> list[tuple[str, str]]:
    return [("", "Todos"), *choices]


class _FilterSet(forms.Form):
    """Bootstrap classes on every widget; ``qs`` applies ``filter_queryset`` when valid."""

    def __init__(self, data: Any = None, *, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.queryset = queryset
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    @property
    def qs(self) -> QuerySet[Any]:
        if not self.is_bound:
            return self.queryset
        if not self.is_valid():
            return self.queryset.none()
        return self.filter_queryset(self.queryset, self.cleaned_data)

    def filter_queryset(self, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        raise NotImplementedError

    @staticmethod
    def unit_q(code: str, field: str) -> Q:
        """Rows of the unit with sigla ``code`` and the units under it."""
        unit = Unit.objects.filter(code__iexact=code.strip()).first()
        if unit is None:
            return Q(pk__in=[])
        return Q(**{f"{field}__path__startswith": unit.path})


class PhoneFilterSet(_FilterSet):
    q = forms.CharField(
        label="Buscar", required=False, max_length=100, help_text="Serie, modelo, código o titular."
    )
    kind = forms.ChoiceField(label="Tipo", required=False, choices=_all(PhoneKind.choices))
    status = forms.ChoiceField(label="Estado", required=False, choices=_all(DeviceStatus.choices))
    unit = forms.CharField(label="Unidad (sigla)", required=False, max_length=30)

    def filter_queryset(self, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if q := data.get("q", "").strip():
            qs = qs.filter(
                Q(serial__icontains=q)
                | Q(brand_model__icontains=q)
                | Q(patrimonial_code__icontains=q)
                | Q(extension=q)
                | Q(line_number=q)
                | Q(assignments__holder_name__icontains=q, assignments__returned_on__isnull=True)
            ).distinct()
        if kind := data.get("kind"):
            qs = qs.filter(kind=kind)
        if status := data.get("status"):
            qs = qs.filter(status=status)
        if unit := data.get("unit", "").strip():
            qs = qs.filter(self.unit_q(unit, "holder_unit"))
        return qs


class CertDeviceFilterSet(_FilterSet):
    q = forms.CharField(
        label="Buscar", required=False, max_length=100, help_text="Serie, código o titular."
    )
    kind = forms.ChoiceField(
        label="Dispositivo", required=False, choices=_all(CertDeviceKind.choices)
    )
    status = forms.ChoiceField(label="Estado", required=False, choices=_all(DeviceStatus.choices))
    unit = forms.CharField(label="Unidad (sigla)", required=False, max_length=30)

    def filter_queryset(self, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if q := data.get("q", "").strip():
            qs = qs.filter(
                Q(serial__icontains=q)
                | Q(patrimonial_code__icontains=q)
                | Q(assignments__holder_name__icontains=q, assignments__returned_on__isnull=True)
            ).distinct()
        if kind := data.get("kind"):
            qs = qs.filter(kind=kind)
        if status := data.get("status"):
            qs = qs.filter(status=status)
        if unit := data.get("unit", "").strip():
            qs = qs.filter(self.unit_q(unit, "holder_unit"))
        return qs


class RestoreRequestFilterSet(_FilterSet):
    q = forms.CharField(
        label="Buscar",
        required=False,
        max_length=100,
        help_text="Sistema, periodo, solicitante o ticket.",
    )
    outcome = forms.ChoiceField(
        label="Resultado", required=False, choices=_all(RestoreOutcome.choices)
    )
    unit = forms.CharField(label="Unidad (sigla)", required=False, max_length=30)
    date_from = forms.DateField(
        label="Solicitado desde", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Solicitado hasta", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "La fecha final no puede ser anterior a la inicial.")
        return cleaned

    def filter_queryset(self, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if q := data.get("q", "").strip():
            qs = qs.filter(
                Q(system__icontains=q)
                | Q(period__icontains=q)
                | Q(requester_name__icontains=q)
                | Q(ticket=q)
            )
        if outcome := data.get("outcome"):
            qs = qs.filter(outcome=outcome)
        if unit := data.get("unit", "").strip():
            qs = qs.filter(self.unit_q(unit, "unit"))
        if start := data.get("date_from"):
            qs = qs.filter(requested_on__gte=start)
        if end := data.get("date_to"):
            qs = qs.filter(requested_on__lte=end)
        return qs


class BlockEntryFilterSet(_FilterSet):
    q = forms.CharField(label="Buscar", required=False, max_length=200, help_text="Valor o ticket.")
    kind = forms.ChoiceField(label="Tipo", required=False, choices=_all(BlockKind.choices))
    case_kind = forms.ChoiceField(label="Caso", required=False, choices=_all(MailCaseKind.choices))
    active = forms.ChoiceField(
        label="Vigencia",
        required=False,
        choices=[("", "Todas"), ("si", "Activas"), ("no", "Desactivadas")],
    )

    def filter_queryset(self, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if q := data.get("q", "").strip():
            qs = qs.filter(Q(value__icontains=q.lower()) | Q(ticket=q))
        if kind := data.get("kind"):
            qs = qs.filter(kind=kind)
        if case_kind := data.get("case_kind"):
            qs = qs.filter(case_kind=case_kind)
        if active := data.get("active"):
            qs = qs.filter(active=active == "si")
        return qs


class SemesterForm(forms.Form):
    """Año y semestre of the informe semestral de copia de restauración."""

    anio = forms.IntegerField(label="Año", min_value=2000, max_value=2100)
    semestre = forms.ChoiceField(
        label="Semestre",
        choices=[
            ("1", "Primer semestre (enero a junio)"),
            ("2", "Segundo semestre (julio a diciembre)"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def bounds(self) -> tuple[dt.date, dt.date]:
        """First and last day of the chosen semester (form must be valid)."""
        year, half = self.cleaned_data["anio"], self.cleaned_data["semestre"]
        if half == "1":
            return dt.date(year, 1, 1), dt.date(year, 6, 30)
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
