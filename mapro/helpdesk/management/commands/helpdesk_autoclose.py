"""``mapro helpdesk_autoclose [--now ISO] [--dry-run]``: close resolved tickets nobody confirmed
or reopened within ``HELPDESK_AUTOCLOSE_DAYS`` business days (cron or by hand; the worker runs
the same every hour)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mapro.helpdesk.autoclose import autoclose_days, close_unconfirmed_tickets


class Command(BaseCommand):
    help = "Cierra los tickets resueltos que el solicitante no confirmó ni reabrió a tiempo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="Fecha y hora de referencia (ISO 8601); por omisión, ahora."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Solo lista los tickets que se cerrarían."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError("--now debe ser una fecha y hora ISO 8601.") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        report = close_unconfirmed_tickets(now, dry_run=options["dry_run"])
        verb = "Se cerrarían" if options["dry_run"] else "Cerrados"
        self.stdout.write(
            f"{verb} {len(report.closed)} ticket(s) resueltos sin confirmación en "
            f"{autoclose_days()} día(s) hábil(es): {', '.join(report.closed) or 'ninguno'}."
        )
        for number, reason in report.skipped.items():
            self.stderr.write(f"{number}: no se cerró. {reason}")
