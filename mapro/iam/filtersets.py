"""One filter for the accounts register, shared by the HTML lists, the exports and the API.

``AccountFilterSet(request.GET, queryset=...)``, then ``.qs``. Filters: ``q`` (account name,
person's names or DNI), ``dni``, ``unit`` (code; includes the units under it), ``kind``,
``status`` (activa, eliminada, or ``por_eliminar``: an active orden de servicio account past
its end date), ``desde``/``hasta`` (creation date) and ``eliminada_desde``/``eliminada_hasta``
(removal date).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils import timezone

from mapro.core.filtersets import FilterForm, FilterSet, UnitSubtreeFilter

from .choices import AccountKind, AccountStatus
from .models import Account

DUE = "por_eliminar"
STATUS_CHOICES = [*AccountStatus.choices, (DUE, "Por eliminar")]
_DATE = forms.DateInput(attrs={"type": "date"})


class AccountFilterForm(FilterForm):
    date_ranges = (("desde", "hasta"), ("eliminada_desde", "eliminada_hasta"))


class AccountFilterSet(FilterSet):
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=120,
        help_text="Cuenta, nombres, apellidos o DNI.",
    )
    dni = django_filters.CharFilter(
        label="DNI",
        field_name="person__dni",
        validators=[RegexValidator(r"^\d{8}$", "8 dígitos.")],
    )
    unit = UnitSubtreeFilter(label="Unidad", field_name="person__unit", help_text="Sigla.")
    kind = django_filters.ChoiceFilter(
        label="Tipo", choices=AccountKind.choices, empty_label="Todos"
    )
    status = django_filters.ChoiceFilter(
        label="Estado", choices=STATUS_CHOICES, empty_label="Todos", method="filter_status"
    )
    desde = django_filters.DateFilter(
        label="Creada desde", field_name="granted_on", lookup_expr="gte", widget=_DATE
    )
    hasta = django_filters.DateFilter(
        label="Creada hasta", field_name="granted_on", lookup_expr="lte", widget=_DATE
    )
    eliminada_desde = django_filters.DateFilter(
        label="Eliminada desde", field_name="removed_on", lookup_expr="gte", widget=_DATE
    )
    eliminada_hasta = django_filters.DateFilter(
        label="Eliminada hasta", field_name="removed_on", lookup_expr="lte", widget=_DATE
    )

    class Meta:
        model = Account
        fields: list[str] = []
        form = AccountFilterForm

    def style_widget(self, field: forms.Field) -> None:
        css = (
            "form-select form-select-sm"
            if isinstance(field, forms.ChoiceField)
            else "form-control form-control-sm"
        )
        field.widget.attrs.setdefault("class", css)

    def filter_q(self, qs: QuerySet[Account], name: str, value: str) -> Any:
        text = value.strip()
        if not text:
            return qs
        return qs.filter(
            Q(account_name__icontains=text)
            | Q(person__first_name__icontains=text)
            | Q(person__last_name__icontains=text)
            | Q(person__dni=text)
            | Q(system_name__icontains=text)
        )

    def filter_status(self, qs: QuerySet[Account], name: str, value: str) -> Any:
        if value == DUE:
            return qs.filter(
                status=AccountStatus.ACTIVA,
                service_end__isnull=False,
                service_end__lt=timezone.localdate(),
            )
        return qs.filter(status=value)
