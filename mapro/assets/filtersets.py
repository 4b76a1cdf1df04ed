"""One filter per register, shared by the HTML list, its XLSX export and the API list.

django-filter FilterSets (``mapro.core.filtersets``): ``XFilterSet(request.GET, queryset=...)``
then ``.qs``; with errors, ``.qs`` is empty and the errors are shown (400 in the API).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from mapro.core.filtersets import FilterForm, FilterSet, UnitSubtreeFilter

from .choices import (
    BlockKind,
    CertDeviceKind,
    DeviceStatus,
    MailCaseKind,
    PhoneKind,
    RestoreOutcome,
)
from .models import BlockEntry, CertDevice, PhoneEquipment, RestoreRequest


class _FilterSet(FilterSet):
    """Bootstrap classes on every widget."""

    def style_widget(self, field: forms.Field) -> None:
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")


class PhoneFilterSet(_FilterSet):
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=100,
        help_text="Serie, modelo, código o titular.",
    )
    kind = django_filters.ChoiceFilter(label="Tipo", choices=PhoneKind.choices, empty_label="Todos")
    status = django_filters.ChoiceFilter(
        label="Estado", choices=DeviceStatus.choices, empty_label="Todos"
    )
    unit = UnitSubtreeFilter(label="Unidad (sigla)", field_name="holder_unit")

    class Meta:
        model = PhoneEquipment
        fields: list[str] = []

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = value.strip()
        if not q:
            return qs
        return qs.filter(
            Q(serial__icontains=q)
            | Q(brand_model__icontains=q)
            | Q(patrimonial_code__icontains=q)
            | Q(extension=q)
            | Q(line_number=q)
            | Q(assignments__holder_name__icontains=q, assignments__returned_on__isnull=True)
        ).distinct()


class CertDeviceFilterSet(_FilterSet):
    q = django_filters.CharFilter(
        label="Buscar", method="filter_q", max_length=100, help_text="Serie, código o titular."
    )
    kind = django_filters.ChoiceFilter(
        label="Dispositivo", choices=CertDeviceKind.choices, empty_label="Todos"
    )
    status = django_filters.ChoiceFilter(
        label="Estado", choices=DeviceStatus.choices, empty_label="Todos"
    )
    unit = UnitSubtreeFilter(label="Unidad (sigla)", field_name="holder_unit")

    class Meta:
        model = CertDevice
        fields: list[str] = []

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = value.strip()
        if not q:
            return qs
        return qs.filter(
            Q(serial__icontains=q)
            | Q(patrimonial_code__icontains=q)
            | Q(assignments__holder_name__icontains=q, assignments__returned_on__isnull=True)
        ).distinct()


class RestoreRequestFilterForm(FilterForm):
    date_ranges = (("date_from", "date_to"),)


class RestoreRequestFilterSet(_FilterSet):
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=100,
        help_text="Sistema, periodo, solicitante o ticket.",
    )
    outcome = django_filters.ChoiceFilter(
        label="Resultado", choices=RestoreOutcome.choices, empty_label="Todos"
    )
    unit = UnitSubtreeFilter(label="Unidad (sigla)", field_name="unit")
    date_from = django_filters.DateFilter(
        label="Solicitado desde",
        field_name="requested_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label="Solicitado hasta",
        field_name="requested_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = RestoreRequest
        fields: list[str] = []
        form = RestoreRequestFilterForm

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = value.strip()
        if not q:
            return qs
        return qs.filter(
            Q(system__icontains=q)
            | Q(period__icontains=q)
            | Q(requester_name__icontains=q)
            | Q(ticket=q)
        )


class BlockEntryFilterSet(_FilterSet):
    q = django_filters.CharFilter(
        label="Buscar", method="filter_q", max_length=200, help_text="Valor o ticket."
    )
    kind = django_filters.ChoiceFilter(label="Tipo", choices=BlockKind.choices, empty_label="Todos")
    case_kind = django_filters.ChoiceFilter(
        label="Caso", choices=MailCaseKind.choices, empty_label="Todos"
    )
    active = django_filters.ChoiceFilter(
        label="Vigencia",
        choices=[("si", "Activas"), ("no", "Desactivadas")],
        empty_label="Todas",
        method="filter_active",
    )

    class Meta:
        model = BlockEntry
        fields: list[str] = []

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = value.strip()
        return qs.filter(Q(value__icontains=q.lower()) | Q(ticket=q)) if q else qs

    def filter_active(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(active=value == "si")


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
