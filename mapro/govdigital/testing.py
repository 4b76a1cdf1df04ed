"""Helpers for tests (and the URL permission matrix): plans, periods, sessions and risks made
through the real actions by the system (``actor=None``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .actions import committee, plans, risks
from .models import FollowUpPeriod, Plan, Risk, Session

RISK = {
    "asset": "Servidor de base de datos del SIGA",
    "threat": "Falla del suministro eléctrico",
    "vulnerability": "UPS sin mantenimiento",
    "likelihood": 3,
    "impact": 4,
    "treatment": "mitigar",
    "owner": "Responsable de infraestructura tecnológica",
}


def make_plan(*, vigente: bool = False, teams: tuple[str, ...] = ("innovacion",)) -> Plan:
    """A plan (its own period of three years) with one project per team; approved by RM if
    ``vigente`` (replacing the vigente one)."""
    start = next(y for y in range(2000, 2098) if not Plan.objects.filter(start_year=y).exists())
    plan = plans.do_open_plan(actor=None, start_year=start, end_year=start + 2)
    plans.do_add_projects(
        plan,
        [
            {
                "name": f"Proyecto de {team}",
                "team": team,
                "budget": "1000",
                "indicators": [{"name": "Avance", "target": 100}],
            }
            for team in teams
        ],
        actor=None,
    )
    if vigente:
        plan = plans.do_approve_by_rm(
            plan, actor=None, rm_number=f"RM N° {start}-DE", rm_date=f"{start}-01-15"
        )
    return plan


def make_period(plan: Plan, label: str, day: str) -> FollowUpPeriod:
    return plans.do_open_period(plan, actor=None, label=label, requested_on=day)


def make_session(*members: Any, day: str | None = None) -> Session:
    """A session with ``members`` (holders of ``cgd``) present."""
    return committee.do_record_session(
        actor=None,
        date=day or timezone.localdate().isoformat(),
        agenda="Agenda de prueba",
        present=members,
    )


def make_risk(**data: Any) -> Risk:
    return risks.do_record_risk(actor=None, data={**RISK, **data})


def plan_kwargs(user: Any) -> dict[str, Any]:
    return {"code": make_plan().code}


def project_kwargs(user: Any) -> dict[str, Any]:
    return {"code": make_plan().projects.get().code}


def period_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": make_period(make_plan(), "Primer semestre", "2026-07-01").pk}


def session_kwargs(user: Any) -> dict[str, Any]:
    """A session with quorum: every member in office today is present."""
    from mapro.core.testing import make_user

    make_user("cgd")
    present = list(committee.members_in_office(timezone.localdate()).values())
    return {"code": make_session(*present).code}


def risk_kwargs(user: Any) -> dict[str, Any]:
    return {"code": make_risk().code}
