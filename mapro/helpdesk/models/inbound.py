"""The mailbox log: every message read from the help-desk and phishing mailboxes (IMAP)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class MailboxKind(models.TextChoices):
    HELPDESK = "helpdesk", "Mesa de ayuda"
    PHISHING = "phishing", "Reporte de spam o phishing"


class InboundStatus(models.TextChoices):
    TICKET = "ticket", "Ticket registrado"
    REPLY = "reply", "Respuesta añadida al ticket"
    PHISHING = "phishing", "Reporte de phishing iniciado"
    UNKNOWN_SENDER = "unknown_sender", "Remitente desconocido (respondido con el portal)"
    REJECTED = "rejected", "Rechazado: para revisión"


class InboundMail(models.Model):
    """One message read from a mailbox, and what became of it.

    Written by ``helpdesk.mailin.intake`` in the same transaction as the ticket, reply or
    instance it creates, so a message is processed at most once: ``(mailbox, fingerprint)`` is
    unique (the fingerprint is the Message-ID, or the SHA-256 of the raw bytes when there is
    none), and a crash between commit and the move on the IMAP server finds the row and only
    moves the message. The raw message is kept (``raw_name``, in the default storage) for every
    row, so a rejected message is never lost: a person downloads it from the mailbox log.
    """

    mailbox = models.CharField("buzón", max_length=10, choices=MailboxKind.choices)
    fingerprint = models.CharField("huella", max_length=300)
    message_id = models.CharField("Message-ID", max_length=300, blank=True)
    in_reply_to = models.CharField("In-Reply-To", max_length=300, blank=True)
    references = models.TextField("References", blank=True)
    sender = models.CharField("remitente", max_length=320, blank=True)
    subject = models.CharField("asunto", max_length=300, blank=True)
    size = models.PositiveBigIntegerField("tamaño (bytes)", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    raw_name = models.CharField("mensaje original", max_length=300, blank=True)
    status = models.CharField("resultado", max_length=16, choices=InboundStatus.choices)
    error = models.TextField("error", blank=True)
    notes = models.TextField("observaciones", blank=True)
    analysis = models.JSONField("análisis", default=dict, blank=True)
    ack_message_id = models.CharField("Message-ID de la respuesta", max_length=300, blank=True)
    ticket = models.ForeignKey(
        "helpdesk.Ticket",
        verbose_name="ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_mails",
    )
    instance = models.ForeignKey(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField("leído", default=timezone.now)

    class Meta:
        verbose_name = "correo recibido"
        verbose_name_plural = "correos recibidos"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "fingerprint"], name="hd_inbound_once_per_mailbox"
            )
        ]
        indexes = [
            models.Index(fields=["message_id"], name="hd_inbound_message_id"),
            models.Index(fields=["ack_message_id"], name="hd_inbound_ack_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_mailbox_display()}: {self.subject or self.fingerprint}"
