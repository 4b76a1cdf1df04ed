"""One filter for the accounts register, shared by the HTML lists, the exports and the API.

A plain Django form (as ``audit.filtersets``): ``AccountFilterSet(request.GET, queryset=...)``,
then ``.qs``. Filters: ``q`` (account name, person's names or DNI), ``dni``, ``unit`` (code;
includes the units under it), ``kind``, ``status`` (activa, eliminada, or ``por_eliminar``: an
active orden de servicio account past its end date), ``desde``/``hasta`` (creation date) and
``eliminada_desde``/``eliminada_hasta`` (removal date).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from mapro.organization.models import Unit

from .choices import AccountKind, AccountStatus
from .models import Account

DUE = "por_eliminar"
STATUS_CHOICES = [("", "Todos"), *AccountStatus.choices, (DUE, "Por eliminar")]


class AccountFilterSet(forms.Form):
    q = forms.CharField(label="Buscar", required=False, max_length=120)
    dni = forms.RegexField(
        label="DNI", required=False, regex=r"^\d{8}$", error_messages={"invalid": "8 dígitos."}
    )
    unit = forms.CharField(label="Unidad", required=False, max_length=30, help_text="Sigla.")
    kind = forms.ChoiceField(
        label="Tipo", required=False, choices=[("", "Todos"), *AccountKind.choices]
    )
    status = forms.ChoiceField(label="Estado", required=False, choices=STATUS_CHOICES)
    desde = forms.DateField(
        label="Creada desde", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hasta = forms.DateField(
        label="Creada hasta", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    eliminada_desde = forms.DateField(
        label="Eliminada desde", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    eliminada_hasta = forms.DateField(
        label="Eliminada hasta", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any = None, *, queryset: QuerySet[Account], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.queryset = queryset
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else ("form-control form-control-sm")
            )
            field.widget.attrs.setdefault("class", css)

    def clean_unit(self) -> Unit | None:
        code = (self.cleaned_data.get("unit") or "").strip()
        if not code:
            return None
        unit = Unit.objects.filter(code__iexact=code).first()
        if unit is None:
            raise forms.ValidationError(f"No existe la unidad «{code}».")
        return unit

    @property
    def qs(self) -> QuerySet[Account]:
        """The filtered queryset; with invalid filters, nothing (the errors say why)."""
        if not self.is_valid():
            return self.queryset.none()
        data = self.cleaned_data
        qs = self.queryset
        if data.get("q"):
            text = data["q"].strip()
            qs = qs.filter(
                Q(account_name__icontains=text)
                | Q(person__first_name__icontains=text)
                | Q(person__last_name__icontains=text)
                | Q(person__dni=text)
                | Q(system_name__icontains=text)
            )
        if data.get("dni"):
            qs = qs.filter(person__dni=data["dni"])
        if data.get("unit"):
            qs = qs.filter(person__unit__path__startswith=data["unit"].path)
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        status = data.get("status")
        if status == DUE:
            qs = qs.filter(
                status=AccountStatus.ACTIVA,
                service_end__isnull=False,
                service_end__lt=timezone.localdate(),
            )
        elif status:
            qs = qs.filter(status=status)
        if data.get("desde"):
            qs = qs.filter(granted_on__gte=data["desde"])
        if data.get("hasta"):
            qs = qs.filter(granted_on__lte=data["hasta"])
        if data.get("eliminada_desde"):
            qs = qs.filter(removed_on__gte=data["eliminada_desde"])
        if data.get("eliminada_hasta"):
            qs = qs.filter(removed_on__lte=data["eliminada_hasta"])
        return qs
