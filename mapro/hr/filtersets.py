"""The filters of the HR lists, shared by the HTML pages and the API lists."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator

from mapro.core.filtersets import FilterSet

from .choices import LeaverKind
from .models import LeaverEvent, Reconciliation


class LeaverEventFilterSet(FilterSet):
    dni = django_filters.CharFilter(
        label="DNI",
        max_length=8,
        validators=[RegexValidator(r"^\d{8}$", "El DNI tiene 8 dígitos.")],
        help_text="DNI de la persona (8 dígitos).",
    )
    kind = django_filters.ChoiceFilter(
        label="Tipo", choices=LeaverKind.choices, empty_label="Todos"
    )

    class Meta:
        model = LeaverEvent
        fields: list[str] = []


class ReconciliationFilterSet(FilterSet):
    """No filters yet: the list is short (two a year); declared so the page and the API read
    the same way and a filter added here reaches both."""

    class Meta:
        model = Reconciliation
        fields: list[str] = []
