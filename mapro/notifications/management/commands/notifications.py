"""`mapro notifications deliver [--limit N]`: send the due outbox messages now (cron, ops)."""

from typing import Any

from mapro.core.management.base import AuditedCommand
from mapro.notifications.delivery import deliver_due_messages


class Command(AuditedCommand):
    help = "Notificaciones: envía los mensajes pendientes de la bandeja de salida."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        deliver = sub.add_parser("deliver", help="Envía los mensajes pendientes que ya vencieron.")
        deliver.add_argument(
            "--limit", type=int, default=100, help="Máximo de mensajes a enviar (100)."
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        report = deliver_due_messages(limit=options["limit"])
        self.stdout.write(
            f"Enviados: {report.sent}; reintentos programados: {report.retried}; "
            f"fallidos: {report.failed}; diferidos: {report.skipped}"
        )
