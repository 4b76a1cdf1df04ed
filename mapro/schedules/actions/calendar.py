"""State changes of the business calendar: declared holidays, non-working and working days.

Only staff (Django admin users) and the head of OGTIE may change the calendar, because every
SLA and activity due date moves with it. ``actor=None`` is the system (a management command).
Each action runs in one transaction, writes its audit event and, through ``signals``, drops the
cached calendar.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.organization.permissions import has_role

from .. import calendar
from ..choices import NON_WORKING_KINDS, ExceptionKind
from ..models import CalendarException

CALENDAR_ADMIN_ROLES = frozenset({"jefe-ogtie"})


def can_change_calendar(actor: Any) -> bool:
    """Staff, superusers and the head of OGTIE; the system (``None``) too."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return bool(actor.is_staff or actor.is_superuser or has_role(actor, CALENDAR_ADMIN_ROLES))


def check_can_change_calendar(actor: Any) -> None:
    if not can_change_calendar(actor):
        raise Forbidden(
            "Solo el personal administrador o el Jefe(a) de la OGTIE puede modificar "
            "el calendario laboral."
        )


def _snapshot(exception: CalendarException) -> dict[str, Any]:
    return {
        "date": exception.date.isoformat(),
        "kind": exception.kind,
        "description": exception.description,
        "legal_basis": exception.legal_basis,
    }


def check_calendar_exception(
    *, date: Any, kind: Any, description: Any, exclude_pk: int | None = None
) -> tuple[datetime.date, str, str]:
    """Validate an exception's fields; raise InvalidInput naming each wrong field."""
    errors: dict[str, list[str]] = {}
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        errors["date"] = ["Indique una fecha."]
    if kind not in ExceptionKind.values:
        errors["kind"] = ["Elija un tipo válido."]
    description = (description or "").strip() if isinstance(description, str) else ""
    if not description:
        errors["description"] = ["Describa el motivo (p. ej. la norma que lo declara)."]
    elif len(description) > 200:
        errors["description"] = ["Use como máximo 200 caracteres."]
    if "date" not in errors:
        taken = CalendarException.objects.filter(date=date)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            errors["date"] = ["Ya existe una excepción para esa fecha."]
        elif "kind" not in errors:
            working = calendar.is_regular_business_day(date)
            if kind == ExceptionKind.LABORABLE and working:
                errors["kind"] = ["Esa fecha ya es un día laborable."]
            elif kind in NON_WORKING_KINDS and not working:
                errors["kind"] = ["Esa fecha ya es un día no laborable (fin de semana o feriado)."]
    if errors:
        raise InvalidInput(errors=errors)
    return date, kind, description


def do_create_calendar_exception(
    date: datetime.date,
    kind: str,
    description: str,
    *,
    actor: Any,
    legal_basis: str = "",
) -> CalendarException:
    """Declare ``date`` a holiday, a non-working day or a compensatory working day.

    Invariant: at most one exception per date, and it always changes the day's status (a
    working day on a day that already works, or a holiday on a Sunday, is refused).
    """
    check_can_change_calendar(actor)
    date, kind, description = check_calendar_exception(
        date=date, kind=kind, description=description
    )
    try:
        with transaction.atomic():
            exception = CalendarException.objects.create(
                date=date, kind=kind, description=description, legal_basis=legal_basis.strip()
            )
            record_event(
                actor=actor,
                action="calendar_exception.create",
                obj=exception,
                after=_snapshot(exception),
            )
    except IntegrityError:  # a concurrent request declared the same date first
        raise InvalidInput(errors={"date": ["Ya existe una excepción para esa fecha."]}) from None
    return exception


def do_update_calendar_exception(
    exception: CalendarException,
    *,
    actor: Any,
    kind: str | None = None,
    description: str | None = None,
    legal_basis: str | None = None,
) -> CalendarException:
    """Change an exception's kind, description or legal basis (its date stays; delete instead)."""
    check_can_change_calendar(actor)
    new_kind = exception.kind if kind is None else kind
    new_description = exception.description if description is None else description
    _, new_kind, new_description = check_calendar_exception(
        date=exception.date, kind=new_kind, description=new_description, exclude_pk=exception.pk
    )
    with transaction.atomic():
        # Snapshot the stored row, not the object handed in: a bound ModelForm (the admin's)
        # has already copied the new values onto it.
        stored = CalendarException.objects.select_for_update().get(pk=exception.pk)
        before = _snapshot(stored)
        exception.kind = new_kind
        exception.description = new_description
        if legal_basis is not None:
            exception.legal_basis = legal_basis.strip()
        exception.save()
        after = _snapshot(exception)
        changed = [key for key in after if after[key] != before[key]]
        record_event(
            actor=actor,
            action="calendar_exception.update",
            obj=exception,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return exception


def do_delete_calendar_exception(exception: CalendarException, *, actor: Any) -> None:
    """Remove a declared exception; the date goes back to office hours and public holidays."""
    check_can_change_calendar(actor)
    with transaction.atomic():
        before = _snapshot(exception)
        pk = exception.pk
        object_repr = str(exception)
        exception.delete()
        record_event(
            actor=actor,
            action="calendar_exception.delete",
            object_type=CalendarException._meta.label_lower,
            object_id=str(pk),
            object_repr=object_repr,
            before=before,
        )
