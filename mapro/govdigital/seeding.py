"""``mapro seed`` step of the digital-government registers: with ``--demo``, a vigente PGD
(approved by an RM) with one project per coordination, so that S04.01.00.02 (which follows the
vigente plan) and the project pages can be tried at once. Idempotent: nothing if any plan
exists."""

from __future__ import annotations

import datetime
from typing import Any

from mapro.organization.seeding import register_seed_step

from .actions import plans
from .choices import ProjectStatus
from .models import Plan

DEMO_PROJECTS = [
    ("Mesa de partes digital", "innovacion", "250000.00", "OGD1"),
    ("Renovación del centro de datos", "infraestructura", "900000.00", "OGD2"),
    ("Centro de operaciones de seguridad", "ciberseguridad", "600000.00", "OGD2"),
    ("Tablero estadístico del Sector Defensa", "estadistica", "120000.00", "OGD1"),
]


def seed_demo_plan() -> str:
    if Plan.objects.exists():
        return "0 nuevos"
    plan = plans.do_open_plan(actor=None, start_year=2025, end_year=2027)
    plans.do_set_objectives(
        plan,
        [
            {"code": "OGD1", "text": "Ampliar los servicios digitales al ciudadano y al personal"},
            {"code": "OGD2", "text": "Fortalecer la infraestructura y la seguridad digital"},
        ],
        actor=None,
    )
    projects = plans.do_add_projects(
        plan,
        [
            {
                "name": name,
                "team": team,
                "budget": budget,
                "objective": objective,
                "start_date": "2025-03-01",
                "end_date": "2027-12-31",
                "indicators": [
                    {"name": "Avance de la implementación", "target": "100", "unit": "%"}
                ],
            }
            for name, team, budget, objective in DEMO_PROJECTS
        ],
        actor=None,
    )
    for project in projects:  # the portfolio the RM approved, already in execution
        plans.do_update_project(project, actor=None, status=ProjectStatus.EN_EJECUCION)
    plans.do_approve_by_rm(
        plan, actor=None, rm_number="Resolución Ministerial N° 00123-2025-DE", rm_date="2025-02-14"
    )
    return f"1 nuevo ({plan.code}, vigente, {len(DEMO_PROJECTS)} proyectos)"


@register_seed_step(order=70)
def seed_step(*, demo: bool) -> str:
    """``mapro seed``'s PGD step (a demo plan only with ``--demo``)."""
    if not demo:
        return "Plan de Gobierno Digital: sin datos de demostración."
    return f"Plan de Gobierno Digital: {seed_demo_plan()}."


# --- demo cases (mapro.procedures.demo) ------------------------------------------------------


def demo_portfolio_values(instance: Any, n: int, data: dict[str, Any]) -> dict[str, Any]:
    """A demo formulation of the PGD (S04.01.00.01) proposes one project for the new plan's
    first objective (activity 14) and prioritises and validates the plan's projects by their
    codes, which the register gives them (activities 15 and 16)."""
    if n not in (14, 15, 16):
        return {}
    plan = Plan.objects.filter(instance=instance).first()
    if plan is None:
        return {}
    if n == 14:
        objective = plan.objectives.order_by("id").first()
        if objective is None:
            return {}
        return {
            "proyectos": [
                {
                    "nombre": f"Mesa de partes digital ({plan.code}, demostración)",
                    "objetivo": objective.code,
                    "descripcion": "Recibir en línea los documentos de los administrados.",
                    "presupuesto": 150000.0,
                    "inicio": datetime.date(plan.start_year, 3, 1).isoformat(),
                    "fin": datetime.date(plan.end_year, 11, 30).isoformat(),
                    "indicador": "Trámites recibidos en línea",
                    "meta": 80.0,
                    "unidad_medida": "%",
                }
            ]
        }
    codes = list(plan.projects.order_by("id").values_list("code", flat=True))
    rows = [{"proyecto": code, "prioridad": i + 1} for i, code in enumerate(codes)]
    return {"priorizacion" if n == 15 else "proyectos_validados": rows} if rows else {}


def _register_demo_values() -> None:
    from mapro.procedures.demo import register_demo_values

    register_demo_values("S04.01.00.01", demo_portfolio_values)


_register_demo_values()
