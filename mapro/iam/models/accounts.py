"""The "Registro de cuentas, accesos y privilegios" (and, for kind VPN, the VPN inventory)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mapro.core.fields import user_link

from ..choices import AccountKind, AccountStatus, Privilege


class AccountQuerySet(models.QuerySet["Account"]):
    def active(self) -> AccountQuerySet:
        return self.filter(status=AccountStatus.ACTIVA)

    def vpn(self) -> AccountQuerySet:
        return self.filter(kind=AccountKind.VPN)

    def due_for_removal(self, on: datetime.date | None = None) -> AccountQuerySet:
        """Active accounts whose orden de servicio ended before ``on`` (today)."""
        day = on or timezone.localdate()
        return self.active().filter(service_end__isnull=False, service_end__lt=day)


class Account(models.Model):
    """One account, access or privilege that OGTIE granted to a person.

    Written only by ``mapro.iam.actions`` (grant, modify, remove), each change audited.
    Invariants: an active account has no ``removed_on``; a removed one has it, not before
    ``granted_on`` (database constraints); ``service_start`` is not after ``service_end``;
    no two active accounts share kind, name and system (partial unique constraint). An account
    is never deleted: removal sets the status, so the register keeps who had what and when.
    ``authorizing_documents`` is a list of references (SISTRADOC numbers, attachment ids) of the
    documents that authorised the grant.
    """

    person = models.ForeignKey(
        "organization.Person",
        verbose_name="persona",
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    account_name = models.CharField("nombre de cuenta", max_length=100)
    kind = models.CharField("tipo", max_length=12, choices=AccountKind.choices)
    system_name = models.CharField("sistema", max_length=150, blank=True)
    privilege = models.CharField(
        "privilegio no común", max_length=20, choices=Privilege.choices, blank=True
    )
    status = models.CharField(
        "estado", max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVA
    )
    regime = models.CharField("régimen de contratación", max_length=20, blank=True)
    granted_on = models.DateField("fecha de creación")
    removed_on = models.DateField("fecha de eliminación", null=True, blank=True)
    service_start = models.DateField("inicio de la orden de servicio", null=True, blank=True)
    service_end = models.DateField("fin de la orden de servicio", null=True, blank=True)
    authorizing_documents = models.JSONField("documentos que autorizan", default=list, blank=True)
    removal_reason = models.TextField("motivo de eliminación", blank=True)
    notes = models.TextField("observaciones", blank=True)
    tickets = models.ManyToManyField(
        "helpdesk.Ticket", verbose_name="tickets", blank=True, related_name="iam_accounts"
    )
    instances = models.ManyToManyField(
        "procedures.Instance",
        verbose_name="instancias de procedimiento",
        blank=True,
        related_name="iam_accounts",
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)
    created_by = user_link("registrado por")

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = "cuenta, acceso o privilegio"
        verbose_name_plural = "cuentas, accesos y privilegios"
        ordering = ["-granted_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "status"], name="iam_account_kind_status"),
            models.Index(fields=["account_name"], name="iam_account_name"),
            models.Index(fields=["service_end"], name="iam_account_service_end"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "account_name", "system_name"],
                condition=Q(status="activa"),
                name="iam_account_unique_active_name",
                violation_error_message="Ya existe una cuenta activa con ese nombre.",
            ),
            models.CheckConstraint(
                condition=(Q(status="activa") & Q(removed_on__isnull=True))
                | (
                    Q(status="eliminada")
                    & Q(removed_on__isnull=False)
                    & Q(removed_on__gte=F("granted_on"))
                ),
                name="iam_account_removed_on_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(service_start__isnull=True)
                | Q(service_end__isnull=True)
                | Q(service_start__lte=F("service_end")),
                name="iam_account_service_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.system_name})" if self.system_name else ""
        return f"{self.account_name} — {self.get_kind_display()}{suffix}"

    @property
    def is_due_for_removal(self) -> bool:
        """Active, with an orden de servicio whose end date has passed."""
        return (
            self.status == AccountStatus.ACTIVA
            and self.service_end is not None
            and self.service_end < timezone.localdate()
        )

    @property
    def status_label(self) -> str:
        """ "Por eliminar" when due for removal, else the stored status."""
        if self.is_due_for_removal:
            return "Por eliminar"
        return str(self.get_status_display())

    def audit_fields(self) -> dict[str, Any]:
        """The fields an audit event records (never secrets)."""
        return {
            "persona": self.person_id,
            "nombre": self.account_name,
            "tipo": self.kind,
            "sistema": self.system_name,
            "privilegio": self.privilege,
            "estado": self.status,
            "creada": self.granted_on,
            "eliminada": self.removed_on,
            "inicio_os": self.service_start,
            "fin_os": self.service_end,
            "documentos": list(self.authorizing_documents or []),
            "motivo": self.removal_reason,
        }
