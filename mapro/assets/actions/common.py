"""Helpers the inventory and register actions share: names, the one-open rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from mapro.core.exceptions import Conflict, InvalidInput

M = TypeVar("M", bound=Model)


def text(value: Any, max_length: int | None = None) -> str:
    """``value`` as stripped text ('' for None), cut to ``max_length``."""
    result = "" if value is None else str(value).strip()
    return result[:max_length] if max_length else result


def as_date(value: Any, field: str) -> dt.date | None:
    """A date from a date or ISO text (``None`` for empty); InvalidInput naming ``field``."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise InvalidInput(errors={field: ["Fecha no válida (AAAA-MM-DD)."]}) from exc


def today() -> dt.date:
    return timezone.localdate()


def require(values: dict[str, Any], messages: dict[str, str]) -> None:
    """InvalidInput naming every field of ``messages`` whose value is empty, all at once."""
    errors = {
        field: [message]
        for field, message in messages.items()
        if values.get(field) in (None, "", [], False)
    }
    if errors:
        raise InvalidInput(errors=errors)


def create_open_assignment(create: Callable[[], M], busy_message: str) -> M:
    """Run ``create`` in a savepoint; a clash with the one-open-assignment index (a concurrent
    assignment that committed first) becomes a 409 with ``busy_message``."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as exc:
        raise Conflict(busy_message) from exc


def same_name(a: str, b: str) -> bool:
    """Names equal ignoring case and spacing (``"Ana  ROJAS"`` == ``"ana rojas"``)."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())
