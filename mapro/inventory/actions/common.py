"""Helpers the inventory actions share: text, dates, references by code."""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from django.utils import timezone

from mapro.organization.models import Person, Unit


def text(value: Any, max_length: int | None = None) -> str:
    """``value`` as stripped text ('' for None); numbers read from XLSX lose a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    return result[:max_length] if max_length else result


def today() -> dt.date:
    return timezone.localdate()


def parse_date(value: Any) -> dt.date | None:
    """A date from a date, ISO text or dd/mm/aaaa; None when empty; ValueError when invalid."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    if "/" in raw:
        day, month, year = raw.split("/")
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(raw[:10])


def parse_ip(value: Any) -> str | None:
    raw = text(value)
    if not raw:
        return None
    return str(ipaddress.ip_address(raw))


def resolve_unit(value: Any) -> Unit | None:
    """A unit from itself, its id or its sigla (code); None when empty; LookupError if unknown."""
    if value in (None, ""):
        return None
    if isinstance(value, Unit):
        return value
    raw = text(value)
    unit = (
        Unit.objects.filter(pk=int(raw)).first()
        if raw.isdigit()
        else Unit.objects.filter(code__iexact=raw).first()
    )
    if unit is None:
        raise LookupError(raw)
    return unit


def resolve_person(value: Any) -> Person | None:
    """A person from itself, their DNI (8 digits) or their id; None when empty; LookupError."""
    if value in (None, ""):
        return None
    if isinstance(value, Person):
        return value
    raw = text(value)
    person = None
    if raw.isdigit() and len(raw) == 8:
        person = Person.objects.filter(dni=raw).first()
    elif raw.isdigit():
        person = Person.objects.filter(pk=int(raw)).first()
    if person is None:
        raise LookupError(raw)
    return person
