"""``mapro helpdesk_counters [--check | --recount | --compact]``: the dashboard's counters.

- ``--check`` (default): compares the counters with a recount of the tickets; lists the keys
  that disagree and fails (exit status 1) when any does.
- ``--recount``: rebuilds them from the tickets (after loading tickets behind the actions' back,
  e.g. ``bench/seed_tickets.py``'s COPY or a restore; or to repair).
- ``--compact``: folds each key's delta rows into one (the worker does it every ten minutes).

While it checks or recounts, ticket changes wait (PostgreSQL ``SHARE`` lock on the ticket
table); reads go on.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mapro.helpdesk import counters


class Command(BaseCommand):
    help = "Comprueba, recalcula o compacta los contadores del tablero de la mesa de ayuda."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--check", action="store_true", help="Compara con un recuento (por omisión)."
        )
        mode.add_argument(
            "--recount", action="store_true", help="Recalcula los contadores desde los tickets."
        )
        mode.add_argument(
            "--compact", action="store_true", help="Une las filas de cada clave en una."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["compact"]:
            folded = counters.compact_counters()
            self.stdout.write(f"Filas de contadores compactadas: {folded}.")
            return
        if options["recount"]:
            wrong = counters.recount_counters()
            self.stdout.write(
                "Contadores recalculados desde los tickets; claves corregidas: "
                f"{len(wrong.counts)} por estado, {len(wrong.days)} por día."
            )
            return
        wrong = counters.counter_differences()
        if not wrong:
            self.stdout.write("Los contadores coinciden con el recuento de los tickets.")
            return
        for key, (mine, truth) in sorted(wrong.counts.items(), key=str):
            status, team, priority, category = key
            self.stdout.write(
                f"estado={status} equipo={team} prioridad={priority} categoría={category}: "
                f"contador {mine}, tickets {truth}"
            )
        for day_key, (mine_day, truth_day) in sorted(wrong.days.items(), key=str):
            day, team, category = day_key
            self.stdout.write(
                f"día={day} equipo={team} categoría={category}: contador "
                f"{mine_day[0]} registrados/{mine_day[1]} cerrados, tickets "
                f"{truth_day[0]}/{truth_day[1]}"
            )
        raise CommandError(
            f"Los contadores no coinciden con los tickets ({len(wrong.counts)} claves por estado, "
            f"{len(wrong.days)} por día): ejecute «mapro helpdesk_counters --recount»."
        )
