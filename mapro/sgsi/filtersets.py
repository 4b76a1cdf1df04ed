"""One filter per SGSI register, shared by the HTML list, its XLSX export and the API list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from mapro.core.filtersets import FilterForm, FilterSet, UnitSubtreeFilter

from .choices import AssetStatus, AssetType, DocumentKind, DocumentStatus, Team
from .models import InformationAsset, SgsiDocument


class SgsiDocumentFilterSet(FilterSet):
    q = django_filters.CharFilter(
        label="Buscar", method="filter_q", max_length=200, help_text="Código o título."
    )
    kind = django_filters.ChoiceFilter(
        label="Tipo", choices=DocumentKind.choices, empty_label="Todos"
    )
    status = django_filters.ChoiceFilter(
        label="Estado", choices=DocumentStatus.choices, empty_label="Todos"
    )
    team = django_filters.ChoiceFilter(
        label="Equipo responsable",
        field_name="owner_team",
        choices=Team.choices,
        empty_label="Todos",
    )
    revision_hasta = django_filters.DateFilter(
        label="Revisión hasta",
        field_name="next_review",
        lookup_expr="lte",
        help_text="Documentos cuya próxima revisión vence hasta esa fecha (AAAA-MM-DD).",
    )

    class Meta:
        model = SgsiDocument
        fields: list[str] = []
        form = FilterForm

    def filter_q(self, qs: QuerySet[SgsiDocument], name: str, value: str) -> QuerySet[SgsiDocument]:
        text = value.strip()
        if not text:
            return qs
        return qs.filter(Q(code__icontains=text) | Q(title__icontains=text))

    def filter_queryset(self, queryset: QuerySet[SgsiDocument]) -> QuerySet[SgsiDocument]:
        return super().filter_queryset(queryset).order_by("code", "id")


class InformationAssetFilterSet(FilterSet):
    q = django_filters.CharFilter(
        label="Buscar",
        method="filter_q",
        max_length=200,
        help_text="Código, nombre, serie, código patrimonial o usuario.",
    )
    asset_type = django_filters.ChoiceFilter(
        label="Tipo", choices=AssetType.choices, empty_label="Todos"
    )
    status = django_filters.ChoiceFilter(
        label="Estado", choices=AssetStatus.choices, empty_label="Todos"
    )
    unit = UnitSubtreeFilter(
        label="Unidad propietaria",
        field_name="owner_unit",
        help_text="Sigla; incluye las unidades dependientes.",
    )

    class Meta:
        model = InformationAsset
        fields: list[str] = []
        form = FilterForm

    def filter_q(
        self, qs: QuerySet[InformationAsset], name: str, value: str
    ) -> QuerySet[InformationAsset]:
        text = value.strip()
        if not text:
            return qs
        return qs.filter(
            Q(code__iexact=text)
            | Q(name__icontains=text)
            | Q(serial__icontains=text)
            | Q(patrimonial_code__icontains=text)
            | Q(assigned_to__icontains=text)
        )

    def filter_queryset(self, queryset: QuerySet[InformationAsset]) -> QuerySet[InformationAsset]:
        return super().filter_queryset(queryset).order_by("code", "id")
