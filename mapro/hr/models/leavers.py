"""Leavers: the HR system's alerts, the PST backup of the mailbox, the deletion from the AD."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mapro.core.fields import instance_link, user_link

from ..choices import LeaverKind, LeaverOrigin


class LeaverEvent(models.Model):
    """One leaver alert of the HR system, received by the signed webhook (S04.03.01.02, 1 / 5).

    Invariant: ``event_id`` is unique, and the row is inserted first in the transaction that
    starts the procedure and disables the person's accounts; so however many times HR sends
    the same event (retries, concurrent deliveries), it has one effect. Rows are never
    updated after that transaction (the instance and what was disabled are written with it).
    """

    # Unique by hr_leaverevent_event_id_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    event_id = models.CharField("id del evento", max_length=100)
    # No index of its own: hr_leaver_person leads with it.
    person = models.ForeignKey(
        "organization.Person",
        verbose_name="persona",
        on_delete=models.PROTECT,
        related_name="leaver_events",
        db_index=False,
    )
    dni = models.CharField("DNI", max_length=8)
    kind = models.CharField("tipo", max_length=20, choices=LeaverKind.choices)
    leaving_date = models.DateField("fecha de cese o baja")
    origin = models.CharField(
        "registrado por", max_length=10, choices=LeaverOrigin.choices, blank=True
    )
    received_at = models.DateTimeField("recibido")
    body_sha256 = models.CharField("SHA-256 del cuerpo", max_length=64)
    instance = instance_link()
    accounts_disabled = models.JSONField("cuentas deshabilitadas", default=list, blank=True)

    class Meta:
        verbose_name = "alerta de baja"
        verbose_name_plural = "alertas de baja"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["person", "received_at"], name="hr_leaver_person")]
        constraints = [
            models.UniqueConstraint(fields=["event_id"], name="hr_leaverevent_event_id_uniq")
        ]

    def __str__(self) -> str:
        return f"Alerta de baja {self.event_id}"


class MailboxBackup(models.Model):
    """The PST backup of a leaver's mailbox (activity 3, and 15 for the reconciliation's
    bajas): where it is kept, when it was made, by whom. A mailbox is deleted from the
    directory only after its backup is recorded (``DirectoryDeletion.backup``).

    ``person`` is set when the leaver is a registered person; ``dni`` and ``person_name``
    copy what the step said, so a backup is never lost for want of a Person row.
    """

    person = models.ForeignKey(
        "organization.Person",
        verbose_name="persona",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailbox_backups",
    )
    dni = models.CharField("DNI", max_length=20, blank=True)
    person_name = models.CharField("nombre del personal", max_length=200)
    mailbox = models.CharField("buzón de correo", max_length=200)
    location = models.CharField("ubicación del archivo PST", max_length=300)
    backed_up_at = models.DateTimeField("fecha y hora del backup")
    size_mb = models.DecimalField(
        "tamaño (MB)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField("observaciones", blank=True)
    instance = instance_link()
    recorded_by = user_link("registrado por")
    recorded_by_name = models.CharField("nombre de quien registró", max_length=200)
    recorded_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "backup PST"
        verbose_name_plural = "backups PST"
        ordering = ["-backed_up_at", "-id"]
        indexes = [models.Index(fields=["dni"], name="hr_backup_dni")]

    def __str__(self) -> str:
        return f"Backup PST de {self.mailbox}"


class DirectoryDeletion(models.Model):
    """The physical deletion of a leaver's account from the directory (AD) (activity 4, 15).

    Invariant: it points at the PST backup recorded before it (``backup``, PROTECT), so no
    deletion exists without its backup; an account is deleted once (unique with its DNI).
    """

    person = models.ForeignKey(
        "organization.Person",
        verbose_name="persona",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directory_deletions",
    )
    dni = models.CharField("DNI", max_length=20, blank=True)
    person_name = models.CharField("nombre del personal", max_length=200)
    account_name = models.CharField("cuenta eliminada del AD", max_length=100)
    deleted_on = models.DateField("fecha de eliminación física")
    backup = models.ForeignKey(
        MailboxBackup,
        verbose_name="backup PST",
        on_delete=models.PROTECT,
        related_name="deletions",
    )
    notes = models.TextField("observaciones", blank=True)
    instance = instance_link()
    recorded_by = user_link("registrado por")
    recorded_by_name = models.CharField("nombre de quien registró", max_length=200)
    recorded_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "eliminación física del AD"
        verbose_name_plural = "eliminaciones físicas del AD"
        ordering = ["-deleted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dni", "account_name"],
                condition=~Q(dni=""),
                name="hr_deletion_once_per_account",
                violation_error_message="Esta cuenta ya figura eliminada del AD.",
            )
        ]

    def __str__(self) -> str:
        return f"Eliminación del AD de {self.account_name}"
