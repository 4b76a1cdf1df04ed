"""One filter for audit events, shared by the HTML list and the CSV export.

A plain Django form (django-filter is not a dependency): ``AuditEventFilterSet(request.GET,
queryset=...)``, then ``.qs``. Every filter hits an index: actor name, action (exact, or a prefix
ending in "."), object type and id, date (occurred_at).
"""

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import Source
from .models import AuditEvent


class AuditEventFilterSet(forms.Form):
    actor = forms.CharField(
        label="Usuario",
        required=False,
        max_length=150,
        help_text="Nombre de usuario exacto (o «sistema»).",
    )
    action = forms.CharField(
        label="Acción",
        required=False,
        max_length=100,
        help_text="Exacta, o un prefijo terminado en punto (p. ej. «ticket.»).",
    )
    object_type = forms.CharField(label="Tipo de objeto", required=False, max_length=100)
    object_id = forms.CharField(label="ID del objeto", required=False, max_length=64)
    source = forms.ChoiceField(
        label="Origen", required=False, choices=[("", "Todos"), *Source.choices]
    )
    date_from = forms.DateField(
        label="Desde", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Hasta", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, data: Any = None, *, queryset: QuerySet[AuditEvent] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.queryset = queryset if queryset is not None else AuditEvent.objects.all()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "La fecha final no puede ser anterior a la inicial.")
        return cleaned

    @property
    def qs(self) -> QuerySet[AuditEvent]:
        """The filtered events; none while the filter has errors (they are shown instead)."""
        qs = self.queryset
        if not self.is_bound:
            return qs
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if actor := data.get("actor", "").strip():
            # actor_name is "username (Full Name)" or "username"; exact-or-prefix uses the index.
            qs = qs.filter(Q(actor_name=actor) | Q(actor_name__startswith=f"{actor} ("))
        if action := data.get("action", "").strip():
            qs = (
                qs.filter(action__startswith=action)
                if action.endswith(".")
                else qs.filter(action=action)
            )
        if object_type := data.get("object_type", "").strip():
            qs = qs.filter(object_type=object_type)
        if object_id := data.get("object_id", "").strip():
            qs = qs.filter(object_id=object_id)
        if source := data.get("source"):
            qs = qs.filter(source=source)
        if start := data.get("date_from"):
            qs = qs.filter(occurred_at__gte=_local_midnight(start))
        if end := data.get("date_to"):
            qs = qs.filter(occurred_at__lt=_local_midnight(end + datetime.timedelta(days=1)))
        return qs


def _local_midnight(day: datetime.date) -> datetime.datetime:
    """Start of ``day`` in the project's time zone (America/Lima), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
