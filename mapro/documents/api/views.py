"""Documents API v1 views: the register's list (OGTIE staff, same filters as the HTML page)
and one document (staff, or whoever started its instance). Parse, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, error_response, error_responses
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import InvalidInput

from ..actions import do_record_external_signature, do_sign_document
from ..filtersets import DocumentFilterSet
from ..models import Document
from ..selectors import (
    document_of_signed_pdf,
    get_document_for_signer,
    get_document_for_user,
    register_for,
)
from ..signing import (
    CERT_FIELD,
    FILE_FIELD,
    MAX_P12_BYTES,
    MAX_PDF_BYTES,
    PASSWORD_FIELD,
    verify_pdf,
)
from ..views import pdf_response
from . import serializers as s

TAGS = ["documentos oficiales"]
_400 = error_response(400, "Filtros no válidos (por campo).")
_403 = error_response(403, "Su rol no permite esta consulta.")
_404 = error_response(404, "No existe o está fuera de su ámbito.")


class DocumentListView(ListView):
    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilterSet
    queryset = Document.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Document]:
        return register_for(self.request.user)

    @extend_schema(
        operation_id="documents_list",
        summary="Documentos oficiales emitidos por los procedimientos, con filtros",
        responses={200: s.DocumentSerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DocumentDetailView(APIView):
    @extend_schema(
        operation_id="documents_retrieve",
        summary="Un documento oficial",
        responses={200: s.DocumentSerializer, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.DocumentSerializer(get_document_for_user(request.user, pk)).data)


PARSERS = [MultiPartParser, FormParser, JSONParser]  # JSON: a body without the file is a 400


def _file(request: Request, name: str, limit: int) -> bytes | None:
    upload = request.FILES.get(name)
    if upload is None:
        return None
    if upload.size is not None and upload.size > limit:
        raise InvalidInput(errors={name: ["El archivo es demasiado grande."]})
    return bytes(upload.read())


class DocumentPdfView(APIView):
    @extend_schema(
        operation_id="documents_pdf",
        summary="El PDF del documento (el firmado, si se firmó)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return pdf_response(get_document_for_user(request.user, pk))


class DocumentSignView(APIView):
    parser_classes = PARSERS

    @method_decorator(sensitive_post_parameters(PASSWORD_FIELD))
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        operation_id="documents_sign",
        summary="Firmar el documento en PAdES con el certificado de quien lo emitió",
        description=(
            "multipart/form-data con `certificado` (PKCS#12) y `contrasena`. Solo quien emitió "
            "el documento lo firma (otro usuario: 404). La contraseña no se guarda ni se registra."
        ),
        request={"multipart/form-data": s.SignBodySerializer},
        responses={
            201: s.DocumentSignatureSerializer,
            **error_responses(
                400, 403, 404, e409="Ya firmado, proyecto o documento de otra oficina."
            ),
        },
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        document = get_document_for_signer(request.user, pk)
        signature = do_sign_document(
            document,
            certificate=_file(request, CERT_FIELD, MAX_P12_BYTES),
            password=str(request.POST.get(PASSWORD_FIELD, "") or ""),
            actor=request.user,
        )
        return Response(s.DocumentSignatureSerializer(signature).data, status=201)


class DocumentExternalSignatureView(APIView):
    parser_classes = PARSERS

    @extend_schema(
        operation_id="documents_external_signature",
        summary="Registrar el PDF del documento firmado con Firma Perú",
        request={"multipart/form-data": s.PdfUploadSerializer},
        responses={
            201: s.DocumentSignatureSerializer,
            **error_responses(
                400, 403, 404, e409="Ya firmado, proyecto o documento de otra oficina."
            ),
        },
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        document = get_document_for_signer(request.user, pk)
        signature = do_record_external_signature(
            document, pdf=_file(request, FILE_FIELD, MAX_PDF_BYTES), actor=request.user
        )
        return Response(s.DocumentSignatureSerializer(signature).data, status=201)


class DocumentVerifyView(APIView):
    parser_classes = PARSERS

    @extend_schema(
        operation_id="documents_verify",
        summary="Verificar las firmas de un PDF (el archivo no se guarda)",
        request={"multipart/form-data": s.PdfUploadSerializer},
        responses={200: s.VerificationSerializer, **error_responses(400)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = _file(request, FILE_FIELD, MAX_PDF_BYTES)
        if not data:
            raise InvalidInput(errors={FILE_FIELD: ["Adjunte el PDF a verificar."]})
        result = verify_pdf(data).as_dict()
        document = document_of_signed_pdf(data, request.user)
        result["document"] = document.pk if document is not None else None
        return Response(result)
