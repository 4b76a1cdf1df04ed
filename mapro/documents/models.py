"""Official documents issued by procedure steps, and their correlative counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DocumentStatus(models.TextChoices):
    PROYECTO = "proyecto", "Proyecto (sin número)"
    EMITIDO = "emitido", "Emitido"


class Document(models.Model):
    """One official document (oficio, memorándum, informe, acta…) left by a procedure step.

    ``kind`` is the ficha's effect value (``{document: Oficio}`` → "Oficio"); ``family`` the
    numbering family it belongs to ("OFICIO", "INFORME"…). An issued document has a correlative
    ``seq`` per (family, year) and its ``number`` in the public-sector style
    ``OFICIO N° 000012-2026-MINDEF/OGTIE``; a draft ("Proyecto de …") has neither.
    """

    kind = models.CharField("tipo de documento", max_length=200)
    family = models.CharField("familia de numeración", max_length=20)
    status = models.CharField(
        "estado", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.EMITIDO
    )
    year = models.PositiveSmallIntegerField("año")
    seq = models.PositiveIntegerField("correlativo", null=True, blank=True)
    number = models.CharField("número", max_length=80, blank=True)
    unit_code = models.CharField("unidad emisora", max_length=40, default="OGTIE")
    subject = models.CharField("asunto", max_length=500)
    body = models.JSONField("contenido", default=list, blank=True)
    instance = models.ForeignKey(
        "procedures.Instance",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="expediente",
    )
    record = models.ForeignKey(
        "procedures.TaskRecord",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="paso del expediente",
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
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="emitido por",
    )
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
                condition=Q(status="proyecto", seq__isnull=True)
                | Q(status="emitido", seq__isnull=False),
                name="doc_draft_has_no_number",
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
