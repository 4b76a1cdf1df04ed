"""One filter for the cronogramas register, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django import forms

from mapro.core.filtersets import FilterSet
from mapro.organization.models import Role
from mapro.procedures.models import Procedure

from .choices import PlanStatus, ScheduleStatus
from .models import Plan, Schedule


class ScheduleFilterForm(forms.Form):
    """A code that names nothing is an error, not an empty list that hides the typo."""

    def clean_procedimiento(self) -> str:
        code = (self.cleaned_data.get("procedimiento") or "").strip()
        if code and not Procedure.objects.filter(code=code).exists():
            raise forms.ValidationError("No existe un procedimiento con ese código.")
        return code

    def clean_rol(self) -> str:
        code = (self.cleaned_data.get("rol") or "").strip()
        if code and not Role.objects.filter(code=code).exists():
            raise forms.ValidationError("No existe un rol con ese código.")
        return code


class ScheduleFilterSet(FilterSet):
    estado = django_filters.ChoiceFilter(
        label="Estado", field_name="status", choices=ScheduleStatus.choices, empty_label="Todos"
    )
    procedimiento = django_filters.CharFilter(
        label="Procedimiento",
        field_name="procedure__code",
        max_length=20,
        help_text="Código del procedimiento, p. ej. S04.03.01.02.",
    )
    rol = django_filters.CharFilter(
        label="Rol responsable", field_name="role", max_length=40, help_text="Código del rol."
    )

    class Meta:
        model = Schedule
        fields: list[str] = []
        form = ScheduleFilterForm


class PlanFilterForm(ScheduleFilterForm):
    pass


class PlanFilterSet(FilterSet):
    """The annual cronogramas: by procedure, year and status."""

    procedimiento = django_filters.CharFilter(
        label="Procedimiento",
        field_name="procedure__code",
        max_length=20,
        help_text="Código del procedimiento, p. ej. S04.03.02.01.",
    )
    anio = django_filters.NumberFilter(
        label="Año", field_name="year", min_value=2000, max_value=2100
    )
    estado = django_filters.ChoiceFilter(
        label="Estado", field_name="status", choices=PlanStatus.choices, empty_label="Todos"
    )

    class Meta:
        model = Plan
        fields: list[str] = []
        form = PlanFilterForm
