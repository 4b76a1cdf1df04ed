"""One filter for audit events, shared by the HTML list and the CSV export.

A django-filter FilterSet (``mapro.core.filtersets``): ``AuditEventFilterSet(request.GET,
queryset=...)``, then ``.qs``. Every filter hits an index: actor name, action (exact, or a prefix
ending in "."), object type and id, date (occurred_at). The action and the object type are chosen
by their Spanish names (``labels.action_choices``, ``labels.object_type_choices``).
"""

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from mapro.core.filtersets import FilterForm, FilterSet

from .choices import Source
from .labels import action_choices, object_type_choices
from .models import AuditEvent


class AuditEventFilterForm(FilterForm):
    date_ranges = (("date_from", "date_to"),)


_DATE = forms.DateInput(attrs={"type": "date"})


class AuditEventFilterSet(FilterSet):
    actor = django_filters.CharFilter(
        label="Usuario",
        method="filter_actor",
        max_length=150,
        help_text="Nombre de usuario exacto (o «sistema»).",
    )
    # Chosen by their Spanish names; the value stays the code, so a link may still name an
    # action exactly or by a prefix ending in "." (``?action=ticket.``), as before.
    action = django_filters.CharFilter(
        label="Acción",
        method="filter_action",
        max_length=100,
        # Django takes a callable and calls it when rendering (the stubs do not know it).
        widget=forms.Select(choices=action_choices),  # type: ignore[arg-type]
    )
    object_type = django_filters.CharFilter(
        label="Tipo de objeto",
        method="filter_exact",
        max_length=100,
        widget=forms.Select(choices=object_type_choices),  # type: ignore[arg-type]
    )
    object_id = django_filters.CharFilter(
        label="ID del objeto", method="filter_exact", max_length=64
    )
    source = django_filters.ChoiceFilter(
        label="Origen", choices=Source.choices, empty_label="Todos"
    )
    date_from = django_filters.DateFilter(label="Desde", method="filter_from", widget=_DATE)
    date_to = django_filters.DateFilter(label="Hasta", method="filter_to", widget=_DATE)

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditEventFilterForm

    def style_widget(self, field: forms.Field) -> None:
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def filter_actor(self, qs: QuerySet[AuditEvent], name: str, value: str) -> Any:
        actor = value.strip()
        if not actor:
            return qs
        # actor_name is "username (Full Name)" or "username"; exact-or-prefix uses the index.
        return qs.filter(Q(actor_name=actor) | Q(actor_name__startswith=f"{actor} ("))

    def filter_action(self, qs: QuerySet[AuditEvent], name: str, value: str) -> Any:
        action = value.strip()
        if not action:
            return qs
        if action.endswith("."):
            return qs.filter(action__startswith=action)
        return qs.filter(action=action)

    def filter_exact(self, qs: QuerySet[AuditEvent], name: str, value: str) -> Any:
        return qs.filter(**{name: value.strip()}) if value.strip() else qs

    def filter_from(self, qs: QuerySet[AuditEvent], name: str, value: Any) -> Any:
        return qs.filter(occurred_at__gte=_local_midnight(value))

    def filter_to(self, qs: QuerySet[AuditEvent], name: str, value: Any) -> Any:
        return qs.filter(occurred_at__lt=_local_midnight(value + datetime.timedelta(days=1)))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    """Start of ``day`` in the project's time zone (America/Lima), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
