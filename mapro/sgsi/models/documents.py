"""The register of SGSI documents: policies, procedures, plans and formats, their versions (each
with its file and its approval) and the observations made to them."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from mapro.core.fields import instance_link, link, user_link

from ..choices import DocumentKind, DocumentStatus, Team, VersionStatus


class SgsiDocument(models.Model):
    """One document of the SGSI, known by its code (``SGSI-POL-001``).

    ``current_version`` points at the approved version in force (None while none has been
    approved); ``status`` follows it (en elaboración → vigente; obsoleto when withdrawn).
    ``next_review`` is when it must be reviewed again (S04.01.00.03 reviews it).
    """

    # Unique by sgsi_sgsidocument_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=40)
    title = models.CharField("título", max_length=300)
    kind = models.CharField("tipo", max_length=16, choices=DocumentKind.choices)
    owner_team = models.CharField("equipo responsable", max_length=20, choices=Team.choices)
    status = models.CharField(
        "estado",
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.EN_ELABORACION,
    )
    current_version = link("SgsiDocumentVersion", "versión vigente")
    next_review = models.DateField("próxima revisión", null=True, blank=True)
    custody_location = models.CharField("ubicación de custodia", max_length=300, blank=True)
    created_by = user_link("registrado por")
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "documento del SGSI"
        verbose_name_plural = "documentos del SGSI"
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "status"], name="sgsi_doc_kind_status")]
        constraints = [models.UniqueConstraint(fields=["code"], name="sgsi_sgsidocument_code_uniq")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


def version_file_path(version: SgsiDocumentVersion, filename: str) -> str:
    """Files under a name of our own; the uploaded name is kept in ``file_name`` only."""
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"sgsi/documentos/{version.document_id}/{uuid.uuid4().hex}.{ext}"


class SgsiDocumentVersion(models.Model):
    """One version of an SGSI document, with its file and, once approved, who approved it, when
    and by which document (the Memorándum that S04.01.00.03 activity 12 issues).

    Every version has a file: an upload (``file``) or, when a procedure step sent it, the file
    the step's form names (``file_name`` without ``file``). ``number`` runs per document.
    """

    # No index of its own: sgsi_version_unique leads with it.
    document = models.ForeignKey(
        SgsiDocument,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name="documento",
        db_index=False,
    )
    number = models.PositiveIntegerField("versión")
    status = models.CharField(
        "estado", max_length=12, choices=VersionStatus.choices, default=VersionStatus.EN_REVISION
    )
    file = models.FileField("archivo", upload_to=version_file_path, blank=True, max_length=200)
    file_name = models.CharField("nombre del archivo", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    changes = models.TextField("cambios de esta versión", blank=True)
    submitted_by = user_link("presentada por")
    submitted_by_name = models.CharField("nombre de quien la presentó", max_length=200)
    submitted_at = models.DateTimeField("presentada", auto_now_add=True)
    approved_by = user_link("aprobada por")
    approved_by_name = models.CharField("nombre de quien la aprobó", max_length=200, blank=True)
    approved_on = models.DateField("fecha de aprobación", null=True, blank=True)
    approval_document = models.CharField(
        "documento de aprobación", max_length=120, blank=True, help_text="Memorándum interno."
    )
    instance = instance_link()

    class Meta:
        verbose_name = "versión de documento del SGSI"
        verbose_name_plural = "versiones de documentos del SGSI"
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="sgsi_version_unique"),
            models.CheckConstraint(
                condition=~Q(status="aprobada")
                | (Q(approved_on__isnull=False) & ~Q(approval_document="")),
                name="sgsi_version_approved_has_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.code} v{self.number}"


class SgsiObservation(models.Model):
    """An observation made to a document (or one of its versions): by the SGSI specialist's
    review (S04.01.00.03 activities 2 and 10) or on the register's page."""

    document = models.ForeignKey(
        SgsiDocument,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name="documento",
    )
    version = models.ForeignKey(
        SgsiDocumentVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name="versión",
    )
    text = models.TextField("observación")
    author = user_link("autor")
    author_name = models.CharField("nombre del autor", max_length=200)
    source = models.CharField("origen", max_length=200, blank=True)
    instance = instance_link()
    created_at = models.DateTimeField("fecha", auto_now_add=True)

    class Meta:
        verbose_name = "observación de documento del SGSI"
        verbose_name_plural = "observaciones de documentos del SGSI"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document.code}: {self.text[:40]}"
