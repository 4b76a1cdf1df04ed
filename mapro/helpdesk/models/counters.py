"""The help-desk dashboard's summary counters: how many tickets there are per (status, team,
priority, category) and how many were created and closed per day, per team and category.

Both tables are **ledgers**: every ticket action that creates a ticket or changes its status,
team, priority, category or closing date *inserts* delta rows (``-1`` for the key the ticket
leaves, ``+1`` for the key it enters; ``mapro.helpdesk.counters``) in the action's own
transaction, and a count is the ``SUM`` of its rows. Inserting never locks an existing row, so
two desks closing tickets at once neither wait for each other nor deadlock (updating one row
per key in place would make every concurrent action of the same team queue on it, and two
actions moving tickets in opposite directions could deadlock). ``compact_counters`` (every
ten minutes, and ``mapro helpdesk_counters --compact``) folds the rows of each key into one, so
the tables stay as small as the number of keys (a few thousand at 1M tickets);
``mapro helpdesk_counters --recount`` rebuilds them from the tickets (backfill and repair).

Invariant: for every key, the sum of ``n`` equals the number of tickets with that key
(``TicketCount``), and the sums of ``created``/``closed`` equal the tickets created/closed that
day (America/Lima) that are now in that team and category (``TicketDayCount``).
"""

from __future__ import annotations

from django.db import models

from ..choices import Priority, Status


class TicketCount(models.Model):
    """A delta (or, once compacted, the total) of tickets with one (status, team, priority,
    category). ``n`` may be negative in a delta row; the sum over a key never is."""

    status = models.CharField("estado", max_length=12, choices=Status.choices)
    team = models.ForeignKey(
        "organization.Unit",
        verbose_name="equipo",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    priority = models.CharField("prioridad", max_length=8, choices=Priority.choices)
    category = models.ForeignKey(
        "helpdesk.Category",
        verbose_name="categoría",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    n = models.IntegerField("tickets")

    class Meta:
        verbose_name = "contador de tickets"
        verbose_name_plural = "contadores de tickets"
        # A dashboard reads every row of its scope; the team prefix serves a team's scope and
        # the foreign keys (PROTECT needs an index to find referencing rows quickly).
        indexes = [
            models.Index(fields=["team", "status"], name="hd_count_team"),
            models.Index(fields=["category"], name="hd_count_category"),
        ]

    def __str__(self) -> str:
        return f"{self.status}/{self.team_id}/{self.priority}/{self.category_id}: {self.n}"


class TicketDayCount(models.Model):
    """A delta (or, once compacted, the total) of tickets created and closed on ``day`` (local
    date, America/Lima) that belong to ``team`` and ``category``."""

    day = models.DateField("día")
    team = models.ForeignKey(
        "organization.Unit",
        verbose_name="equipo",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    category = models.ForeignKey(
        "helpdesk.Category",
        verbose_name="categoría",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created = models.IntegerField("registrados", default=0)
    closed = models.IntegerField("cerrados", default=0)

    class Meta:
        verbose_name = "contador diario de tickets"
        verbose_name_plural = "contadores diarios de tickets"
        indexes = [
            models.Index(fields=["day", "team"], name="hd_daycount_day"),
            models.Index(fields=["team"], name="hd_daycount_team"),
            models.Index(fields=["category"], name="hd_daycount_category"),
        ]

    def __str__(self) -> str:
        return f"{self.day}/{self.team_id}/{self.category_id}: +{self.created} -{self.closed}"
