"""Official documents issued by procedure steps, and their correlative counters."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mapro.core.fields import user_link


class DocumentStatus(models.TextChoices):
    PROYECTO = "proyecto", "Proyecto (sin número)"
    EMITIDO = "emitido", "Emitido"


class NumberSource(models.TextChoices):
    """Who gave the document its one number (docs/registers/documents.md, "Un solo número")."""

    MAPRO = "mapro", "Correlativo de mapro"
    SISTRADOC = "sistradoc", "Número de SISTRADOC"
    EXTERNO = "externo", "Número de la oficina que lo emite"
    NINGUNO = "ninguno", "Sin número"


class Document(models.Model):
    """One official document (oficio, memorándum, informe, acta…) left by a procedure step.

    ``kind`` is the ficha's effect value (``{document: Oficio}`` → "Oficio"); ``family`` the
    numbering family it belongs to ("OFICIO", "INFORME"…). An issued document has a correlative
    ``seq`` per (family, year) and its ``number`` in the public-sector style
    ``OFICIO N° 000012-2026-MINDEF/OGTIE``; a draft ("Proyecto de …") has neither.

    A document has **one** number (``number_source``): mapro's correlative, or, where the office
    numbers it in SISTRADOC (the step's form records that number), SISTRADOC's, and then no
    correlative is taken; a document issued by another office (DIRAB's delivery document) keeps
    that office's number, or none, never one of ours (``issuer_unit_code`` names the office).
    """

    kind = models.CharField("tipo de documento", max_length=200)
    family = models.CharField("familia de numeración", max_length=20)
    status = models.CharField(
        "estado", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.EMITIDO
    )
    year = models.PositiveSmallIntegerField("año")
    seq = models.PositiveIntegerField("correlativo", null=True, blank=True)
    number = models.CharField("número", max_length=80, blank=True)
    # As printed in the issued number, frozen at issue: not a ForeignKey (docs/architecture.md,
    # "References kept as values").
    unit_code = models.CharField("unidad emisora", max_length=40, default="OGTIE")
    number_source = models.CharField(
        "origen del número",
        max_length=10,
        choices=NumberSource.choices,
        default=NumberSource.MAPRO,
    )
    external = models.BooleanField("emitido por otra oficina", default=False)
    addressee = models.CharField("destinatario", max_length=300, blank=True)
    subject = models.CharField("asunto", max_length=500)
    body = models.JSONField("contenido", default=list, blank=True)
    instance = models.ForeignKey(
        "procedures.Instance",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="expediente",
    )
    # No index of its own: doc_one_per_effect leads with it.
    record = models.ForeignKey(
        "procedures.TaskRecord",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="paso del expediente",
        db_index=False,
    )
    position = models.PositiveSmallIntegerField("posición del efecto", default=0)
    activity_n = models.PositiveIntegerField("actividad")
    activity_name = models.CharField("nombre de la actividad", max_length=400)
    draft = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued",
        verbose_name="proyecto del que proviene",
    )
    ticket = models.ForeignKey(
        "helpdesk.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="ticket",
    )
    issued_by = user_link("emitido por")
    issued_by_name = models.CharField("nombre de quien emitió", max_length=200, blank=True)
    created_at = models.DateTimeField("fecha", auto_now_add=True)

    class Meta:
        verbose_name = "documento oficial"
        verbose_name_plural = "documentos oficiales"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "position"], name="doc_one_per_effect"),
            models.UniqueConstraint(
                fields=["family", "year", "seq"],
                condition=Q(seq__isnull=False),
                name="doc_unique_seq",
            ),
            models.CheckConstraint(
                condition=Q(status="proyecto", seq__isnull=True, number="")
                | Q(status="emitido", number_source="mapro", seq__isnull=False)
                | Q(status="emitido", seq__isnull=True, number_source__in=["sistradoc", "externo"])
                & ~Q(number="")
                | Q(status="emitido", seq__isnull=True, number_source="ninguno", number=""),
                name="doc_one_number",
            ),
        ]
        indexes = [models.Index(fields=["kind", "year"], name="doc_kind_year")]

    def __str__(self) -> str:
        return self.number or f"{self.kind} (sin número)"

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.PROYECTO


class DocumentCounter(models.Model):
    """The last correlative given per numbering family and year (locked to allocate one)."""

    family = models.CharField("familia", max_length=20)
    year = models.PositiveSmallIntegerField("año")
    last = models.PositiveIntegerField("último correlativo", default=0)

    class Meta:
        verbose_name = "contador de documentos"
        verbose_name_plural = "contadores de documentos"
        constraints = [
            models.UniqueConstraint(fields=["family", "year"], name="doc_counter_family_year")
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.year}: {self.last}"


def signed_pdf_path(signature: DocumentSignature, filename: str) -> str:
    """Signed PDFs under a name of our own (the uploaded name is never a path)."""
    import uuid

    return f"documentos/firmados/{signature.document_id}/{uuid.uuid4().hex}.pdf"


class SignatureMethod(models.TextChoices):
    PADES = "pades", "Firma digital PAdES en mapro (certificado PKCS#12)"
    FIRMA_PERU = "firma_peru", "Firma Perú (PDF firmado fuera de mapro)"


class DocumentSignature(models.Model):
    """One signed PDF of a document: signed here in PAdES with the issuer's certificate, or
    signed outside with Firma Perú and recorded here.

    The file is the signed PDF as it left the signer; ``sha256`` lets anyone check it. The
    certificate's subject, serial and issuer are copied from the signature itself (as pyHanko
    read it), so the row says who signed even if the certificate is later revoked. The
    certificate's private key and password are never stored.
    """

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="signatures", verbose_name="documento"
    )
    method = models.CharField("modalidad", max_length=12, choices=SignatureMethod.choices)
    file = models.FileField("PDF firmado", upload_to=signed_pdf_path, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("tamaño (bytes)")
    signer_name = models.CharField("firmante (certificado)", max_length=300)
    signer_serial = models.CharField("N° de serie del firmante", max_length=100, blank=True)
    certificate_issuer = models.CharField("emisor del certificado", max_length=300, blank=True)
    certificate_serial = models.CharField("serie del certificado", max_length=100, blank=True)
    signed_at = models.DateTimeField("firmado")
    recorded_by = user_link("registrado por")
    recorded_by_name = models.CharField("nombre de quien lo registró", max_length=200)
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "firma de documento"
        verbose_name_plural = "firmas de documentos"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document}: {self.signer_name}"
