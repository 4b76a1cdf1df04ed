"""One filter for the logbook, shared by the HTML list, its XLSX export and the API list.

``LogbookFilterSet(request.GET, queryset=entries_visible_to(user))`` then ``.qs``. Dates are
days in Lima time: ``desde``/``hasta`` bound the entry day, both included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from .models import LogbookEntry

PAGE_SIZE = 50


class LogbookFilterSet(forms.Form):
    desde = forms.DateField(label="Ingreso desde", required=False)
    hasta = forms.DateField(label="Ingreso hasta", required=False)
    empresa = forms.CharField(label="Empresa o entidad", required=False, max_length=200)
    dni = forms.CharField(label="DNI", required=False, max_length=8)
    abiertos = forms.BooleanField(label="Solo dentro (sin salida)", required=False)
    visita = forms.IntegerField(label="Visita N°", required=False, min_value=1)

    def __init__(self, data: Any = None, *, queryset: QuerySet[LogbookEntry], **kwargs: Any):
        super().__init__(data, **kwargs)
        self.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("desde"), data.get("hasta")
        if start and end and end < start:
            self.add_error("hasta", "La fecha final no puede ser anterior a la inicial.")
        return data

    @staticmethod
    def _day_start(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    @property
    def qs(self) -> QuerySet[LogbookEntry]:
        """The filtered lines; none while the filter has errors (they are shown instead)."""
        qs = self.queryset
        if not self.is_bound:
            return qs
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if start := data.get("desde"):
            qs = qs.filter(entered_at__gte=self._day_start(start))
        if end := data.get("hasta"):
            qs = qs.filter(entered_at__lt=self._day_start(end + dt.timedelta(days=1)))
        if company := data.get("empresa", "").strip():
            qs = qs.filter(company__icontains=company)
        if dni := data.get("dni", "").strip():
            qs = qs.filter(dni=dni)
        if data.get("abiertos"):
            qs = qs.filter(exited_at__isnull=True)
        if visit := data.get("visita"):
            qs = qs.filter(visit_id=visit)
        return qs
