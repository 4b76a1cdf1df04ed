"""`mapro directory apply [--limit N]`: apply the due directory operations now (cron, ops)."""

from typing import Any

from mapro.core.management.base import AuditedCommand
from mapro.directory.delivery import apply_due_operations


class Command(AuditedCommand):
    help = "Directorio: aplica las operaciones pendientes en el directorio (LDAP)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        apply = sub.add_parser("apply", help="Aplica las operaciones pendientes que ya vencieron.")
        apply.add_argument(
            "--limit", type=int, default=100, help="Máximo de operaciones a aplicar (100)."
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        report = apply_due_operations(limit=options["limit"])
        self.stdout.write(
            f"Aplicadas: {report.done}; reintentos programados: {report.retried}; "
            f"fallidas: {report.failed}; por completar a mano: {report.manual}"
        )
