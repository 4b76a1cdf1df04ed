"""Helpers for tests of the annual cronogramas (and other apps' tests that need one)."""

from __future__ import annotations

from typing import Any

from mapro.core.testing import ensure_role, make_user

from .actions.plans import do_approve_plan, do_create_plan
from .models import Plan
from .testing import ensure_test_procedure


def plan_items(year: int = 2026) -> list[dict[str, Any]]:
    return [
        {
            "activity": "Copia de respaldo de base de datos",
            "target": "SRV-BD-01",
            "equipment_code": "SRV-BD-01",
            "starts_on": f"{year}-01-05",
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=5",
            "responsible_role": "profesional-ogtie",
        },
        {
            "activity": "Respaldo de configuración",
            "target": "Central telefónica",
            "starts_on": f"{year}-06-15",
            "responsible_role": "prof-redes",
        },
    ]


def make_plan(
    *,
    procedure_code: str | None = None,
    year: int = 2026,
    approved: bool = True,
    items: list[dict[str, Any]] | None = None,
    author: Any = None,
    signer: Any = None,
) -> Plan:
    """A cronograma of ``procedure_code`` (T.01 by default) with two lines (12 + 1 dates),
    signed by a new coordinator of infrastructure unless ``approved=False``."""
    for code in ("profesional-ogtie", "prof-redes"):
        ensure_role(code)
    plan = do_create_plan(
        actor=author or make_user("profesional-ogtie"),
        procedure_code=procedure_code or ensure_test_procedure(),
        year=year,
        title=f"Cronograma anual {year}",
        items=items if items is not None else plan_items(year),
    )
    if approved:
        plan = do_approve_plan(plan, actor=signer or make_user("coord-infraestructura"))
    return plan


def _free_year(start: int) -> int:
    """The first year from ``start`` without a cronograma of T.01 (factories run many times)."""
    used = set(Plan.objects.filter(procedure__code="T.01").values_list("year", flat=True))
    year = start
    while year in used:
        year += 1
    return year


def plan_kwargs(user: Any) -> dict[str, Any]:
    """A draft of T.01 for 2026 (an earlier draft of that year is dropped: a draft has no
    dates yet), so a matrix row may post a line dated in 2026."""
    ensure_test_procedure()
    Plan.objects.filter(procedure__code="T.01", year=2026, status="draft").delete()
    return {"pk": make_plan(approved=False, year=_free_year(2026)).pk}


def approved_plan_kwargs(user: Any) -> dict[str, Any]:
    ensure_test_procedure()
    return {"pk": make_plan(year=_free_year(2030)).pk}


def occurrence_kwargs(user: Any) -> dict[str, Any]:
    ensure_test_procedure()
    plan = make_plan(year=_free_year(2030))
    return {"pk": plan.occurrences.order_by("due_on").first().pk}  # type: ignore[union-attr]
