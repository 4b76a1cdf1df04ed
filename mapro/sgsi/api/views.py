"""SGSI registers' API v1: parse, check the role, call a selector or an action, render.

Documents are addressed by their code (``SGSI-POL-001``), assets by theirs (``ACT-000001``).
Lists take the same filters as the HTML lists and follow docs/api.md. A reader without the
role of an action gets 403 (before the body is read); a code that does not exist, 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, error_responses, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import InvalidInput

from .. import access
from ..actions.documents import (
    do_add_version,
    do_approve_version,
    do_observe_document,
    do_register_document,
)
from ..actions.inventory import do_change_asset, do_register_asset
from ..filtersets import InformationAssetFilterSet, SgsiDocumentFilterSet
from ..models import InformationAsset, SgsiDocument
from ..selectors import (
    assets_for,
    documents_for,
    get_asset_for_user,
    get_document_for_user,
    get_version_for_user,
)
from . import serializers as s

DOC_TAGS = ["SGSI: documentos"]
ASSET_TAGS = ["SGSI: inventario de activos"]


def _document(code: str) -> dict[str, Any]:
    fresh = SgsiDocument.objects.select_related("current_version").get(code=code)
    return s.SgsiDocumentDetailSerializer(fresh).data  # type: ignore[no-any-return]


class DocumentListView(ListView):
    serializer_class = s.SgsiDocumentSerializer
    filterset_class = SgsiDocumentFilterSet
    queryset = SgsiDocument.objects.none()

    def list_queryset(self) -> QuerySet[SgsiDocument]:
        return documents_for(self.request.user)

    @extend_schema(
        operation_id="sgsi_documents_list",
        summary="Registro de documentos del SGSI, con filtros",
        responses={200: s.SgsiDocumentSerializer(many=True), **error_responses(400, 403)},
        tags=DOC_TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="sgsi_documents_create",
        summary="Registrar un documento del SGSI (sin versiones: la primera se presenta luego)",
        request=s.SgsiDocumentCreateSerializer,
        responses={201: s.SgsiDocumentDetailSerializer, **error_responses(400, 403)},
        tags=DOC_TAGS,
    )
    def post(self, request: Request) -> Response:
        access.check(request.user, access.DOC_EDITORS, "Su rol no registra documentos del SGSI.")
        body = validated_body(s.SgsiDocumentCreateSerializer, request)
        document = do_register_document(**body, actor=request.user)
        return Response(_document(document.code), status=201)


class DocumentDetailView(APIView):
    @extend_schema(
        operation_id="sgsi_documents_retrieve",
        summary="Un documento del SGSI con sus versiones y observaciones",
        responses={200: s.SgsiDocumentDetailSerializer, **error_responses(403, 404)},
        tags=DOC_TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(_document(get_document_for_user(request.user, code).code))


class DocumentVersionView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="sgsi_documents_add_version",
        summary="Presentar la nueva versión de un documento, con su archivo (queda en revisión)",
        request={"multipart/form-data": s.SgsiVersionCreateSerializer},
        responses={201: s.SgsiVersionSerializer, **error_responses(400, 403, 404, 409)},
        tags=DOC_TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        document = get_document_for_user(request.user, code)
        access.check(request.user, access.DOC_EDITORS, "Su rol no presenta versiones.")
        version = do_add_version(
            document,
            file=request.FILES.get("file"),
            changes=str(request.POST.get("changes", "") or ""),
            actor=request.user,
        )
        return Response(s.SgsiVersionSerializer(version).data, status=201)


class VersionApproveView(APIView):
    @extend_schema(
        operation_id="sgsi_documents_approve_version",
        summary="Aprobar una versión en revisión (Jefe(a) de la OGTIE, con su Memorándum)",
        request=s.SgsiApproveSerializer,
        responses={200: s.SgsiVersionSerializer, **error_responses(400, 403, 404, 409)},
        tags=DOC_TAGS,
    )
    def post(self, request: Request, code: str, number: int) -> Response:
        version = get_version_for_user(request.user, code, number)
        access.check(request.user, access.DOC_APPROVERS, "Solo el/la Jefe(a) de la OGTIE aprueba.")
        body = validated_body(s.SgsiApproveSerializer, request)
        approved = do_approve_version(version, **body, actor=request.user)
        return Response(s.SgsiVersionSerializer(approved).data)


class DocumentObserveView(APIView):
    @extend_schema(
        operation_id="sgsi_documents_observe",
        summary="Registrar una observación a un documento (o a una de sus versiones)",
        request=s.SgsiObserveSerializer,
        responses={201: s.SgsiObservationSerializer, **error_responses(400, 403, 404)},
        tags=DOC_TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        document = get_document_for_user(request.user, code)
        access.check(request.user, access.DOC_OBSERVERS, "Su rol no registra observaciones.")
        body = validated_body(s.SgsiObserveSerializer, request)
        version = None
        if body.get("version") is not None:
            version = document.versions.filter(number=body["version"]).first()
            if version is None:
                raise InvalidInput(errors={"version": ["El documento no tiene esa versión."]})
        observation = do_observe_document(
            document, text=body["text"], version=version, source="API", actor=request.user
        )
        return Response(s.SgsiObservationSerializer(observation).data, status=201)


class AssetListView(ListView):
    serializer_class = s.InformationAssetSerializer
    filterset_class = InformationAssetFilterSet
    queryset = InformationAsset.objects.none()

    def list_queryset(self) -> QuerySet[InformationAsset]:
        return assets_for(self.request.user)

    @extend_schema(
        operation_id="sgsi_assets_list",
        summary="Inventario de activos (SGSI-FOR-002), con filtros",
        responses={200: s.InformationAssetSerializer(many=True), **error_responses(400, 403)},
        tags=ASSET_TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="sgsi_assets_create",
        summary="Registrar un activo (y su alta en el Formato N° 01)",
        request=s.InformationAssetCreateSerializer,
        responses={201: s.InformationAssetDetailSerializer, **error_responses(400, 403)},
        tags=ASSET_TAGS,
    )
    def post(self, request: Request) -> Response:
        access.check(request.user, access.ASSET_EDITORS, "Su rol no registra activos.")
        body = validated_body(s.InformationAssetCreateSerializer, request)
        asset = do_register_asset(actor=request.user, **body)
        return Response(s.InformationAssetDetailSerializer(asset).data, status=201)


class AssetDetailView(APIView):
    @extend_schema(
        operation_id="sgsi_assets_retrieve",
        summary="Un activo con su gestión de cambios (Formato N° 01)",
        responses={200: s.InformationAssetDetailSerializer, **error_responses(403, 404)},
        tags=ASSET_TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        asset = get_asset_for_user(request.user, code)
        return Response(s.InformationAssetDetailSerializer(asset).data)


class AssetChangeView(APIView):
    @extend_schema(
        operation_id="sgsi_assets_change",
        summary="Registrar un cambio del activo (asignación, modificación, devolución, baja)",
        request=s.AssetChangeCreateSerializer,
        responses={201: s.AssetChangeSerializer, **error_responses(400, 403, 404, 409)},
        tags=ASSET_TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        asset = get_asset_for_user(request.user, code)
        access.check(request.user, access.ASSET_EDITORS, "Su rol no modifica el inventario.")
        body = validated_body(s.AssetChangeCreateSerializer, request)
        description = body.pop("change_description")
        change = do_change_asset(asset, description=description, actor=request.user, **body)
        return Response(s.AssetChangeSerializer(change).data, status=201)
