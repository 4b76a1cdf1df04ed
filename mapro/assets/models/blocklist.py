"""Block list fed by the spam and phishing cases (S04.04.00.02)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mapro.core.fields import instance_link, user_link

from ..choices import BlockKind, MailCaseKind


class BlockEntry(models.Model):
    """A sender account, domain, URL or public IP address blocked because of a case.

    ``value`` is stored normalized (lower-case account and domain, canonical IP, URL with a
    lower-case scheme and host) so that one value is one entry. The case that caused it is the
    procedure instance (expediente) and/or its ticket. Invariant: at most one *active* entry
    per (kind, value) (partial unique index); an entry is never deleted, only deactivated with
    a reason.
    """

    kind = models.CharField("tipo", max_length=10, choices=BlockKind.choices)
    value = models.CharField("valor bloqueado", max_length=2000)
    case_kind = models.CharField(
        "tipo de caso", max_length=10, choices=MailCaseKind.choices, blank=True
    )
    instance = instance_link("expediente (caso)")
    # The form's "N° de ticket" as typed (maybe not ours); the FK is `instance`
    # (docs/architecture.md, "References kept as values").
    ticket = models.CharField("N° de ticket (caso)", max_length=50, blank=True)
    notes = models.TextField("observaciones", blank=True)
    active = models.BooleanField("activo", default=True)
    created_by = user_link("registrado por")
    created_by_name = models.CharField("registrado por (nombre)", max_length=200, blank=True)
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    deactivated_at = models.DateTimeField("desactivado", null=True, blank=True)
    deactivated_by_name = models.CharField("desactivado por", max_length=200, blank=True)
    deactivation_reason = models.TextField("motivo de la desactivación", blank=True)

    class Meta:
        verbose_name = "entrada de la lista de bloqueos"
        verbose_name_plural = "lista de bloqueos de spam y phishing"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                condition=Q(active=True),
                name="assets_one_active_block",
                violation_error_message="Ese valor ya está bloqueado.",
            ),
            models.CheckConstraint(
                condition=Q(active=True) | ~Q(deactivation_reason=""),
                name="assets_block_deactivation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
