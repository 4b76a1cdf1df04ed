"""Reporting periods: their labels (2026, 2026-S1, 2026-T3, 2026-07), ends, and predecessors."""

from __future__ import annotations

import calendar
import datetime

from .choices import Periodicity


def periods_of_year(year: int, periodicity: str) -> list[tuple[str, datetime.date]]:
    """(label, last day) of each period of ``year``."""

    def end(month: int) -> datetime.date:
        return datetime.date(year, month, calendar.monthrange(year, month)[1])

    if periodicity == Periodicity.MENSUAL:
        return [(f"{year}-{m:02d}", end(m)) for m in range(1, 13)]
    if periodicity == Periodicity.TRIMESTRAL:
        return [(f"{year}-T{q}", end(3 * q)) for q in range(1, 5)]
    if periodicity == Periodicity.SEMESTRAL:
        return [(f"{year}-S1", end(6)), (f"{year}-S2", end(12))]
    return [(str(year), end(12))]


def previous_period(label: str) -> str | None:
    """The period before ``label`` of the same periodicity (None if the label is not one)."""
    try:
        if "-" not in label:
            return str(int(label) - 1)
        year_text, part = label.split("-", 1)
        year = int(year_text)
        if part.startswith(("T", "S")):
            n, size = int(part[1:]), 4 if part[0] == "T" else 2
            return f"{year}-{part[0]}{n - 1}" if n > 1 else f"{year - 1}-{part[0]}{size}"
        month = int(part)
        return f"{year}-{month - 1:02d}" if month > 1 else f"{year - 1}-12"
    except ValueError:
        return None
