"""Reads of the digital-government registers: the rows each page shows, a project's history
across periods (with the change from the previous one), a period compared with the previous
one, the risk heat map, and the XLSX rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from .choices import IMPACT_LABELS, LIKELIHOOD_LABELS, SCALE_MAX, SCALE_MIN, level_of
from .models import Agreement, FollowUpPeriod, Plan, Project, ProjectProgress, Risk, Session


def plans() -> QuerySet[Plan]:
    return Plan.objects.annotate(project_count=Count("projects")).order_by("-start_year", "-id")


def get_plan(code: str) -> Plan:
    return get_object_or_404(Plan, code=code)


def projects() -> QuerySet[Project]:
    return Project.objects.select_related("plan", "objective").order_by(
        "plan__start_year", "plan_id", "code"
    )


def get_project(code: str) -> Project:
    return get_object_or_404(
        Project.objects.select_related("plan", "objective", "carried_from"), code=code
    )


def get_period(pk: int) -> FollowUpPeriod:
    return get_object_or_404(FollowUpPeriod.objects.select_related("plan"), pk=pk)


def sessions() -> QuerySet[Session]:
    return Session.objects.annotate(
        present=Count("attendance", distinct=True),
        agreement_count=Count("agreements", distinct=True),
    ).order_by("-date", "-id")


def get_session(code: str) -> Session:
    return get_object_or_404(Session, code=code)


def risks() -> QuerySet[Risk]:
    return Risk.objects.select_related("plan").order_by("-inherent", "code")


def get_risk(code: str) -> Risk:
    return get_object_or_404(Risk.objects.select_related("plan"), code=code)


def _delta(current: Decimal, previous: Decimal | None) -> Decimal | None:
    return None if previous is None else current - previous


def project_history(project: Project) -> list[dict[str, Any]]:
    """The project's progress in every period it reported, oldest first, each with the change
    in points from the previous report (None for the first). Periods are ordered by the date
    they were requested."""
    rows = (
        ProjectProgress.objects.filter(project=project)
        .select_related("period")
        .order_by("period__requested_on", "period_id")
    )
    out: list[dict[str, Any]] = []
    previous: Decimal | None = None
    for row in rows:
        out.append(
            {
                "period": row.period.label,
                "period_id": row.period_id,
                "requested_on": row.period.requested_on,
                "percent": row.percent,
                "delta": _delta(row.percent, previous),
                "state": row.state,
                "state_label": row.get_state_display(),
                "achievements": row.achievements,
                "reported_by": row.reported_by_name,
            }
        )
        previous = row.percent
    return out


def previous_period(period: FollowUpPeriod) -> FollowUpPeriod | None:
    return (
        FollowUpPeriod.objects.filter(plan=period.plan, requested_on__lte=period.requested_on)
        .exclude(pk=period.pk)
        .exclude(requested_on=period.requested_on, id__gt=period.pk)
        .order_by("-requested_on", "-id")
        .first()
    )


def period_comparison(period: FollowUpPeriod) -> list[dict[str, Any]]:
    """Every project of the plan with its progress in ``period`` and in the previous period
    (the change in points, and whether its state changed); projects not reported show None."""
    before = previous_period(period)
    now = {p.project_id: p for p in period.progress.all()}
    then = {p.project_id: p for p in before.progress.all()} if before else {}
    out = []
    for project in period.plan.projects.order_by("priority", "code"):
        current, last = now.get(project.pk), then.get(project.pk)
        out.append(
            {
                "project": project,
                "current": current,
                "previous": last,
                "delta": _delta(current.percent, last.percent) if current and last else None,
                "state_changed": bool(current and last and current.state != last.state),
            }
        )
    return out


def heat_map(queryset: QuerySet[Risk], *, residual: bool = False) -> list[dict[str, Any]]:
    """The 5 × 5 matrix: one row per likelihood (highest first), one cell per impact, with the
    number of risks, the score and its band. ``residual`` places risks by their residual
    likelihood and impact (risks without them are left out)."""
    lk, im = ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    counts = {
        (row[lk], row[im]): row["n"]
        for row in queryset.exclude(**{f"{lk}__isnull": True})
        .order_by()
        .values(lk, im)
        .annotate(n=Count("id"))
    }
    return [
        {
            "likelihood": likelihood,
            "label": LIKELIHOOD_LABELS[likelihood],
            "cells": [
                {
                    "impact": impact,
                    "count": counts.get((likelihood, impact), 0),
                    "score": likelihood * impact,
                    "level": level_of(likelihood * impact),
                }
                for impact in range(SCALE_MIN, SCALE_MAX + 1)
            ],
        }
        for likelihood in range(SCALE_MAX, SCALE_MIN - 1, -1)
    ]


IMPACTS = [(i, IMPACT_LABELS[i]) for i in range(SCALE_MIN, SCALE_MAX + 1)]

RISK_HEADERS = [
    "Código",
    "Activo",
    "Amenaza",
    "Vulnerabilidad",
    "Proceso o etapa",
    "Probabilidad",
    "Impacto",
    "Nivel inherente",
    "Riesgo inherente",
    "Tratamiento",
    "Controles",
    "Probabilidad residual",
    "Impacto residual",
    "Nivel residual",
    "Riesgo residual",
    "Responsable",
    "Fecha límite",
    "Estado",
    "Origen",
    "PGD",
]


def risk_rows(queryset: Iterable[Risk]) -> Iterator[list[Any]]:
    for r in queryset:
        yield [
            r.code,
            r.asset,
            r.threat,
            r.vulnerability,
            r.context,
            r.likelihood,
            r.impact,
            r.inherent,
            r.get_inherent_level_display(),
            r.get_treatment_display(),
            r.controls,
            r.residual_likelihood,
            r.residual_impact,
            r.residual,
            r.get_residual_level_display(),
            r.owner,
            r.due_date,
            r.get_status_display(),
            r.get_source_display(),
            r.plan.code if r.plan else "",
        ]


PROJECT_HEADERS = [
    "Código",
    "PGD",
    "Proyecto",
    "Objetivo del PGD",
    "Equipo responsable",
    "Presupuesto (S/)",
    "Inicio",
    "Fin",
    "Prioridad",
    "Estado",
    "Indicadores (meta)",
    "Último avance (%)",
    "Periodo del último avance",
]


def project_rows(queryset: Iterable[Project]) -> Iterator[list[Any]]:
    for p in queryset:
        last = (
            p.progress.select_related("period")
            .order_by("-period__requested_on", "-period_id")
            .first()
        )
        yield [
            p.code,
            p.plan.code,
            p.name,
            p.objective.code if p.objective else "",
            p.get_team_display(),
            float(p.budget),
            p.start_date,
            p.end_date,
            p.priority,
            p.get_status_display(),
            "; ".join(
                f"{i.name}: {i.target:g}{(' ' + i.unit) if i.unit else ''}"
                for i in p.indicators.all()
            ),
            float(last.percent) if last else None,
            last.period.label if last else "",
        ]


SESSION_HEADERS = [
    "Sesión",
    "Fecha",
    "Tipo",
    "Miembros del comité",
    "Presentes",
    "Quórum",
    "Acuerdo",
    "Asunto",
    "Texto del acuerdo",
    "A favor",
    "En contra",
    "Abstenciones",
    "Resultado",
    "N° del acta",
]


def session_rows(queryset: Iterable[Session]) -> Iterator[list[Any]]:
    """One row per agreement (a session without agreements: one row with its attendance)."""
    for s in queryset:
        present = s.attendance.count()
        head = [
            s.code,
            s.date,
            s.get_kind_display(),
            s.members_in_office,
            present,
            "Sí" if present >= s.quorum_needed else "No",
        ]
        agreements: list[Agreement] = list(s.agreements.all())
        if not agreements:
            yield [*head, "", "", "", None, None, None, "", s.acta_number]
        for a in agreements:
            yield [
                *head,
                a.code,
                a.get_subject_display(),
                a.text,
                a.votes_for,
                a.votes_against,
                a.abstentions,
                a.get_result_display(),
                s.acta_number,
            ]
