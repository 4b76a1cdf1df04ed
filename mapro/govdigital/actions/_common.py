"""Parsing helpers shared by the actions: every problem is appended to ``errors[field]``."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from mapro.core.exceptions import InvalidInput

Errors = dict[str, list[str]]


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def raise_if(errors: Errors) -> None:
    if errors:
        raise InvalidInput(errors=errors)


def text(
    errors: Errors, field: str, value: Any, label: str, *, required: bool, max_length: int = 0
) -> str:
    value = "" if value is None else str(value).strip()
    if required and not value:
        add(errors, field, f"{label}: este dato es obligatorio.")
    if max_length and len(value) > max_length:
        add(errors, field, f"{label}: como máximo {max_length} caracteres.")
    return value


def integer(
    errors: Errors,
    field: str,
    value: Any,
    label: str,
    *,
    required: bool,
    minimum: int | None = None,
    maximum: int | None = None,
    range_message: str = "",
) -> int | None:
    if value is None or value == "":
        if required:
            add(errors, field, f"{label}: este dato es obligatorio.")
        return None
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = int(str(value).strip())
        if isinstance(value, float) and value != number:
            raise ValueError(value)
    except (TypeError, ValueError):
        add(errors, field, f"{label}: debe ser un número entero.")
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        add(errors, field, range_message or f"{label}: debe estar entre {minimum} y {maximum}.")
        return None
    return number


def decimal(
    errors: Errors,
    field: str,
    value: Any,
    label: str,
    *,
    required: bool,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal | None:
    if value is None or value == "":
        if required:
            add(errors, field, f"{label}: este dato es obligatorio.")
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        add(errors, field, f"{label}: debe ser un número.")
        return None
    if not number.is_finite():
        add(errors, field, f"{label}: debe ser un número.")
        return None
    if minimum is not None and number < minimum:
        add(errors, field, f"{label}: no puede ser menor que {minimum}.")
        return None
    if maximum is not None and number > maximum:
        add(errors, field, f"{label}: no puede ser mayor que {maximum}.")
        return None
    return number.quantize(Decimal("0.01"))


def date(
    errors: Errors, field: str, value: Any, label: str, *, required: bool
) -> datetime.date | None:
    if value is None or value == "":
        if required:
            add(errors, field, f"{label}: este dato es obligatorio.")
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        add(errors, field, f"{label}: no es una fecha válida (AAAA-MM-DD).")
        return None


def choice(
    errors: Errors, field: str, value: Any, allowed: Any, label: str, *, required: bool
) -> str:
    value = "" if value is None else str(value).strip()
    if not value:
        if required:
            add(errors, field, f"{label}: este dato es obligatorio.")
        return ""
    if value not in {str(v) for v in allowed}:
        add(errors, field, f"{label}: elija un valor de la lista.")
        return ""
    return value
