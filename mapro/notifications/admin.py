"""Admin for the outbox: a read-only view with filters, and an audited retry of failed mail."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from mapro.core.exceptions import MaproError

from .actions import do_retry_outbox_message
from .models import Notification, NotificationBatch, NotificationPreference, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "subject",
        "recipient_list",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["key", "subject"]
    # No COUNT(*) over a large outbox on every page, and no date hierarchy (it scans all dates).
    show_full_result_count = False
    fields = (
        "channel",
        "key",
        "recipients",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "payload",
        "body_text",
        "body_html",
    )
    readonly_fields = fields
    actions = ["retry"]

    @admin.display(description="destinatarios")
    def recipient_list(self, obj: OutboxMessage) -> str:
        return ", ".join(obj.recipients or [])

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows are written by the domains' actions, in their transactions

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the outbox is the record of what was sent

    @admin.action(description="Reintentar los mensajes fallidos seleccionados")
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = 0
        for message in queryset:
            try:
                do_retry_outbox_message(message, actor=request.user)
            except MaproError as exc:
                messages.error(request, f"{message}: {exc.message}")
            else:
                count += 1
        if count:
            messages.success(request, f"{count} mensaje(s) programado(s) para reenvío.")


class _ReadOnly(admin.ModelAdmin):
    """Notices are written by ``do_notify`` and read by their recipients; the admin only looks."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(_ReadOnly):
    list_display = ["id", "recipient", "subject", "instance", "created_at", "read_at", "mail_state"]
    list_filter = ["mail_state"]
    search_fields = ["subject", "recipient__username", "key"]
    list_select_related = ["recipient", "instance"]
    raw_id_fields = ["recipient", "actor", "instance"]


@admin.register(NotificationBatch)
class NotificationBatchAdmin(_ReadOnly):
    list_display = ["id", "subject", "roles", "unit", "created_at", "expanded_at"]
    search_fields = ["subject", "key"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(_ReadOnly):
    list_display = ["user", "mail_delivery", "updated_at"]
    list_filter = ["mail_delivery"]
    search_fields = ["user__username"]
