"""Filters of the inventory and the maintenance register, shared by the HTML lists, their XLSX
exports and the API lists (``mapro.core.filtersets``: bad values are field errors, 400 in the
API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from mapro.core.filtersets import FilterSet, IntegerFilter, UnitSubtreeFilter

from .choices import (
    Criticality,
    EquipmentKind,
    EquipmentState,
    MaintenanceExecutor,
    MaintenanceKind,
    MaintenanceOutcome,
    WarrantyDecision,
)
from .models import Equipment, Maintenance

WARRANTY_CHOICES = (
    ("vigente", "Vigente"),
    ("por-vencer", "Vence en 90 días"),
    ("vencida", "Vencida"),
    ("sin-dato", "Sin dato"),
)


class _FilterSet(FilterSet):
    def style_widget(self, field: forms.Field) -> None:
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")


class EquipmentFilterSet(_FilterSet):
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=100,
        help_text="Código, nombre, serie, código patrimonial, IP o titular.",
    )
    kind = django_filters.ChoiceFilter(
        label="Tipo", choices=EquipmentKind.choices, empty_label="Todos"
    )
    state = django_filters.ChoiceFilter(
        label="Estado", choices=EquipmentState.choices, empty_label="Todos"
    )
    criticality = django_filters.ChoiceFilter(
        label="Criticidad", choices=Criticality.choices, empty_label="Todas"
    )
    unit = UnitSubtreeFilter(label="Unidad (sigla)", field_name="unit")
    warranty = django_filters.ChoiceFilter(
        label="Garantía", choices=WARRANTY_CHOICES, empty_label="Todas", method="filter_warranty"
    )

    class Meta:
        model = Equipment
        fields: list[str] = []

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        q = value.strip()
        if not q:
            return qs
        return qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(serial__icontains=q)
            | Q(patrimonial_code__icontains=q)
            | Q(ip_address__startswith=q)
            | Q(holder__last_name__icontains=q)
            | Q(holder__first_name__icontains=q)
            | Q(holder__dni=q)
        )

    def filter_warranty(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        today = timezone.localdate()
        if value == "vigente":
            return qs.filter(warranty_end__gte=today)
        if value == "por-vencer":
            return qs.filter(
                warranty_end__gte=today, warranty_end__lte=today + dt.timedelta(days=90)
            )
        if value == "vencida":
            return qs.filter(warranty_end__lt=today)
        if value == "sin-dato":
            return qs.filter(warranty_end__isnull=True)
        return qs


class MaintenanceFilterSet(_FilterSet):
    equipment = django_filters.CharFilter(
        label="Equipo (código)", field_name="equipment__code", lookup_expr="iexact", max_length=40
    )
    kind = django_filters.ChoiceFilter(
        label="Tipo", choices=MaintenanceKind.choices, empty_label="Todos"
    )
    outcome = django_filters.ChoiceFilter(
        label="¿Se dio solución?", choices=MaintenanceOutcome.choices, empty_label="Todos"
    )
    warranty = django_filters.ChoiceFilter(
        label="Garantía", choices=WarrantyDecision.choices, empty_label="Todas"
    )
    executor = django_filters.ChoiceFilter(
        label="Ejecutado por", choices=MaintenanceExecutor.choices, empty_label="Todos"
    )
    equipment_kind = django_filters.ChoiceFilter(
        label="Tipo de equipo",
        field_name="equipment__kind",
        choices=EquipmentKind.choices,
        empty_label="Todos",
    )
    year = IntegerFilter(
        label="Año", field_name="performed_on__year", min_value=2000, max_value=2100
    )
    unit = UnitSubtreeFilter(label="Unidad (sigla)", field_name="equipment__unit")

    class Meta:
        model = Maintenance
        fields: list[str] = []
