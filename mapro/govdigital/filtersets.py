"""One filter per register, shared by the HTML list, its XLSX export and the API list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from mapro.core.filtersets import FilterForm, FilterSet

from .choices import PlanStatus, ProjectStatus, RiskLevel, RiskSource, RiskStatus, Team, Treatment
from .models import Plan, Project, Risk, Session

LEVEL_RANGES = {"bajo": (1, 3), "medio": (4, 6), "alto": (8, 12), "extremo": (15, 25)}


class PlanFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(
        label="Estado", choices=PlanStatus.choices, empty_label="Todos"
    )

    class Meta:
        model = Plan
        fields: list[str] = []
        form = FilterForm

    def filter_queryset(self, queryset: QuerySet[Plan]) -> QuerySet[Plan]:
        return super().filter_queryset(queryset).order_by("-start_year", "-id")


class ProjectFilterSet(FilterSet):
    q = django_filters.CharFilter(
        label="Buscar", method="filter_q", max_length=200, help_text="Código o nombre."
    )
    plan = django_filters.CharFilter(
        label="PGD", field_name="plan__code", max_length=20, help_text="Código del PGD."
    )
    team = django_filters.ChoiceFilter(label="Equipo", choices=Team.choices, empty_label="Todos")
    status = django_filters.ChoiceFilter(
        label="Estado", choices=ProjectStatus.choices, empty_label="Todos"
    )

    class Meta:
        model = Project
        fields: list[str] = []
        form = FilterForm

    def filter_q(self, qs: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        text = value.strip()
        return qs.filter(Q(code__iexact=text) | Q(name__icontains=text)) if text else qs

    def filter_queryset(self, queryset: QuerySet[Project]) -> QuerySet[Project]:
        return super().filter_queryset(queryset).order_by("plan__start_year", "plan_id", "code")


class SessionFilterSet(FilterSet):
    desde = django_filters.DateFilter(
        label="Desde", field_name="date", lookup_expr="gte", help_text="AAAA-MM-DD."
    )
    hasta = django_filters.DateFilter(
        label="Hasta", field_name="date", lookup_expr="lte", help_text="AAAA-MM-DD."
    )

    class Meta:
        model = Session
        fields: list[str] = []
        form = FilterForm

    def filter_queryset(self, queryset: QuerySet[Session]) -> QuerySet[Session]:
        return super().filter_queryset(queryset).order_by("-date", "-id")


class RiskFilterSet(FilterSet):
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=200,
        help_text="Código, activo, amenaza o vulnerabilidad.",
    )
    level = django_filters.ChoiceFilter(
        label="Riesgo inherente",
        choices=RiskLevel.choices,
        method="filter_level",
        empty_label="Todos",
    )
    status = django_filters.ChoiceFilter(
        label="Estado", choices=RiskStatus.choices, empty_label="Todos"
    )
    treatment = django_filters.ChoiceFilter(
        label="Tratamiento", choices=Treatment.choices, empty_label="Todos"
    )
    source = django_filters.ChoiceFilter(
        label="Origen", choices=RiskSource.choices, empty_label="Todos"
    )
    plan = django_filters.CharFilter(
        label="PGD", field_name="plan__code", max_length=20, help_text="Código del PGD."
    )

    class Meta:
        model = Risk
        fields: list[str] = []
        form = FilterForm

    def filter_q(self, qs: QuerySet[Risk], name: str, value: str) -> QuerySet[Risk]:
        text = value.strip()
        if not text:
            return qs
        return qs.filter(
            Q(code__iexact=text)
            | Q(asset__icontains=text)
            | Q(threat__icontains=text)
            | Q(vulnerability__icontains=text)
        )

    def filter_level(self, qs: QuerySet[Risk], name: str, value: str) -> QuerySet[Risk]:
        low, high = LEVEL_RANGES[value]
        return qs.filter(inherent__gte=low, inherent__lte=high)

    def filter_queryset(self, queryset: QuerySet[Risk]) -> QuerySet[Risk]:
        return super().filter_queryset(queryset).order_by("-inherent", "code")
