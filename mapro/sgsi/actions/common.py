"""Helpers shared by the SGSI actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date


def clean(text: Any, limit: int | None = None) -> str:
    value = " ".join(str(text or "").split()) if limit else str(text or "").strip()
    return value[:limit] if limit else value


def as_date(
    errors: dict[str, list[str]], field: str, value: Any, label: str, *, future_ok: bool = True
) -> dt.date | None:
    """``value`` (date or ISO text) as a date, or a field error; ``None`` for blank."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            parsed = parse_date(str(value))
        except ValueError:
            parsed = None
        if parsed is None:
            errors[field] = [f"{label}: indique una fecha válida (AAAA-MM-DD)."]
            return None
        value = parsed
    if not future_ok and value > timezone.localdate():
        errors[field] = [f"{label} no puede ser posterior a hoy."]
        return None
    return value
