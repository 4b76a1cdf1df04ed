"""Serializers of the documents API v1: one official document, a page of them, errors."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import Document, DocumentSignature


@extend_schema_serializer(
    description=(
        "Un documento oficial (informe, memorándum, oficio…) con su número, su paso, su "
        "expediente y su ticket."
    )
)
class DocumentSerializer(serializers.ModelSerializer):
    """One official document with its step, instance and ticket."""

    procedure = serializers.CharField(source="instance.procedure_version.procedure.code")
    ticket_number = serializers.SerializerMethodField()
    signed = serializers.SerializerMethodField()
    body = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2)
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "family",
            "status",
            "number",
            "number_source",
            "external",
            "addressee",
            "year",
            "seq",
            "subject",
            "body",
            "unit_code",
            "procedure",
            "instance",
            "record",
            "activity_n",
            "activity_name",
            "draft",
            "ticket_number",
            "issued_by_name",
            "created_at",
            "signed",
        ]

    def get_signed(self, document: Document) -> bool:
        return bool(document.signatures.all())

    def get_ticket_number(self, document: Document) -> str | None:
        return document.ticket.number if document.ticket is not None else None


@extend_schema_serializer(
    description=(
        "Un PDF firmado de un documento: firma PAdES hecha en mapro o firma con Firma Perú "
        "registrada."
    )
)
class DocumentSignatureSerializer(serializers.ModelSerializer):
    """One signed PDF of a document (PAdES here, or Firma Perú recorded)."""

    class Meta:
        model = DocumentSignature
        fields = [
            "id",
            "method",
            "signer_name",
            "signer_serial",
            "certificate_issuer",
            "certificate_serial",
            "signed_at",
            "sha256",
            "size",
            "recorded_by_name",
            "created_at",
        ]


@extend_schema_serializer(
    description=(
        "multipart/form-data: el certificado PKCS#12 del firmante y su contraseña (nunca se "
        "guarda)."
    )
)
class SignBodySerializer(serializers.Serializer):
    """multipart/form-data: the signer's PKCS#12 certificate and its password (never stored)."""

    certificado = serializers.FileField(help_text="Certificado PKCS#12 (.p12/.pfx) del emisor.")
    contrasena = serializers.CharField(
        help_text="Contraseña del certificado (no se guarda).", required=False, allow_blank=True
    )


@extend_schema_serializer(description="multipart/form-data: un PDF firmado.")
class PdfUploadSerializer(serializers.Serializer):
    """multipart/form-data: one PDF."""

    archivo = serializers.FileField(help_text="PDF firmado.")


@extend_schema_serializer(
    description=(
        "La verificación de una firma de un PDF: firmante, emisor, fecha, integridad, validez y "
        "confianza."
    )
)
class SignatureCheckSerializer(serializers.Serializer):
    field = serializers.CharField()
    signer = serializers.CharField()
    signer_serial = serializers.CharField()
    issuer = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    intact = serializers.BooleanField(help_text="Los bytes firmados no cambiaron.")
    valid = serializers.BooleanField(help_text="La firma es criptográficamente correcta.")
    trusted = serializers.BooleanField(help_text="El certificado lleva a una raíz de confianza.")
    modified_after_signing = serializers.BooleanField(
        help_text="El archivo tiene cambios posteriores a la firma."
    )
    summary = serializers.CharField()


@extend_schema_serializer(
    description=(
        "El resultado de verificar un PDF: si está firmado, si sus firmas son válidas y a qué "
        "documento de mapro corresponde."
    )
)
class VerificationSerializer(serializers.Serializer):
    is_pdf = serializers.BooleanField()
    signed = serializers.BooleanField()
    valid = serializers.BooleanField()
    message = serializers.CharField()
    signatures = SignatureCheckSerializer(many=True)
    document = serializers.IntegerField(
        allow_null=True, help_text="El documento de mapro cuyo PDF firmado es este archivo."
    )
