"""One filter for the incident matrix, shared by the HTML list, its XLSX export and the API."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from mapro.core.filtersets import FilterForm, FilterSet, UnitSubtreeFilter

from .choices import Kind, Level, Status
from .models import Incident


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class IncidentFilterSet(FilterSet):
    q = django_filters.CharFilter(
        label="Buscar", method="filter_q", max_length=200, help_text="Código o texto."
    )
    kind = django_filters.ChoiceFilter(label="Tipo", choices=Kind.choices, empty_label="Todos")
    severity = django_filters.MultipleChoiceFilter(label="Severidad", choices=Level.choices)
    status = django_filters.ChoiceFilter(
        label="Estado", choices=Status.choices, empty_label="Todos"
    )
    desde = django_filters.DateFilter(
        label="Detectado desde", method="filter_desde", help_text="AAAA-MM-DD."
    )
    hasta = django_filters.DateFilter(
        label="Detectado hasta", method="filter_hasta", help_text="AAAA-MM-DD."
    )
    unit = UnitSubtreeFilter(
        label="Unidad que reporta",
        field_name="reporting_unit",
        help_text="Sigla; incluye las unidades dependientes.",
    )

    class Meta:
        model = Incident
        fields: list[str] = []
        form = FilterForm

    def filter_q(self, qs: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        text = value.strip()
        if not text:
            return qs
        return qs.filter(
            Q(code__iexact=text) | Q(title__icontains=text) | Q(description__icontains=text)
        )

    def filter_desde(self, qs: QuerySet[Incident], name: str, value: Any) -> QuerySet[Incident]:
        return qs.filter(detected_at__gte=_day_start(value))

    def filter_hasta(self, qs: QuerySet[Incident], name: str, value: Any) -> QuerySet[Incident]:
        return qs.filter(detected_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def filter_queryset(self, queryset: QuerySet[Incident]) -> QuerySet[Incident]:
        return super().filter_queryset(queryset).order_by("-detected_at", "-id")
