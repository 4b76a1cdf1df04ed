"""Dates in Spanish long form for printed documents ("26 de noviembre de 2026")."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def long_date(day: dt.date) -> str:
    """``1 de enero de 2026``: the day without a leading zero, the month in lower case."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"
