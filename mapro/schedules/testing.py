"""Helpers for tests (and the URL permission matrix): cronogramas made through the actions."""

from __future__ import annotations

import datetime
from typing import Any

from mapro.core.testing import ensure_role, ensure_unit, make_user

from .actions.cronogramas import do_approve_schedule, do_create_schedule
from .models import Schedule


def ensure_test_procedure() -> str:
    """The synthetic procedure T.01 of the engine's tests, published once; its code."""
    from mapro.procedures.models import Procedure
    from mapro.procedures.tests.runtime_helpers import FICHA, publish

    if not Procedure.objects.filter(code="T.01", current_version__isnull=False).exists():
        publish(FICHA)
    return "T.01"


def make_schedule(*, approved: bool = True, actor: Any = None, **fields: Any) -> Schedule:
    """A cronograma of T.01 (start «oficio», OGTIE, operador-mesa) on 2 March and 2 September
    from 2026, approved by a new coordinator unless ``approved=False``."""
    ensure_role("operador-mesa")
    values: dict[str, Any] = {
        "name": "Revisión semestral",
        "procedure_code": ensure_test_procedure(),
        "start_key": "oficio",
        "unit": ensure_unit("OGTIE"),
        "role": "operador-mesa",
        "rrule": "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=2",
        "dtstart": datetime.datetime(2026, 1, 1, 9, 0),
    }
    values.update(fields)
    manager = actor or make_user("coord-infraestructura")
    schedule = do_create_schedule(actor=manager, **values)
    if approved:
        schedule = do_approve_schedule(schedule, actor=manager)
    return schedule


def schedule_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": make_schedule(approved=False).pk}
