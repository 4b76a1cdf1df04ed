"""Reading the SGSI registers, always behind the readers' roles (access.py), and their XLSX rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from mapro.core.exceptions import Forbidden, NotFound

from . import access
from .models import AssetChange, InformationAsset, SgsiDocument, SgsiDocumentVersion

DOCS_MESSAGE = "El registro de documentos del SGSI es del personal de la OGTIE que lo lleva."
ASSETS_MESSAGE = "El inventario de activos (SGSI-FOR-002) es del personal de la OGTIE que lo lleva."


def documents_for(user: Any) -> QuerySet[SgsiDocument]:
    """Every SGSI document, for a reader of the register (``Forbidden`` for anyone else)."""
    if not access.can(user, access.DOC_READERS):
        raise Forbidden(DOCS_MESSAGE)
    return SgsiDocument.objects.select_related("current_version")


def get_document_for_user(user: Any, code: str) -> SgsiDocument:
    document = documents_for(user).filter(code=code).first()
    if document is None:
        raise NotFound("No existe un documento del SGSI con ese código.")
    return document


def get_version_for_user(user: Any, code: str, number: int) -> SgsiDocumentVersion:
    document = get_document_for_user(user, code)
    version = document.versions.filter(number=number).first()
    if version is None:
        raise NotFound("El documento no tiene esa versión.")
    return version


def assets_for(user: Any) -> QuerySet[InformationAsset]:
    if not access.can(user, access.ASSET_READERS):
        raise Forbidden(ASSETS_MESSAGE)
    return InformationAsset.objects.select_related("owner_unit")


def get_asset_for_user(user: Any, code: str) -> InformationAsset:
    asset = assets_for(user).filter(code=code).first()
    if asset is None:
        raise NotFound("No existe un activo con ese código en el inventario.")
    return asset


def changes_of(asset: InformationAsset) -> QuerySet[AssetChange]:
    return asset.changes.order_by("-changed_on", "-id")


# --- XLSX ------------------------------------------------------------------------------------

DOCUMENT_HEADERS = [
    "Código",
    "Título",
    "Tipo",
    "Equipo responsable",
    "Estado",
    "Versión vigente",
    "Aprobada por",
    "Fecha de aprobación",
    "Documento de aprobación",
    "Próxima revisión",
    "Custodia",
]


def document_rows(documents: Iterable[SgsiDocument]) -> Iterator[list[Any]]:
    for d in documents:
        v = d.current_version
        yield [
            d.code,
            d.title,
            d.get_kind_display(),
            d.get_owner_team_display(),
            d.get_status_display(),
            v.number if v else None,
            v.approved_by_name if v else None,
            v.approved_on if v else None,
            v.approval_document if v else None,
            d.next_review,
            d.custody_location or None,
        ]


ASSET_HEADERS = [
    "Código",
    "Nombre del activo",
    "Tipo",
    "Marca y modelo",
    "N° de serie",
    "Código patrimonial",
    "Unidad propietaria",
    "Custodio",
    "Usuario asignado",
    "Ubicación",
    "Clasificación",
    "Confidencialidad",
    "Integridad",
    "Disponibilidad",
    "Criticidad",
    "Estado",
]


def asset_rows(assets: Iterable[InformationAsset]) -> Iterator[list[Any]]:
    for a in assets:
        yield [
            a.code,
            a.name,
            a.get_asset_type_display(),
            a.brand_model or None,
            a.serial or None,
            a.patrimonial_code or None,
            a.owner_unit.code if a.owner_unit else None,
            a.custodian or None,
            a.assigned_to or None,
            a.location or None,
            a.get_classification_display(),
            a.confidentiality,
            a.integrity,
            a.availability,
            a.criticality,
            a.get_status_display(),
        ]
