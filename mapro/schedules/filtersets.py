"""One filter for the cronogramas register, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters

from mapro.core.filtersets import FilterSet

from .choices import ScheduleStatus
from .models import Schedule


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
