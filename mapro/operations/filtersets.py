"""One filter for the run records, shared by the HTML list, its XLSX export and the API."""

from __future__ import annotations

import django_filters
from django import forms

from mapro.core.filtersets import FilterSet

from .choices import CorrectionState, Outcome, RunKind
from .models import RunRecord


class RunFilterForm(forms.Form):
    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        since, until = data.get("desde"), data.get("hasta")
        if since and until and until < since:
            self.add_error("hasta", "La fecha final es anterior a la inicial.")
        return data


class RunFilterSet(FilterSet):
    tipo = django_filters.ChoiceFilter(
        label="Tipo", field_name="kind", choices=RunKind.choices, empty_label="Todos"
    )
    resultado = django_filters.ChoiceFilter(
        label="Resultado", field_name="outcome", choices=Outcome.choices, empty_label="Todos"
    )
    correccion = django_filters.ChoiceFilter(
        label="Corrección",
        field_name="correction_state",
        choices=CorrectionState.choices,
        empty_label="Todas",
    )
    equipo = django_filters.CharFilter(
        label="Equipo (código)", field_name="equipment__code", max_length=40
    )
    desde = django_filters.DateFilter(label="Desde", field_name="ran_at", lookup_expr="date__gte")
    hasta = django_filters.DateFilter(label="Hasta", field_name="ran_at", lookup_expr="date__lte")

    class Meta:
        model = RunRecord
        fields: list[str] = []
        form = RunFilterForm
