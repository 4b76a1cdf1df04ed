"""One filter for the base de conocimiento, shared by the HTML list, its export and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from mapro.core.filtersets import FilterSet
from mapro.helpdesk.models import Category

from .choices import ArticleStatus
from .models import Article
from .selectors import search_articles


class CategoryCodeField(forms.CharField):
    """A help-desk category's code; cleans to the ``Category`` (None when blank)."""

    def clean(self, value: Any) -> Category | None:  # type: ignore[override]
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        category = Category.objects.filter(code=code).first()
        if category is None:
            raise forms.ValidationError("No existe esa categoría.")
        return category


@extend_schema_field(OpenApiTypes.STR)
class CategorySubtreeFilter(django_filters.Filter):
    """Articles of the category (by code) or of one below it."""

    field_class = CategoryCodeField

    def filter(self, qs: QuerySet[Article], value: Category | None) -> QuerySet[Article]:
        if value is None:
            return qs
        return qs.filter(category__path__startswith=value.path)


class ArticleFilterSet(FilterSet):
    q = django_filters.CharFilter(
        label="Buscar", method="filter_q", max_length=200, help_text="Texto a buscar."
    )
    categoria = CategorySubtreeFilter(
        label="Categoría", max_length=60, help_text="Código; incluye subcategorías."
    )
    estado = django_filters.ChoiceFilter(
        label="Estado", field_name="status", choices=ArticleStatus.choices, empty_label="Todos"
    )
    etiqueta = django_filters.CharFilter(label="Etiqueta", method="filter_etiqueta", max_length=60)

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_etiqueta(self, qs: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        tag = value.strip().lower()
        return qs.filter(tags__icontains=tag) if tag else qs

    def filter_q(self, qs: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        return qs  # applied last, in filter_queryset: the search orders by relevance

    def filter_queryset(self, queryset: QuerySet[Article]) -> QuerySet[Article]:
        qs = super().filter_queryset(queryset).order_by("-updated_at", "-id")
        text = (self.form.cleaned_data.get("q") or "").strip()
        return search_articles(qs, text) if text else qs
