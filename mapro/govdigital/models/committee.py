"""The Comité de Gobierno Digital's sessions: attendance (quorum), agenda, agreements, acta.

An approval the manual gives to the CGD (S04.01.00.01 activities 4, 17 and 20; S04.01.00.02
activity 5) is an ``Agreement`` of a ``Session`` with its votes, never one person's click: the
step records the session's members present and the vote, and ``actions.committee`` refuses an
agreement of a session without quorum.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..choices import AgreementResult, AgreementSubject, SessionKind


class Session(models.Model):
    """One meeting of the CGD (``code`` ``CGD-2026-001``, correlative per year).

    ``members_in_office`` is the number of CGD members (holders of the role ``cgd``) on the
    session's date, kept so that the quorum can be read later as it was decided.
    """

    # Unique by govdigital_session_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=20, editable=False)
    date = models.DateField("fecha")
    kind = models.CharField(
        "tipo", max_length=16, choices=SessionKind.choices, default=SessionKind.ORDINARIA
    )
    agenda = models.TextField("agenda")
    members_in_office = models.PositiveSmallIntegerField("miembros del comité")
    acta_file = models.CharField("acta de reunión firmada (archivo)", max_length=200, blank=True)
    acta_number = models.CharField("N° del acta", max_length=120, blank=True)
    notes = models.TextField("observaciones", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "sesión del CGD"
        verbose_name_plural = "sesiones del CGD"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="govdigital_session_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.date:%d/%m/%Y})"

    @property
    def present_count(self) -> int:
        return self.attendance.count()

    @property
    def quorum_needed(self) -> int:
        """More than half of the members in office."""
        return self.members_in_office // 2 + 1

    @property
    def has_quorum(self) -> bool:
        return self.present_count >= self.quorum_needed


class Attendance(models.Model):
    """A member present at a session."""

    # No index of its own: cgd_attendance_once leads with it.
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", db_index=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("nombre", max_length=200)

    class Meta:
        verbose_name = "asistente"
        verbose_name_plural = "asistentes"
        ordering = ["session", "name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="cgd_attendance_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """An agreement of a session, with its vote (``code`` ``CGD-2026-001/A2``)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="agreements")
    # Unique by govdigital_agreement_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=30, editable=False)
    subject = models.CharField(
        "asunto", max_length=16, choices=AgreementSubject.choices, default=AgreementSubject.OTRO
    )
    text = models.TextField("acuerdo")
    votes_for = models.PositiveSmallIntegerField("votos a favor")
    votes_against = models.PositiveSmallIntegerField("votos en contra", default=0)
    abstentions = models.PositiveSmallIntegerField("abstenciones", default=0)
    result = models.CharField("resultado", max_length=10, choices=AgreementResult.choices)
    plan = models.ForeignKey(
        "govdigital.Plan",
        verbose_name="PGD",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    instance = models.ForeignKey(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cgd_agreements",
    )
    record = models.OneToOneField(
        "procedures.TaskRecord",
        verbose_name="paso del procedimiento",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cgd_agreement",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "acuerdo del CGD"
        verbose_name_plural = "acuerdos del CGD"
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="govdigital_agreement_code_uniq"),
            models.CheckConstraint(condition=Q(votes_for__gte=0), name="cgd_votes_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.get_subject_display()}"
