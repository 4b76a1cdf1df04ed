"""``mapro helpdesk_clean_files [--min-age-minutes N] [--dry-run]``: delete attachment files
that no ticket attachment names (left by rolled-back transactions), older than an hour by
default; the worker runs the same every hour. Audited as one ``attachment.clean_orphans`` event
with the count."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mapro.helpdesk.attachments import ORPHAN_MIN_AGE, do_clean_orphan_files


class Command(BaseCommand):
    help = "Elimina los archivos de adjuntos que ningún adjunto de ticket referencia."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=int(ORPHAN_MIN_AGE.total_seconds() // 60),
            help="Solo archivos más antiguos que esto (60 por omisión; mínimo 60).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Solo lista los archivos que se eliminarían."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Younger files may belong to a transaction still running: never below an hour.
        minutes = max(options["min_age_minutes"], int(ORPHAN_MIN_AGE.total_seconds() // 60))
        report = do_clean_orphan_files(
            min_age=datetime.timedelta(minutes=minutes), dry_run=options["dry_run"]
        )
        verb = "Se eliminarían" if report.dry_run else "Eliminados"
        self.stdout.write(
            f"{verb} {len(report.orphans)} archivo(s) sin adjunto de {report.examined} "
            f"revisado(s) (más antiguos que {minutes} min)."
        )
        for name in report.orphans:
            self.stdout.write(f"  {name}")
