"""One filter for the incident matrix, shared by the HTML list, its XLSX export and the API."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from mapro.organization.models import Unit

from .choices import Kind, Level, Status
from .models import Incident


class IncidentFilterSet(forms.Form):
    q = forms.CharField(label="Buscar", required=False, max_length=200)
    kind = forms.ChoiceField(label="Tipo", required=False, choices=[("", "Todos"), *Kind.choices])
    severity = forms.MultipleChoiceField(label="Severidad", required=False, choices=Level.choices)
    status = forms.ChoiceField(
        label="Estado", required=False, choices=[("", "Todos"), *Status.choices]
    )
    desde = forms.DateField(label="Detectado desde", required=False)
    hasta = forms.DateField(label="Detectado hasta", required=False)
    unit = forms.CharField(
        label="Unidad que reporta",
        required=False,
        max_length=30,
        help_text="Sigla; incluye las unidades dependientes.",
    )

    def __init__(self, data: Any = None, *, queryset: QuerySet[Incident]) -> None:
        super().__init__(data)
        self.queryset = queryset

    def clean_unit(self) -> Unit | None:
        code = (self.cleaned_data.get("unit") or "").strip()
        if not code:
            return None
        unit = Unit.objects.filter(code__iexact=code).first()
        if unit is None:
            raise forms.ValidationError("No existe una unidad con esa sigla.")
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("desde") and data.get("hasta") and data["desde"] > data["hasta"]:
            self.add_error("hasta", "La fecha final no puede ser anterior a la inicial.")
        return data

    @property
    def qs(self) -> QuerySet[Incident]:
        qs = self.queryset
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data.get("q"):
            text = data["q"].strip()
            qs = qs.filter(
                Q(code__iexact=text) | Q(title__icontains=text) | Q(description__icontains=text)
            )
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("severity"):
            qs = qs.filter(severity__in=data["severity"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        tz = timezone.get_current_timezone()
        if data.get("desde"):
            start = datetime.datetime.combine(data["desde"], datetime.time.min, tzinfo=tz)
            qs = qs.filter(detected_at__gte=start)
        if data.get("hasta"):
            end = datetime.datetime.combine(
                data["hasta"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            )
            qs = qs.filter(detected_at__lt=end)
        if data.get("unit") is not None:
            qs = qs.filter(reporting_unit__path__startswith=data["unit"].path)
        return qs.order_by("-detected_at", "-id")
