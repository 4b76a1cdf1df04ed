"""Filters of the submissions list, shared by the team's page and the API list."""

from __future__ import annotations

import django_filters

from mapro.core.filtersets import FilterSet

from .choices import SubmissionStatus
from .models import Submission


class SubmissionFilterSet(FilterSet):
    estado = django_filters.ChoiceFilter(
        label="Estado", field_name="status", choices=SubmissionStatus.choices
    )
    conjunto = django_filters.CharFilter(
        label="Conjunto de datos", field_name="entry__dataset__code", max_length=60
    )
    organo = django_filters.CharFilter(
        label="Órgano", field_name="entry__organization__code", max_length=30
    )
    periodo = django_filters.CharFilter(label="Periodo", field_name="entry__period", max_length=10)

    class Meta:
        model = Submission
        fields = ["estado", "conjunto", "organo", "periodo"]
