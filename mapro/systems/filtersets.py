"""One filter per register, shared by the HTML list, its XLSX export and the API list."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from mapro.core.filtersets import FilterForm, FilterSet, FlagFilter, UnitSubtreeFilter

from .choices import ChangeKind, ChangeStatus, Criticality, QualityTool, SystemState, Verdict
from .models import ChangeRecord, InformationSystem, QualityReport, Release


class _FilterSet(FilterSet):
    def style_widget(self, field: forms.Field) -> None:
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")


class SystemFilterSet(_FilterSet):
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=100,
        help_text="Código, nombre, tecnología, repositorio o servidor.",
    )
    state = django_filters.ChoiceFilter(
        label="Estado", choices=SystemState.choices, empty_label="Todos"
    )
    criticality = django_filters.ChoiceFilter(
        label="Criticidad", choices=Criticality.choices, empty_label="Todas"
    )
    unit = UnitSubtreeFilter(label="Unidad propietaria (sigla)", field_name="owner_unit")

    class Meta:
        model = InformationSystem
        fields: list[str] = []
        form = FilterForm

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = value.strip()
        if not q:
            return qs
        return qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(technologies__icontains=q)
            | Q(repository__icontains=q)
            | Q(servers__icontains=q)
        )


class ReleaseFilterSet(_FilterSet):
    system = django_filters.CharFilter(
        label="Sistema (código)", field_name="system__code", lookup_expr="iexact", max_length=40
    )
    deployed = FlagFilter(
        label="En producción", field_name="released_on", lookup_expr="isnull", exclude=True
    )
    desde = django_filters.DateFilter(label="Desde", field_name="released_on", lookup_expr="gte")
    hasta = django_filters.DateFilter(label="Hasta", field_name="released_on", lookup_expr="lte")

    class Meta:
        model = Release
        fields: list[str] = []
        form = FilterForm


class ChangeFilterSet(_FilterSet):
    q = django_filters.CharFilter(
        label="Buscar", method="filter_q", max_length=100, help_text="Sistema o descripción."
    )
    system = django_filters.CharFilter(
        label="Sistema (código)", field_name="system__code", lookup_expr="iexact", max_length=40
    )
    kind = django_filters.ChoiceFilter(
        label="Tipo de cambio", choices=ChangeKind.choices, empty_label="Todos"
    )
    status = django_filters.ChoiceFilter(
        label="Estado", choices=ChangeStatus.choices, empty_label="Todos"
    )
    desde = django_filters.DateFilter(label="Desde", field_name="registered_on", lookup_expr="gte")
    hasta = django_filters.DateFilter(label="Hasta", field_name="registered_on", lookup_expr="lte")

    class Meta:
        model = ChangeRecord
        fields: list[str] = []
        form = FilterForm

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = value.strip()
        if not q:
            return qs
        return qs.filter(Q(system_name__icontains=q) | Q(description__icontains=q))


class ReportFilterSet(_FilterSet):
    system = django_filters.CharFilter(
        label="Sistema (código)", field_name="system__code", lookup_expr="iexact", max_length=40
    )
    tool = django_filters.ChoiceFilter(
        label="Herramienta", choices=QualityTool.choices, empty_label="Todas"
    )
    proposed = django_filters.ChoiceFilter(
        label="Propuesta del umbral", choices=Verdict.choices, empty_label="Todas"
    )

    class Meta:
        model = QualityReport
        fields: list[str] = []
