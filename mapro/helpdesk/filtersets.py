"""One filter for tickets, shared by the operator console (HTML) and the API list.

A django-filter FilterSet (``mapro.core.filtersets``): ``TicketFilterSet(request.GET,
queryset=..., user=...)``, then ``.qs``; the API list's OpenAPI parameters come from it.
Every filter maps to an indexed column (status, category subtree, priority, team subtree,
assignee, requester unit subtree, resolution due time) and ``q`` to the full-text search of
``selectors.search_tickets``. Codes (category, unit) and usernames are used instead of ids so
URLs are readable and stable across databases.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import QuerySet, Subquery
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from mapro.core.filtersets import FilterForm, FilterSet, FlagFilter, UnitSubtreeFilter

from .choices import RUNNING_STATUSES, Channel, Priority, Status
from .models import Category, Ticket
from .selectors import MAX_PAGE_SIZE, PAGE_SIZE, search_tickets, status_is

UNASSIGNED = "ninguno"
ME = "yo"


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of ``day`` in the installation's zone (the days people mean, in Lima)."""
    return datetime.datetime.combine(day, datetime.time(), zoneinfo.ZoneInfo(settings.TIME_ZONE))


class CategoryCodeField(forms.CharField):
    """A category's code; cleans to the category with ``subtree_ids``: its id and its
    descendants' ids.

    One query reads the category and its subtree, so that ``qs`` filters on literal ids:
    PostgreSQL then estimates the match count from its statistics per category (with a
    subquery it assumed a fixed share and, at 1M tickets, chose to read 100,000 index
    entries instead of walking the created_at index; bench_helpdesk_queue.py).
    """

    def clean(self, value: Any) -> Category | None:  # type: ignore[override]
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        path = Category.objects.filter(code=code).values("path")[:1]
        subtree = list(
            Category.objects.filter(path__startswith=Subquery(path)).only("id", "path", "code")
        )
        category = next((c for c in subtree if c.code == code), None)
        if category is None:
            raise forms.ValidationError("No existe una categoría con ese código.")
        category.subtree_ids = [c.pk for c in subtree]  # type: ignore[attr-defined]
        return category


@extend_schema_field(OpenApiTypes.STR)
class CategorySubtreeFilter(django_filters.Filter):
    field_class = CategoryCodeField

    def filter(self, qs: QuerySet[Ticket], value: Category | None) -> QuerySet[Ticket]:
        if value is None:
            return qs
        return qs.filter(category_id__in=value.subtree_ids)  # type: ignore[attr-defined]


class StatusFilter(django_filters.MultipleChoiceFilter):
    """``?status=`` (one or more): the statuses written into the SQL as constants
    (``selectors.status_is``), so that a prepared statement's generic plan can use the
    requester's partial index."""

    def filter(self, qs: QuerySet[Ticket], value: list[str]) -> QuerySet[Ticket]:
        if not value:
            return qs
        return qs.filter(status_is(value))


class TicketFilterSet(FilterSet):
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=200,
        help_text="Búsqueda de texto completo o número de ticket.",
    )
    status = StatusFilter(label="Estado", choices=Status.choices)
    category = CategorySubtreeFilter(
        label="Categoría", max_length=60, help_text="Código; incluye subcategorías."
    )
    priority = django_filters.MultipleChoiceFilter(label="Prioridad", choices=Priority.choices)
    channel = django_filters.ChoiceFilter(
        label="Canal", choices=Channel.choices, empty_label="Todos"
    )
    team = UnitSubtreeFilter(label="Equipo", field_name="team", help_text="Sigla.")
    assignee = django_filters.CharFilter(
        label="Responsable",
        method="filter_assignee",
        max_length=150,
        help_text=f"Usuario, «{ME}» o «{UNASSIGNED}».",
    )
    unit = UnitSubtreeFilter(
        label="Unidad solicitante",
        field_name="requester_unit",
        help_text="Sigla; incluye las unidades dependientes.",
    )
    overdue = FlagFilter(label="Solo vencidos", method="filter_overdue")
    # The lists' jump by date as a filter (the HTML lists jump with ``?fecha=`` instead, so that
    # their "Más recientes" link can walk back up; ``paging.date_jump``). Newest first, ``hasta``
    # starts the list at that day: "the tickets from 12/03/2025" back.
    desde = django_filters.DateFilter(
        label="Registrados desde",
        method="filter_desde",
        help_text="AAAA-MM-DD (o DD/MM/AAAA): registrados ese día o después (hora de Lima).",
    )
    hasta = django_filters.DateFilter(
        label="Registrados hasta",
        method="filter_hasta",
        help_text="AAAA-MM-DD (o DD/MM/AAAA): registrados ese día o antes (hora de Lima).",
    )

    class Meta:
        model = Ticket
        fields: list[str] = []
        form = FilterForm

    def style_widget(self, field: forms.Field) -> None:
        if isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
            return
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def filter_assignee(self, qs: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        assignee = value.strip()
        if not assignee:
            return qs
        if assignee == UNASSIGNED:
            return qs.filter(assignee__isnull=True)
        if assignee == ME:
            return qs.filter(assignee_id=getattr(self.user, "pk", None))
        return qs.filter(assignee__username=assignee)

    def filter_overdue(self, qs: QuerySet[Ticket], name: str, value: bool) -> QuerySet[Ticket]:
        if not value:
            return qs
        return qs.filter(status__in=RUNNING_STATUSES, resolution_due_at__lt=timezone.now())

    def filter_desde(
        self, qs: QuerySet[Ticket], name: str, value: datetime.date
    ) -> QuerySet[Ticket]:
        return qs.filter(created_at__gte=_day_start(value))

    def filter_hasta(
        self, qs: QuerySet[Ticket], name: str, value: datetime.date
    ) -> QuerySet[Ticket]:
        return qs.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def filter_q(self, qs: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return qs  # applied last, in filter_queryset (the search may rank)

    def filter_queryset(self, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        qs = super().filter_queryset(queryset)
        text = (self.form.cleaned_data.get("q") or "").strip()
        return search_tickets(qs, text) if text else qs

    @property
    def page_size(self) -> int:
        """The console's ``?size=`` (1–200; 50 when absent or not a number)."""
        try:
            size = int(self.data.get("size") or PAGE_SIZE)
        except (TypeError, ValueError):
            return PAGE_SIZE
        return max(1, min(size, MAX_PAGE_SIZE))
