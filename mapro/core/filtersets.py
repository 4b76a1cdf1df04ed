"""The base of every list filter: one django-filter ``FilterSet`` per model, shared by the HTML
list and the API list (house style), so that the page, the API and its OpenAPI parameters
(drf-spectacular reads ``base_filters``) cannot disagree.

Besides django-filter's API (``FilterSet(data, queryset=..., request=...)``, ``.qs``,
``.is_valid()``, ``.errors``, ``.form``) a filter set reads like the form it renders, so that
templates keep ``filters.data.q``, ``filters.fields.kind.choices`` and ``filters.q``. While the
filter has errors ``qs`` is empty: the page shows the errors and the API answers 400 (never a
list that silently ignores a bad value).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from mapro.organization.models import Unit

UNKNOWN_UNIT = "No existe una unidad con esa sigla."


class FilterForm(forms.Form):
    """The form of a filter set: checks that each ``(start, end)`` pair of ``date_ranges``
    is in order (``FilterSet.Meta.form``)."""

    date_ranges: tuple[tuple[str, str], ...] = (("desde", "hasta"),)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end in self.date_ranges:
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, "La fecha final no puede ser anterior a la inicial.")
        return data


class FilterSet(django_filters.FilterSet):
    """A django-filter ``FilterSet`` that also reads like its form (see the module docstring)."""

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        user: Any = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)
        for field in self.form.fields.values():
            self.style_widget(field)

    def style_widget(self, field: forms.Field) -> None:
        """Hook: the CSS classes of a field's widget (none by default)."""

    @property
    def fields(self) -> dict[str, forms.Field]:
        return self.form.fields  # type: ignore[no-any-return]

    @property
    def cleaned_data(self) -> dict[str, Any]:
        return self.form.cleaned_data if self.is_valid() else {}  # type: ignore[no-any-return]

    def __getitem__(self, name: str) -> forms.BoundField:
        return self.form[name]  # type: ignore[no-any-return]

    def __iter__(self) -> Any:
        return iter(self.form)

    @property
    def qs(self) -> QuerySet[Any]:
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs  # type: ignore[no-any-return]


def unit_by_code(code: str | None) -> Unit | None:
    """The unit of a code (sigla, any case); ``ValidationError`` naming the problem if none."""
    code = (code or "").strip()
    if not code:
        return None
    unit = Unit.objects.filter(code__iexact=code).only("id", "path", "code").first()
    if unit is None:
        raise forms.ValidationError(UNKNOWN_UNIT)
    return unit


class UnitField(forms.CharField):
    """A unit's code (sigla) in a filter; cleans to the ``Unit`` (or None when blank)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Unit | None:  # type: ignore[override]
        return unit_by_code(super().clean(value))


@extend_schema_field(OpenApiTypes.STR)
class UnitSubtreeFilter(django_filters.Filter):
    """Rows whose ``field_name`` unit is the given unit (by code) or one of its dependents."""

    field_class = UnitField

    def filter(self, qs: QuerySet[Any], value: Unit | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__path__startswith": value.path})


class FlagField(forms.Field):
    """A yes/no filter: a page's checkbox (``on``) or the API's ``true``/``false``/``1``/``0``;
    anything else is an error (a typo never reads as "no filter")."""

    widget = forms.CheckboxInput
    TRUE = frozenset({"on", "true", "1", "si", "sí"})
    FALSE = frozenset({"off", "false", "0", "no"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> bool | None:
        if value in (None, "", False):
            return None
        if value is True:
            return True
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Use true o false.")


class _FlagInput(forms.CheckboxInput):
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)  # the raw text, judged by FlagField


@extend_schema_field(OpenApiTypes.BOOL)
class FlagFilter(django_filters.BooleanFilter):
    """``FlagField`` filter: ``True`` filters ``field_name=True`` (or calls ``method``);
    ``False`` or absent does not filter unless ``false_filters`` is set."""

    field_class = FlagField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _FlagInput)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter (django-filter's ``NumberFilter`` takes decimals)."""

    field_class = forms.IntegerField
