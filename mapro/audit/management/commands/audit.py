"""`mapro audit verify`: check the hash chain of the audit trail.

Exit status 0 when intact; 1 naming the first broken event (id, time, why).
"""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from mapro.core.management.base import AuditedCommand

from ...verify import verify_chain


class Command(AuditedCommand):
    help = "Operaciones sobre la auditoría. «verify»: verifica la cadena de hashes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Verifica la integridad de la cadena de auditoría.")
        verify.add_argument(
            "--table",
            default=None,
            help="Verifica una copia de la tabla (p. ej. una copia de respaldo restaurada).",
        )
        verify.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify(table=options["table"], batch_size=options["batch_size"])

    def verify(self, *, table: str | None, batch_size: int) -> None:
        try:
            result = verify_chain(table=table, batch_size=batch_size)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            raise CommandError(result.message, returncode=1)
        self.stdout.write(result.message)
        if result.head_id is not None:
            self.stdout.write(f"Último evento: {result.head_id}, hash {result.head_hash}")
