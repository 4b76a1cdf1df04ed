"""One filter for the register of official documents, shared by the HTML list, its export and
the API list."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from mapro.core.filtersets import FilterSet
from mapro.procedures.models import Procedure

from .models import Document


class DocumentFilterForm(forms.Form):
    def clean_anio(self) -> str:
        year = (self.cleaned_data.get("anio") or "").strip()
        if year and not (year.isdigit() and len(year) == 4):
            raise forms.ValidationError("El año debe tener cuatro cifras (p. ej. 2026).")
        return year

    def clean_procedimiento(self) -> str:
        code = (self.cleaned_data.get("procedimiento") or "").strip()
        if code and not Procedure.objects.filter(code=code).exists():
            raise forms.ValidationError("No existe un procedimiento con ese código.")
        return code


class DocumentFilterSet(FilterSet):
    tipo = django_filters.CharFilter(
        label="Tipo", method="filter_tipo", max_length=100, help_text='Tipo exacto ("Oficio").'
    )
    anio = django_filters.CharFilter(
        label="Año", method="filter_anio", max_length=4, help_text="Año de emisión (AAAA)."
    )
    procedimiento = django_filters.CharFilter(
        label="Procedimiento",
        method="filter_procedimiento",
        max_length=40,
        help_text="Código del procedimiento (S04.03.01.01).",
    )
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=200,
        help_text="Texto en número, asunto, tipo o emisor.",
    )

    class Meta:
        model = Document
        fields: list[str] = []
        form = DocumentFilterForm

    def filter_tipo(self, qs: QuerySet[Document], name: str, value: str) -> Any:
        return qs.filter(kind=value.strip()) if value.strip() else qs

    def filter_anio(self, qs: QuerySet[Document], name: str, value: str) -> Any:
        return qs.filter(year=int(value)) if value else qs

    def filter_procedimiento(self, qs: QuerySet[Document], name: str, value: str) -> Any:
        code = value.strip()
        return qs.filter(instance__procedure_version__procedure__code=code) if code else qs

    def filter_q(self, qs: QuerySet[Document], name: str, value: str) -> Any:
        text = value.strip()
        if not text:
            return qs
        return qs.filter(
            Q(number__icontains=text)
            | Q(subject__icontains=text)
            | Q(kind__icontains=text)
            | Q(issued_by_name__icontains=text)
        )
