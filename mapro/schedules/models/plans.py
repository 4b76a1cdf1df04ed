"""Annual cronogramas of the procedures (Formato N° 01, SGSI-FOR-026 «Cronograma anual»).

A ``Plan`` is the cronograma of one procedure and year, in versions: a draft is written item by
item, then signed by the role the procedure names (the signing step, or the approve action of
the register); approving it writes one ``PlanOccurrence`` per planned date of every item. An
approved version never changes: a correction is a new version (a draft copy) that the same role
signs again, and its approval supersedes the previous one (its pending dates are cancelled, its
executed dates carried over). Planned against executed: an occurrence is done when a run record
or a procedure step records its execution; a pending one past its date is overdue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..choices import PlanOccurrenceStatus, PlanStatus


class Plan(models.Model):
    """One version of the annual cronograma of a procedure."""

    # No index of its own: sched_plan_version_uniq leads with it.
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name="procedimiento",
        on_delete=models.PROTECT,
        related_name="plans",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("año")
    version = models.PositiveSmallIntegerField("versión", default=1)
    title = models.CharField("título", max_length=200)
    description = models.TextField("descripción", blank=True)
    status = models.CharField(
        "estado", max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approver_role = models.CharField(
        "rol que firma",
        max_length=40,
        help_text="Código del rol que firma; cada nueva versión la firma el mismo rol.",
    )
    previous = models.OneToOneField(
        "self",
        verbose_name="versión anterior",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    instance = models.ForeignKey(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="El expediente del procedimiento en cuyo paso de firma se aprobó.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="firmado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by_name = models.CharField("nombre de quien firmó", max_length=200, blank=True)
    approved_at = models.DateTimeField("firmado", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="elaborado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("elaborado", auto_now_add=True)
    updated_at = models.DateTimeField("modificado", auto_now=True)

    class Meta:
        verbose_name = "cronograma anual"
        verbose_name_plural = "cronogramas anuales"
        ordering = ["-year", "procedure__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "year", "version"], name="sched_plan_version_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year}, v{self.version})"


class PlanItem(models.Model):
    """One line of a cronograma: what is done, on which equipment or system, when and by whom.

    ``when`` is a first date (``starts_on``) and, for recurring work, an RFC 5545 rule
    (``rrule``, e.g. ``FREQ=MONTHLY``) expanded inside the cronograma's year. ``key`` names the
    line across versions (a new version copies it), so an execution carries over.
    ``equipment_code`` is the code of the equipment in the inventory, when it has one.
    """

    # No index of its own: sched_planitem_key_uniq leads with it.
    plan = models.ForeignKey(
        Plan,
        verbose_name="cronograma",
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
    )
    key = models.PositiveIntegerField("n.º de línea")
    activity = models.CharField("actividad", max_length=200)
    target = models.CharField("equipo o sistema", max_length=200)
    # inventory.Equipment.code by value: schedules sits below the domain apps (docs/architecture.md,
    # "References kept as values").
    equipment_code = models.CharField("código de inventario", max_length=60, blank=True)
    starts_on = models.DateField("fecha programada")
    rrule = models.CharField(
        "frecuencia (RRULE)",
        max_length=300,
        blank=True,
        help_text="Regla RFC 5545 dentro del año, p. ej. «FREQ=MONTHLY;BYMONTHDAY=5».",
    )
    responsible_role = models.CharField("rol responsable", max_length=40)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(
        "datos del formato",
        default=dict,
        blank=True,
        help_text="Columnas propias del formato (tipo, ruta, nombre del archivo, destino…).",
    )

    class Meta:
        verbose_name = "línea de cronograma"
        verbose_name_plural = "líneas de cronograma"
        ordering = ["plan", "key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="sched_planitem_key_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.target}"


class PlanOccurrence(models.Model):
    """One planned date of an item of an approved cronograma, and its execution."""

    plan = models.ForeignKey(
        Plan, verbose_name="cronograma", on_delete=models.CASCADE, related_name="occurrences"
    )
    # No index of its own: sched_planocc_uniq leads with it.
    item = models.ForeignKey(
        PlanItem,
        verbose_name="línea",
        on_delete=models.CASCADE,
        related_name="occurrences",
        db_index=False,
    )
    due_on = models.DateField("fecha programada")
    status = models.CharField(
        "estado",
        max_length=10,
        choices=PlanOccurrenceStatus.choices,
        default=PlanOccurrenceStatus.PENDING,
    )
    executed_on = models.DateField("ejecutado el", null=True, blank=True)
    executed_by_name = models.CharField("ejecutado por", max_length=200, blank=True)
    evidence = models.CharField(
        "evidencia",
        max_length=200,
        blank=True,
        help_text="Qué registra la ejecución (registro de ejecución, expediente…).",
    )
    overdue_notified_at = models.DateTimeField("aviso de atraso", null=True, blank=True)

    class Meta:
        verbose_name = "fecha de cronograma"
        verbose_name_plural = "fechas de cronograma"
        ordering = ["due_on", "item__key"]
        constraints = [
            models.UniqueConstraint(fields=["item", "due_on"], name="sched_planocc_uniq"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="sched_planocc_due")]

    def __str__(self) -> str:
        return f"{self.item} — {self.due_on:%d/%m/%Y}"
