"""Actions of the PGD and its portfolio: open a plan, set its schedule, focus and objectives,
add and update projects (with indicators), open a follow-up period, report a project's progress,
approve the plan by Resolución Ministerial."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Conflict, Forbidden

from .. import access
from ..choices import PeriodKind, PlanStatus, ProgressState, ProjectStatus, Team
from ..models import FollowUpPeriod, Indicator, Objective, Plan, Project, ProjectProgress
from . import _common as c

MIN_YEARS = 3  # "aprobado … para un periodo mínimo de tres (03) años"


def _check(actor: Any, engine_checked: bool) -> None:
    if not engine_checked and not access.can_edit_plans(actor):
        raise Forbidden("Su rol no permite modificar el Plan de Gobierno Digital.")


def current_plan() -> Plan | None:
    """The vigente plan (approved by RM), if any."""
    return Plan.objects.filter(status=PlanStatus.VIGENTE).first()


def do_open_plan(
    *,
    actor: Any,
    start_year: Any,
    end_year: Any,
    title: str = "",
    instance: Any = None,
    engine_checked: bool = False,
    field_names: dict[str, str] | None = None,
) -> Plan:
    """Open a plan in formulation for ``start_year``–``end_year`` (at least three years)."""
    _check(actor, engine_checked)
    names = field_names or {}
    errors: c.Errors = {}
    start = c.integer(
        errors,
        names.get("start_year", "start_year"),
        start_year,
        "Año de inicio",
        required=True,
        minimum=2000,
        maximum=2100,
    )
    end = c.integer(
        errors,
        names.get("end_year", "end_year"),
        end_year,
        "Año de fin",
        required=True,
        minimum=2000,
        maximum=2100,
    )
    if start is not None and end is not None and end - start + 1 < MIN_YEARS:
        c.add(
            errors,
            names.get("end_year", "end_year"),
            "El PGD se aprueba para un periodo mínimo de tres (03) años.",
        )
    code = f"PGD-{start}-{end}"
    if not errors and Plan.objects.filter(code=code).exists():
        c.add(errors, names.get("start_year", "start_year"), f"Ya existe el {code}.")
    c.raise_if(errors)
    assert start is not None and end is not None
    title = (title or "").strip() or f"Plan de Gobierno Digital del MINDEF {start}–{end}"
    with transaction.atomic():
        plan = Plan.objects.create(
            code=code,
            title=title[:300],
            start_year=start,
            end_year=end,
            instance=instance,
            created_by=actor,
        )
        record_event(
            actor=actor, action="pgd.open", obj=plan, after={"code": code, "title": plan.title}
        )
    return plan


PLAN_FIELDS = (
    "strategic_focus",
    "schedule",
    "document_file",
    "title",
    "pcm_oficio",
    "published_url",
)


def do_update_plan(plan: Plan, *, actor: Any, engine_checked: bool = False, **fields: Any) -> Plan:
    """Set some of ``PLAN_FIELDS`` (the schedule as a list of rows)."""
    _check(actor, engine_checked)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"campos no editables: {sorted(unknown)}")
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        before = {k: getattr(locked, k) for k in fields}
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.save()
        record_event(actor=actor, action="pgd.update", obj=locked, before=before, after=fields)
    return locked


def do_set_status(plan: Plan, status: str, *, actor: Any, engine_checked: bool = False) -> Plan:
    _check(actor, engine_checked)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        before = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action="pgd.status",
            obj=locked,
            before={"status": before},
            after={"status": status},
        )
    return locked


def do_set_objectives(
    plan: Plan,
    rows: list[dict[str, Any]],
    *,
    actor: Any,
    field: str = "objectives",
    engine_checked: bool = False,
) -> list[Objective]:
    """Add or replace (by code) the plan's objectives: rows of ``{code, text, pei_alignment}``."""
    _check(actor, engine_checked)
    errors: c.Errors = {}
    cleaned = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        code = str(row.get("code") or "").strip()[:20]
        text = str(row.get("text") or "").strip()
        if not code or not text:
            c.add(errors, field, f"Fila {i}: indique el código y el objetivo.")
        elif code in seen:
            c.add(errors, field, f"Fila {i}: el código {code} está repetido.")
        seen.add(code)
        cleaned.append((code, text, str(row.get("pei_alignment") or "").strip()[:300]))
    if not rows:
        c.add(errors, field, "Indique al menos un objetivo.")
    c.raise_if(errors)
    out = []
    with transaction.atomic():
        for code, text, pei in cleaned:
            objective, _ = Objective.objects.update_or_create(
                plan=plan, code=code, defaults={"text": text, "pei_alignment": pei}
            )
            out.append(objective)
        record_event(
            actor=actor,
            action="pgd.objectives",
            obj=plan,
            after={"objectives": [o.code for o in out]},
        )
    return out


def clean_project(
    errors: c.Errors, plan: Plan, row: dict[str, Any], prefix: str, field: str
) -> dict[str, Any]:
    """Validate one project row (name, team, objective code, budget, dates, indicators)."""
    out: dict[str, Any] = {}
    local: c.Errors = {}
    out["name"] = c.text(local, "name", row.get("name"), "Nombre", required=True, max_length=200)
    out["team"] = c.choice(
        local, "team", row.get("team"), Team.values, "Equipo responsable", required=True
    )
    out["description"] = str(row.get("description") or "").strip()
    out["budget"] = c.decimal(
        local, "budget", row.get("budget"), "Presupuesto", required=False, minimum=Decimal(0)
    ) or Decimal(0)
    out["start_date"] = c.date(local, "start_date", row.get("start_date"), "Inicio", required=False)
    out["end_date"] = c.date(local, "end_date", row.get("end_date"), "Fin", required=False)
    if out["start_date"] and out["end_date"] and out["start_date"] > out["end_date"]:
        c.add(local, "end_date", "Fin: no puede ser anterior al inicio.")
    objective_code = str(row.get("objective") or "").strip()
    out["objective"] = None
    if objective_code:
        out["objective"] = plan.objectives.filter(code=objective_code).first()
        if out["objective"] is None:
            c.add(
                local,
                "objective",
                f"Objetivo: el {plan.code} no tiene el objetivo {objective_code}.",
            )
    out["ficha_file"] = str(row.get("ficha_file") or "")[:200]
    indicators = []
    for j, ind in enumerate(row.get("indicators") or [], start=1):
        name = str(ind.get("name") or "").strip()[:300]
        target = c.decimal(
            local, "indicators", ind.get("target"), f"Indicador {j}: meta", required=True
        )
        baseline = c.decimal(
            local, "indicators", ind.get("baseline"), f"Indicador {j}: línea base", required=False
        )
        if not name:
            c.add(local, "indicators", f"Indicador {j}: falta el nombre.")
        indicators.append(
            {
                "name": name,
                "target": target,
                "baseline": baseline,
                "unit": str(ind.get("unit") or "")[:60],
            }
        )
    out["indicators"] = indicators
    for key, messages in local.items():
        for message in messages:
            c.add(errors, field or key, f"{prefix}{message}")
    return out


def _project_snapshot(project: Project) -> dict[str, Any]:
    return {
        "code": project.code,
        "name": project.name,
        "team": project.team,
        "budget": str(project.budget),
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "priority": project.priority,
        "status": project.status,
        "objective": project.objective.code if project.objective else None,
    }


def do_add_projects(
    plan: Plan,
    rows: list[dict[str, Any]],
    *,
    actor: Any,
    field: str = "",
    engine_checked: bool = False,
) -> list[Project]:
    """Add projects to the portfolio (each row as ``clean_project`` reads it), coded
    ``<plan>-P<nn>`` in order. All rows are checked before any is saved."""
    _check(actor, engine_checked)
    errors: c.Errors = {}
    cleaned = [
        clean_project(errors, plan, row, f"Proyecto {i}: " if field else "", field)
        for i, row in enumerate(rows, start=1)
    ]
    c.raise_if(errors)
    out = []
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        n = plan.projects.count()
        for data in cleaned:
            n += 1
            indicators = data.pop("indicators")
            project = Project.objects.create(plan=plan, code=f"{plan.code}-P{n:02d}", **data)
            for ind in indicators:
                Indicator.objects.create(project=project, **ind)
            record_event(
                actor=actor, action="pgd_project.add", obj=project, after=_project_snapshot(project)
            )
            out.append(project)
    return out


PROJECT_FIELDS = (
    "name",
    "description",
    "budget",
    "start_date",
    "end_date",
    "priority",
    "status",
    "ficha_file",
    "carried_from",
)


def do_update_project(
    project: Project, *, actor: Any, engine_checked: bool = False, **fields: Any
) -> Project:
    """Change some of ``PROJECT_FIELDS`` of a project (the step forms and the register)."""
    _check(actor, engine_checked)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"campos no editables: {sorted(unknown)}")
    errors: c.Errors = {}
    if "status" in fields:
        fields["status"] = c.choice(
            errors, "status", fields["status"], ProjectStatus.values, "Estado", required=True
        )
    if "budget" in fields:
        fields["budget"] = c.decimal(
            errors, "budget", fields["budget"], "Presupuesto", required=True, minimum=Decimal(0)
        )
    if "priority" in fields and fields["priority"] is not None:
        fields["priority"] = c.integer(
            errors,
            "priority",
            fields["priority"],
            "Prioridad",
            required=True,
            minimum=1,
            maximum=999,
        )
    for key in ("start_date", "end_date"):
        if key in fields:
            fields[key] = c.date(errors, key, fields[key], "Fecha", required=False)
    c.raise_if(errors)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        before = _project_snapshot(locked)
        for key, value in fields.items():
            setattr(locked, key, value)
        if locked.start_date and locked.end_date and locked.start_date > locked.end_date:
            c.raise_if({"end_date": ["Fin: no puede ser anterior al inicio."]})
        locked.save()
        after = _project_snapshot(locked)
        record_event(
            actor=actor,
            action="pgd_project.update",
            obj=locked,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return locked


def do_open_period(
    plan: Plan,
    *,
    actor: Any,
    label: str,
    requested_on: Any,
    kind: str = PeriodKind.SEGUIMIENTO,
    instance: Any = None,
    field_names: dict[str, str] | None = None,
    engine_checked: bool = False,
) -> FollowUpPeriod:
    """Open a follow-up period of ``plan`` (its label unique in the plan)."""
    _check(actor, engine_checked)
    names = field_names or {}
    errors: c.Errors = {}
    label = c.text(
        errors, names.get("label", "label"), label, "Periodo", required=True, max_length=100
    )
    day = c.date(
        errors,
        names.get("requested_on", "requested_on"),
        requested_on,
        "Fecha de la solicitud",
        required=True,
    )
    if label and FollowUpPeriod.objects.filter(plan=plan, label=label).exists():
        c.add(errors, names.get("label", "label"), f"El {plan.code} ya tiene el periodo «{label}».")
    c.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        period = FollowUpPeriod.objects.create(
            plan=plan, label=label, requested_on=day, kind=kind, instance=instance
        )
        record_event(
            actor=actor,
            action="pgd_period.open",
            obj=period,
            after={"plan": plan.code, "label": label},
        )
    return period


def do_update_period(
    period: FollowUpPeriod, *, actor: Any, engine_checked: bool = False, **fields: Any
) -> FollowUpPeriod:
    """Set the period's report and its findings, or mark it consolidated."""
    _check(actor, engine_checked)
    allowed = {"report_file", "achievements", "difficulties", "recommendations", "consolidated_at"}
    if set(fields) - allowed:
        raise ValueError(f"campos no editables: {sorted(set(fields) - allowed)}")
    with transaction.atomic():
        for key, value in fields.items():
            setattr(period, key, value)
        period.save()
        record_event(
            actor=actor,
            action="pgd_period.update",
            obj=period,
            after={k: str(v) for k, v in fields.items()},
        )
    return period


def clean_progress(
    errors: c.Errors, row: dict[str, Any], prefix: str, field: str
) -> dict[str, Any]:
    local: c.Errors = {}
    percent = c.decimal(
        local,
        "percent",
        row.get("percent"),
        "Avance (%)",
        required=True,
        minimum=Decimal(0),
        maximum=Decimal(100),
    )
    state = c.choice(
        local, "state", row.get("state"), ProgressState.values, "Estado", required=True
    )
    for key, messages in local.items():
        for message in messages:
            c.add(errors, field or key, f"{prefix}{message}")
    return {
        "percent": percent,
        "state": state,
        "achievements": str(row.get("achievements") or "").strip(),
    }


def do_report_progress(
    period: FollowUpPeriod,
    rows: list[dict[str, Any]],
    *,
    actor: Any,
    record: Any = None,
    teams: set[str] | None = None,
    field: str = "",
    engine_checked: bool = False,
) -> list[ProjectProgress]:
    """Record each row's project progress in ``period`` (``{project, percent, state,
    achievements}``; project by code). A project of another plan, or of another team than
    ``teams`` (the coordinator's), is a field error; a project reported again in the same
    period is updated (the latest report counts)."""
    _check(actor, engine_checked)
    errors: c.Errors = {}
    cleaned = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        prefix = f"Fila {i}: " if field else ""
        code = str(row.get("project") or "").strip()
        project = period.plan.projects.filter(code=code).first() if code else None
        if project is None:
            c.add(
                errors,
                field or "project",
                f"{prefix}el {period.plan.code} no tiene el proyecto «{code}».",
            )
            continue
        if teams is not None and project.team not in teams:
            c.add(
                errors,
                field or "project",
                f"{prefix}el proyecto {code} es del equipo de {project.get_team_display()}; "
                "lo reporta su coordinador.",
            )
            continue
        if code in seen:
            c.add(errors, field or "project", f"{prefix}el proyecto {code} está dos veces.")
            continue
        seen.add(code)
        cleaned.append((project, clean_progress(errors, row, prefix, field)))
    c.raise_if(errors)
    out = []
    name = actor_name(actor)
    with transaction.atomic():
        for project, data in cleaned:
            before = ProjectProgress.objects.filter(period=period, project=project).first()
            progress, _ = ProjectProgress.objects.update_or_create(
                period=period,
                project=project,
                defaults={**data, "reported_by": actor, "reported_by_name": name, "record": record},
            )
            record_event(
                actor=actor,
                action="pgd_progress.report",
                obj=project,
                before={"percent": str(before.percent), "state": before.state} if before else None,
                after={
                    "period": period.label,
                    "percent": str(progress.percent),
                    "state": progress.state,
                },
            )
            out.append(progress)
    return out


def do_approve_by_rm(
    plan: Plan,
    *,
    actor: Any,
    rm_number: str,
    rm_date: Any,
    rm_file: str = "",
    published_url: str = "",
    engine_checked: bool = False,
) -> Plan:
    """The Resolución Ministerial approves the plan: it becomes the vigente one (the previous
    vigente plan is concluded) and its approved projects go into execution."""
    _check(actor, engine_checked)
    errors: c.Errors = {}
    rm_number = c.text(errors, "rm_number", rm_number, "N° de RM", required=True, max_length=120)
    day = c.date(errors, "rm_date", rm_date, "Fecha de la RM", required=True)
    c.raise_if(errors)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == PlanStatus.VIGENTE:
            raise Conflict("El PGD ya está vigente.")
        previous = Plan.objects.select_for_update().filter(status=PlanStatus.VIGENTE).first()
        if previous is not None:
            previous.status = PlanStatus.CONCLUIDO
            previous.save(update_fields=["status", "updated_at"])
            record_event(
                actor=actor,
                action="pgd.status",
                obj=previous,
                before={"status": PlanStatus.VIGENTE},
                after={"status": PlanStatus.CONCLUIDO},
            )
        before = locked.status
        locked.status = PlanStatus.VIGENTE
        locked.rm_number = rm_number
        locked.rm_date = day
        locked.rm_file = (rm_file or "")[:200]
        locked.published_url = (published_url or "")[:200]
        locked.save()
        locked.projects.filter(status=ProjectStatus.APROBADO).update(
            status=ProjectStatus.EN_EJECUCION
        )
        record_event(
            actor=actor,
            action="pgd.approve_rm",
            obj=locked,
            before={"status": before},
            after={
                "status": PlanStatus.VIGENTE,
                "rm_number": rm_number,
                "rm_date": day.isoformat() if day else None,
            },
        )
    return locked
