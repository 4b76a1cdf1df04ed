"""One filter for the logbook, shared by the HTML list, its XLSX export and the API list.

``LogbookFilterSet(request.GET, queryset=entries_visible_to(user))`` then ``.qs``. Dates are
days in Lima time: ``desde``/``hasta`` bound the entry day, both included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from mapro.core.filtersets import FilterForm, FilterSet, FlagFilter, IntegerFilter

from .models import LogbookEntry

PAGE_SIZE = 50


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class LogbookFilterSet(FilterSet):
    desde = django_filters.DateFilter(
        label="Ingreso desde", method="filter_desde", help_text="AAAA-MM-DD."
    )
    hasta = django_filters.DateFilter(
        label="Ingreso hasta", method="filter_hasta", help_text="AAAA-MM-DD, incluido."
    )
    empresa = django_filters.CharFilter(
        label="Empresa o entidad", method="filter_empresa", max_length=200
    )
    dni = django_filters.CharFilter(label="DNI", method="filter_dni", max_length=8)
    abiertos = FlagFilter(label="Solo dentro (sin salida)", method="filter_abiertos")
    visita = IntegerFilter(label="Visita N°", field_name="visit_id", min_value=1)

    class Meta:
        model = LogbookEntry
        fields: list[str] = []
        form = FilterForm

    def filter_desde(self, qs: QuerySet[LogbookEntry], name: str, value: Any) -> Any:
        return qs.filter(entered_at__gte=_day_start(value))

    def filter_hasta(self, qs: QuerySet[LogbookEntry], name: str, value: Any) -> Any:
        return qs.filter(entered_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_empresa(self, qs: QuerySet[LogbookEntry], name: str, value: str) -> Any:
        return qs.filter(company__icontains=value.strip()) if value.strip() else qs

    def filter_dni(self, qs: QuerySet[LogbookEntry], name: str, value: str) -> Any:
        return qs.filter(dni=value.strip()) if value.strip() else qs

    def filter_abiertos(self, qs: QuerySet[LogbookEntry], name: str, value: bool) -> Any:
        return qs.filter(exited_at__isnull=True) if value else qs
