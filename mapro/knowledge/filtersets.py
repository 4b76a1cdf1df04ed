"""One filter for the base de conocimiento, shared by the HTML list, its export and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from mapro.helpdesk.models import Category

from .choices import ArticleStatus
from .models import Article
from .selectors import search_articles


class ArticleFilterSet(forms.Form):
    q = forms.CharField(label="Buscar", required=False, max_length=200)
    categoria = forms.CharField(label="Categoría", required=False, max_length=60)
    estado = forms.ChoiceField(
        label="Estado", required=False, choices=[("", "Todos"), *ArticleStatus.choices]
    )
    etiqueta = forms.CharField(label="Etiqueta", required=False, max_length=60)

    def __init__(self, data: Any = None, *, queryset: QuerySet[Article]) -> None:
        super().__init__(data)
        self.queryset = queryset

    def clean_categoria(self) -> Category | None:
        code = (self.cleaned_data.get("categoria") or "").strip()
        if not code:
            return None
        category = Category.objects.filter(code=code).first()
        if category is None:
            raise forms.ValidationError("No existe esa categoría.")
        return category

    @property
    def qs(self) -> QuerySet[Article]:
        qs = self.queryset
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data.get("categoria") is not None:
            qs = qs.filter(category__path__startswith=data["categoria"].path)
        if data.get("estado"):
            qs = qs.filter(status=data["estado"])
        if data.get("etiqueta"):
            qs = qs.filter(tags__icontains=data["etiqueta"].strip().lower())
        if data.get("q"):
            return search_articles(qs, data["q"])
        return qs.order_by("-updated_at", "-id")
