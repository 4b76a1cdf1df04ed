"""Run records: each backup, configuration backup and log review, and the tokens of the
servers and scripts that post them.

A ``RunRecord`` is evidence that planned work ran: when, on which inventoried equipment, with
which outcome, how big, with its evidence file and, when it failed, the corrective action. It
points to the cronograma date it fulfils (``plan_occurrence``) and, for a failed backup, to the
S04.03.02.01 instance opened to correct it (``instance``).

A ``RunToken`` is a backup server's or script's own credential: only its SHA-256 is stored (the
token is shown once), it is limited to some kinds of run and, optionally, some equipment
(``kinds``, ``equipment_codes``), and it is revoked, never deleted, so its records keep saying
who posted them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mapro.core.fields import instance_link, link, user_link

from .choices import CorrectionState, Outcome, RunKind, Source


class RunToken(models.Model):
    name = models.CharField("nombre", max_length=100)
    # Unique by operations_runtoken_token_hash_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    token_hash = models.CharField("huella del token", max_length=64)
    prefix = models.CharField("prefijo", max_length=8)
    kinds = models.JSONField("tipos permitidos", default=list)
    equipment_codes = models.JSONField(
        "equipos permitidos", default=list, blank=True, help_text="Vacío: cualquier equipo."
    )
    created_by = user_link("creado por")
    created_at = models.DateTimeField("creado", auto_now_add=True)
    last_used_at = models.DateTimeField("último uso", null=True, blank=True)
    revoked_at = models.DateTimeField("revocado", null=True, blank=True)
    revoked_by_name = models.CharField("revocado por", max_length=200, blank=True)

    class Meta:
        verbose_name = "token de registro de ejecuciones"
        verbose_name_plural = "tokens de registro de ejecuciones"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"], name="operations_runtoken_token_hash_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RunRecord(models.Model):
    """One run of a backup, a configuration backup or a log review (module docstring)."""

    kind = models.CharField("tipo", max_length=20, choices=RunKind.choices)
    # No index of its own: ops_run_equipment_ran leads with it.
    equipment = models.ForeignKey(
        "inventory.Equipment",
        verbose_name="equipo",
        on_delete=models.PROTECT,
        related_name="run_records",
        db_index=False,
    )
    system = models.CharField("sistema o base de datos", max_length=200, blank=True)
    ran_at = models.DateTimeField("fecha y hora de ejecución")
    outcome = models.CharField("resultado", max_length=10, choices=Outcome.choices)
    size_bytes = models.PositiveBigIntegerField("tamaño (bytes)", null=True, blank=True)
    items = models.PositiveIntegerField("elementos", null=True, blank=True)
    destination = models.CharField("destino o ruta", max_length=300, blank=True)
    files = models.TextField("archivos copiados", blank=True)
    message = models.TextField("detalle o error", blank=True)
    external_id = models.CharField(
        "identificador del envío",
        max_length=100,
        blank=True,
        help_text="El del servidor o script: un reenvío con el mismo no duplica el registro.",
    )
    evidence_name = models.CharField("evidencia (nombre)", max_length=255, blank=True)
    evidence_stored = models.CharField("evidencia (almacenada)", max_length=120, blank=True)
    evidence_sha256 = models.CharField("evidencia (SHA-256)", max_length=64, blank=True)
    evidence_size = models.PositiveBigIntegerField("evidencia (bytes)", null=True, blank=True)
    evidence_type = models.CharField("evidencia (tipo)", max_length=120, blank=True)
    correction_state = models.CharField(
        "corrección", max_length=10, choices=CorrectionState.choices, default=CorrectionState.NONE
    )
    corrective_action = models.TextField("acción correctiva", blank=True)
    corrected_at = models.DateTimeField("corregido", null=True, blank=True)
    corrected_by_name = models.CharField("corregido por", max_length=200, blank=True)
    source = models.CharField("origen", max_length=10, choices=Source.choices)
    token = models.ForeignKey(
        RunToken,
        verbose_name="token",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    recorded_by = user_link("registrado por")
    recorded_by_name = models.CharField("registrado por (nombre)", max_length=200)
    instance = instance_link()
    plan_occurrence = link("schedules.PlanOccurrence", "fecha del cronograma")
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "registro de ejecución"
        verbose_name_plural = "registros de ejecución"
        ordering = ["-ran_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "ran_at"], name="ops_run_kind_ran"),
            models.Index(fields=["equipment", "ran_at"], name="ops_run_equipment_ran"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["token", "external_id"],
                condition=~Q(external_id=""),
                name="ops_run_token_external_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.equipment_id} ({self.ran_at:%d/%m/%Y %H:%M})"
