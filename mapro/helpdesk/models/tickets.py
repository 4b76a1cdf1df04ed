"""Tickets, their numbering, their log of actions ("registra acción") and their attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..choices import OPEN_STATUSES, ActionKind, Channel, Impact, Priority, Status, Urgency


class TicketSequence(models.Model):
    """The last ticket number given in a year: ``MA-<year>-<last>``.

    Incremented with ``UPDATE … SET last = last + 1`` inside the transaction that creates the
    ticket, so the row stays locked until commit: numbers are correlative per year, without gaps
    (a rolled-back ticket rolls its increment back) and without duplicates under concurrency.
    """

    year = models.PositiveIntegerField("año", primary_key=True)
    last = models.PositiveIntegerField("último número", default=0)

    class Meta:
        verbose_name = "correlativo de tickets"
        verbose_name_plural = "correlativos de tickets"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Ticket(models.Model):
    """A request or incident registered in the help desk (the manual's SISMA "ticket").

    Invariants kept by ``mapro.helpdesk.actions`` (the only writers): ``number`` is unique and
    correlative per year; ``status`` moves only along ``transitions.TRANSITIONS``; a closed
    ticket changes only by reopening; ``requester_unit`` is the requester's unit when the ticket
    was registered (later moves of the person do not move their tickets); ``paused_since`` is
    set exactly while the status is en espera or devuelto, and ``paused_minutes`` adds up the
    business minutes spent paused, by which the due times were pushed. ``data`` holds the
    answers to the category's requirements (file fields: attachment ids).

    On PostgreSQL the table also has a ``search_vector`` column (generated from number, subject
    and description, with a GIN index; migration 0002) that the model does not declare:
    ``selectors.search`` queries it.
    """

    # Unique by hd_ticket_number_uniq (Meta): a unique field would also bring a
    # varchar_pattern_ops twin, and the number is only looked up exactly (or by icontains, which
    # no btree serves).
    number = models.CharField("número", max_length=20, editable=False)
    # The foreign keys below have no index of their own: hd_ticket_requester, hd_ticket_unit,
    # hd_ticket_category, hd_ticket_team and hd_ticket_assignee lead with them, and every
    # ticket change rewrites the row (one index less to keep each time).
    requester = models.ForeignKey(
        "organization.Person",
        verbose_name="solicitante",
        on_delete=models.PROTECT,
        related_name="helpdesk_tickets",
        db_index=False,
    )
    requester_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad del solicitante",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    channel = models.CharField("canal", max_length=12, choices=Channel.choices)
    category = models.ForeignKey(
        "helpdesk.Category",
        verbose_name="categoría",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    impact = models.CharField("impacto", max_length=6, choices=Impact.choices)
    urgency = models.CharField("urgencia", max_length=6, choices=Urgency.choices)
    priority = models.CharField("prioridad", max_length=8, choices=Priority.choices)
    status = models.CharField(
        "estado", max_length=12, choices=Status.choices, default=Status.REGISTRADO
    )
    hold_reason = models.TextField("motivo de espera u observaciones", blank=True)
    team = models.ForeignKey(
        "organization.Unit",
        verbose_name="equipo responsable",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    subject = models.CharField("asunto", max_length=200)
    description = models.TextField("descripción")
    data = models.JSONField("datos de la solicitud", default=dict, blank=True)
    solution = models.TextField("solución", blank=True)
    response_due_at = models.DateTimeField("respuesta hasta")
    resolution_due_at = models.DateTimeField("solución hasta")
    first_response_at = models.DateTimeField("primera respuesta", null=True, blank=True)
    resolved_at = models.DateTimeField("resuelto", null=True, blank=True)
    closed_at = models.DateTimeField("cerrado", null=True, blank=True)
    paused_minutes = models.PositiveIntegerField("minutos hábiles en pausa", default=0)
    paused_since = models.DateTimeField("en pausa desde", null=True, blank=True)
    instance = models.ForeignKey(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    reopens = models.ForeignKey(
        "self",
        verbose_name="reapertura del ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reopened_as",
        help_text="El ticket cerrado que este reabre (su expediente había concluido).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "ticket"
        verbose_name_plural = "tickets"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The queue: newest first, keyset on (created_at, id), optionally by status.
            models.Index(fields=["-created_at", "-id"], name="hd_ticket_created"),
            models.Index(fields=["status", "-created_at", "-id"], name="hd_ticket_status"),
            # The console's main filters together (status, category, priority): one range per
            # combination, so a filtered page reads its matches and nothing else.
            models.Index(
                fields=["status", "category", "priority", "-created_at", "-id"],
                name="hd_ticket_queue_filter",
            ),
            models.Index(fields=["team", "status", "-created_at"], name="hd_ticket_team"),
            models.Index(fields=["assignee", "status", "-created_at"], name="hd_ticket_assignee"),
            # "Mis solicitudes" (and any list of one requester's tickets): all of them, and the
            # ones not closed ("En curso"), newest first with the keyset's tie-breaker, so that
            # a page reads its 21 index entries and nothing else (issue #15). The list writes
            # the partial index's condition into its SQL (``selectors.own_tickets``).
            models.Index(fields=["requester", "-created_at", "-id"], name="hd_ticket_requester"),
            models.Index(
                fields=["requester", "-created_at", "-id"],
                name="hd_ticket_requester_open",
                condition=~models.Q(status=Status.CERRADO),
            ),
            models.Index(fields=["requester_unit", "-created_at"], name="hd_ticket_unit"),
            models.Index(fields=["category", "-created_at"], name="hd_ticket_category"),
            models.Index(fields=["priority", "-created_at"], name="hd_ticket_priority"),
            models.Index(fields=["resolution_due_at"], name="hd_ticket_due"),
            # The dashboard reads open tickets only (a few percent of the table at 1M): the
            # oldest ones, and the SLA state of each (due and pause times, by team) from the
            # index alone. Both indexes grow with the open tickets, not with the history.
            models.Index(
                fields=["created_at", "id"],
                name="hd_ticket_open_age",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                fields=["status", "team", "resolution_due_at", "paused_since"],
                name="hd_ticket_open_sla",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["number"], name="hd_ticket_number_uniq")]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


class TicketAction(models.Model):
    """One line of a ticket's log: who did what and when, in order (the manual's "registra
    acción"). Append-only. ``visible_to_requester`` is False for internal notes (and for
    attachments added with them); the requester's view shows only visible rows.
    ``author_name`` is copied so that history survives the user."""

    # No index of its own: hd_action_ticket leads with it.
    ticket = models.ForeignKey(
        Ticket,
        verbose_name="ticket",
        on_delete=models.CASCADE,
        related_name="actions",
        db_index=False,
    )
    kind = models.CharField("tipo", max_length=16, choices=ActionKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="autor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField("nombre del autor", max_length=200)
    created_at = models.DateTimeField("fecha", auto_now_add=True)
    body = models.TextField("texto", blank=True)
    from_status = models.CharField("estado anterior", max_length=12, blank=True)
    to_status = models.CharField("estado nuevo", max_length=12, blank=True)
    visible_to_requester = models.BooleanField("visible para el solicitante", default=True)

    class Meta:
        verbose_name = "acción del ticket"
        verbose_name_plural = "acciones del ticket"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="hd_action_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.get_kind_display()}"


class Attachment(models.Model):
    """A file added to a ticket, stored in the default storage under a generated name.

    ``content_type`` is what the content is (by its bytes, ``attachments.detect_type``), never
    what the browser claimed; ``sha256`` lets anyone check the stored bytes. ``original_name``
    is only shown and offered as the download name.
    """

    # No index of its own: hd_attachment_ticket leads with it.
    ticket = models.ForeignKey(
        Ticket,
        verbose_name="ticket",
        on_delete=models.CASCADE,
        related_name="attachments",
        db_index=False,
    )
    action = models.ForeignKey(
        TicketAction,
        verbose_name="acción",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    field = models.CharField("requisito", max_length=60, blank=True)
    original_name = models.CharField("nombre original", max_length=255)
    # Unique by hd_attachment_stored_name_uniq (Meta), without the varchar_pattern_ops twin a
    # unique field brings: the name is only looked up exactly.
    stored_name = models.CharField("nombre almacenado", max_length=120)
    content_type = models.CharField("tipo de contenido", max_length=120)
    size = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="subido por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("fecha", auto_now_add=True)

    class Meta:
        verbose_name = "adjunto"
        verbose_name_plural = "adjuntos"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="hd_attachment_ticket")]
        constraints = [
            models.UniqueConstraint(fields=["stored_name"], name="hd_attachment_stored_name_uniq")
        ]

    def __str__(self) -> str:
        return self.original_name
