"""Forms of the organization admin. They validate with the same ``check_*`` functions as the
actions, so a form shows the errors the action would raise, field by field, before saving."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import BaseInlineFormSet

from .actions import (
    check_assignment_data,
    check_external_organization_data,
    check_person_data,
    check_unit_data,
    overlapping_assignments,
)
from .models import ExternalOrganization, Person, RoleAssignment, Unit


class _CheckedModelForm(forms.ModelForm):
    """A ModelForm whose ``clean`` adds the errors of an action's check function."""

    def _add_check_errors(self, errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages:
                if target is not None and target in self.errors:
                    continue  # the field's own validation already explained it
                self.add_error(target, message)

    def _data(self) -> dict[str, Any]:
        data = {name: getattr(self.instance, name, None) for name in self._meta.fields or ()}
        data.update(self.cleaned_data)
        return data


class UnitAdminForm(_CheckedModelForm):
    class Meta:
        model = Unit
        fields = ("code", "name", "kind", "parent", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            parent = self.fields["parent"]
            parent.queryset = Unit.objects.order_by("path")  # type: ignore[attr-defined]
            parent.label_from_instance = lambda u: f"{'— ' * u.depth}{u}"  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance = self.instance if self.instance.pk else None
        self._add_check_errors(check_unit_data(self._data(), instance=instance))
        return cleaned


class ExternalOrganizationAdminForm(_CheckedModelForm):
    class Meta:
        model = ExternalOrganization
        fields = ("code", "name", "kind", "is_active")

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance = self.instance if self.instance.pk else None
        self._add_check_errors(check_external_organization_data(self._data(), instance=instance))
        return cleaned


class PersonAdminForm(_CheckedModelForm):
    class Meta:
        model = Person
        fields = (
            "first_name",
            "last_name",
            "dni",
            "cargo",
            "unit",
            "regime",
            "valid_from",
            "valid_until",
            "email",
            "external_organization",
            "user",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            unit = self.fields["unit"]
            unit.queryset = Unit.objects.order_by("path")  # type: ignore[attr-defined]
            unit.label_from_instance = lambda u: f"{'— ' * u.depth}{u}"  # type: ignore[attr-defined]

    def clean_dni(self) -> str:
        return (self.cleaned_data.get("dni") or "").strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance = self.instance if self.instance.pk else None
        self._add_check_errors(check_person_data(self._data(), instance=instance))
        return cleaned


class RoleAssignmentInlineForm(forms.ModelForm):
    """A new row assigns a role; on an existing row only the last day can change (ending it)."""

    class Meta:
        model = RoleAssignment
        fields = ("role", "unit", "valid_from", "valid_until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            unit = self.fields["unit"]
            unit.queryset = Unit.objects.filter(is_active=True).order_by("path")  # type: ignore[attr-defined]
            unit.label_from_instance = lambda u: f"{'— ' * u.depth}{u}"  # type: ignore[attr-defined]
        if self.instance.pk:
            for name in ("role", "unit", "valid_from"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk:
            if "valid_until" in self.changed_data:
                until = cleaned.get("valid_until")
                start = self.instance.valid_from
                if until is None:
                    self.add_error(
                        "valid_until",
                        "Una asignación terminada no se reabre: cree una nueva asignación.",
                    )
                elif start is not None and until < start:
                    self.add_error(
                        "valid_until",
                        "La fecha «vigente hasta» no puede ser anterior a «vigente desde».",
                    )
            return cleaned
        person = getattr(self.instance, "person", None) if self.instance.person_id else None
        errors = check_assignment_data(
            person=person,
            role=cleaned.get("role"),
            unit=cleaned.get("unit"),
            valid_from=cleaned.get("valid_from"),
            valid_until=cleaned.get("valid_until"),
        )
        for field, messages in errors.items():
            for message in messages:
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, message)
        role = cleaned.get("role")
        if person is not None and role is not None and not errors:
            clash = overlapping_assignments(
                person, role, cleaned.get("unit"), cleaned.get("valid_from"),
                cleaned.get("valid_until"),
            )  # fmt: skip
            if clash.exists():
                self.add_error(None, f"Ya tiene el rol {role.code} en ese ámbito y periodo.")
        return cleaned


class RoleAssignmentInlineFormSet(BaseInlineFormSet):
    """Rejects two new rows giving the same role and scope for overlapping periods."""

    def clean(self) -> None:
        super().clean()
        seen: list[tuple[Any, Any, Any, Any]] = []
        for form in self.forms:
            if form.instance.pk or not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("role") is None:
                continue
            start, end = data.get("valid_from"), data.get("valid_until")
            for role, unit, other_start, other_end in seen:
                same = role == data["role"] and unit == data.get("unit")
                meet = (start is None or other_end is None or start <= other_end) and (
                    end is None or other_start is None or other_start <= end
                )
                if same and meet:
                    raise forms.ValidationError(
                        f"El rol {role.code} está repetido para el mismo ámbito y periodo."
                    )
            seen.append((data["role"], data.get("unit"), start, end))


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label="Archivo CSV o XLSX",
        help_text="Columnas: dni, nombres, apellidos, cargo, unidad (sigla), regimen, "
        "vigente_desde, vigente_hasta, correo. La primera fila es la cabecera.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
