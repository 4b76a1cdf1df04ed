"""`mapro audit verify`: check the hash chain of the audit trail (and its signed checkpoints);
`mapro audit checkpoint`: append a signed checkpoint of the head outside the database.

Exit status 0 when intact; 1 naming the first broken event (id, time, why) or the checkpoint
the chain no longer matches (a cut tail, a rewritten chain).
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
        verify.add_argument(
            "--checkpoints",
            default=None,
            help="Archivo de puntos de control firmados (por defecto AUDIT_CHECKPOINT_FILE).",
        )
        grants = sub.add_parser(
            "grants", help="SQL que otorga al rol de ejecución sus privilegios (PostgreSQL)."
        )
        grants.add_argument("role", help="Rol con el que se conectan web y worker.")
        sub.add_parser(
            "checkpoint", help="Anota la cabeza de la cadena, firmada, fuera de la base."
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify(
                table=options["table"],
                batch_size=options["batch_size"],
                checkpoints=options["checkpoints"],
            )
        elif subcommand == "grants":
            from ...roles import runtime_grants

            for statement in runtime_grants(options["role"]):
                self.stdout.write(statement + ";")
        elif subcommand == "checkpoint":
            from ...checkpoints import write_checkpoint

            cp = write_checkpoint()
            if cp is None:
                raise CommandError(
                    "La cadena está rota: no se anotó el punto de control.", returncode=1
                )
            self.stdout.write(f"Punto de control: evento {cp['head_id']}, {cp['count']} eventos.")

    def verify(self, *, table: str | None, batch_size: int, checkpoints: str | None = None) -> None:
        from pathlib import Path

        from ...checkpoints import check_checkpoints

        try:
            result = verify_chain(table=table, batch_size=batch_size)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            raise CommandError(result.message, returncode=1)
        if table is None or checkpoints:
            problems = check_checkpoints(result, Path(checkpoints) if checkpoints else None)
            if problems:
                lines = "; ".join(f"línea {p.line}: {p.detail}" for p in problems)
                raise CommandError(
                    f"{result.message}, pero no coincide con sus puntos de control: {lines}.",
                    returncode=1,
                )
        self.stdout.write(result.message)
        if result.head_id is not None:
            self.stdout.write(f"Último evento: {result.head_id}, hash {result.head_hash}")
