"""``{register: Plan de Gobierno Digital}``: what each step of S04.01.00.01 (formulation) and
S04.01.00.02 (follow-up) leaves in the PGD, its portfolio and its periods.

Formulation (the plan is the one activity 1 opened for this instance):
1 opens the plan; 2 its work schedule; 7 its strategic focus; 8 opens the period "situación
actual" of the vigente plan (if any); 9 each coordinator's projects' state in it; 10 marks it
consolidated; 11 the disposition of each current project (those that continue are carried into
the new plan); 12 the new objectives; 14 each coordinator's preliminary projects; 15 the
proposed priorities; 16 the validated projects (the rest are not prioritised); 18 the final
document; 23 the RM that makes it vigente; 24 the oficio to the SGTD-PCM.

Follow-up (the period is the one activity 1 opened for this instance, of the vigente plan):
1 opens the period; 2 each coordinator's progress; 3 the report and its findings; 7 the updated
fichas; 8 the priorities.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from ..actions import plans as a
from ..choices import DISPOSITIONS, PeriodKind, ProjectStatus
from ..models import Plan, Project
from ._common import FOLLOW_UP, FORMULATION, issued_number, period_of, plan_of, rows, teams_of


def _progress_rows(call: EffectCall) -> list[dict[str, Any]]:
    return [
        {
            "project": r.get("proyecto"),
            "percent": r.get("avance"),
            "state": r.get("estado"),
            "achievements": r.get("comentario") or r.get("logros") or "",
        }
        for r in rows(call, "proyectos")
    ]


def _vigente_or_error(field: str) -> Plan:
    plan = a.current_plan()
    if plan is None:
        raise InvalidInput(errors={field: ["No hay un PGD vigente registrado (aprobado por RM)."]})
    return plan


def _project(plan: Plan, code: Any, field: str, i: int) -> Project:
    project = plan.projects.filter(code=str(code or "").strip()).first()
    if project is None:
        raise InvalidInput(
            errors={field: [f"Fila {i}: el {plan.code} no tiene el proyecto «{code}»."]}
        )
    return project


# --- S04.01.00.01 ---------------------------------------------------------------------------


def _f1(call: EffectCall) -> Outcome:
    plan = a.do_open_plan(
        actor=call.actor,
        start_year=call.data.get("anio_inicio"),
        end_year=call.data.get("anio_fin"),
        instance=call.instance,
        engine_checked=True,
        field_names={"start_year": "anio_inicio", "end_year": "anio_fin"},
    )
    return Outcome.applied(plan=plan.code)


def _f2(call: EffectCall) -> Outcome:
    schedule = [
        {
            "fase": r.get("fase"),
            "actividad": r.get("actividad"),
            "duracion_dias": r.get("duracion_dias"),
        }
        for r in rows(call, "cronograma")
    ]
    plan = a.do_update_plan(plan_of(call), actor=call.actor, schedule=schedule, engine_checked=True)
    return Outcome.applied(plan=plan.code, schedule_rows=len(schedule))


def _f7(call: EffectCall) -> Outcome:
    plan = a.do_update_plan(
        plan_of(call),
        actor=call.actor,
        strategic_focus=str(call.data.get("enfoque_estrategico") or ""),
        engine_checked=True,
    )
    return Outcome.applied(plan=plan.code)


def _f8(call: EffectCall) -> Outcome:
    current = a.current_plan()
    if current is None:
        return Outcome.skipped("no hay un PGD vigente cuyo portafolio informar")
    new = plan_of(call)
    period = a.do_open_period(
        current,
        actor=call.actor,
        label=f"Situación actual para la formulación del {new.code}",
        requested_on=call.data.get("fecha_solicitud"),
        kind=PeriodKind.DIAGNOSTICO,
        instance=call.instance,
        field_names={"requested_on": "fecha_solicitud", "label": "fecha_solicitud"},
        engine_checked=True,
    )
    return Outcome.applied(period=str(period))


def _report(call: EffectCall) -> Outcome:
    data = _progress_rows(call)
    period = period_of(call)
    if period is None:
        if data:
            raise InvalidInput(
                errors={"proyectos": ["No hay un PGD vigente cuyo portafolio informar."]}
            )
        return Outcome.skipped("no hay un PGD vigente cuyo portafolio informar")
    teams = teams_of(call.actor)
    progress = a.do_report_progress(
        period,
        data,
        actor=call.actor,
        record=call.record,
        teams=teams,
        field="proyectos",
        engine_checked=True,
    )
    return Outcome.applied(period=period.label, projects=[p.project.code for p in progress])


def _f10(call: EffectCall) -> Outcome:
    period = period_of(call)
    if period is None:
        return Outcome.skipped("no hay un PGD vigente cuyo portafolio consolidar")
    a.do_update_period(
        period,
        actor=call.actor,
        report_file=str(call.data.get("reporte_consolidado") or "")[:200],
        achievements=str(call.data.get("resumen") or ""),
        consolidated_at=timezone.now(),
        engine_checked=True,
    )
    return Outcome.applied(period=period.label)


def _f11(call: EffectCall) -> Outcome:
    decisions = rows(call, "disposiciones")
    if not decisions:
        return Outcome.skipped("no se dispuso sobre proyectos del portafolio vigente")
    current = _vigente_or_error("disposiciones")
    new = plan_of(call)
    carried: list[str] = []
    for i, row in enumerate(decisions, start=1):
        project = _project(current, row.get("proyecto"), "disposiciones", i)
        status = DISPOSITIONS[str(row.get("disposicion"))]
        a.do_update_project(project, actor=call.actor, status=status, engine_checked=True)
        if status == ProjectStatus.TRASLADADO:
            (copy,) = a.do_add_projects(
                new,
                [
                    {
                        "name": project.name,
                        "team": project.team,
                        "description": project.description,
                        "budget": project.budget,
                        "indicators": [
                            {
                                "name": ind.name,
                                "target": ind.target,
                                "baseline": ind.baseline,
                                "unit": ind.unit,
                            }
                            for ind in project.indicators.all()
                        ],
                    }
                ],
                actor=call.actor,
                field="disposiciones",
                engine_checked=True,
            )
            a.do_update_project(copy, actor=call.actor, carried_from=project, engine_checked=True)
            carried.append(copy.code)
    return Outcome.applied(decided=len(decisions), carried=carried)


def _f12(call: EffectCall) -> Outcome:
    objectives = a.do_set_objectives(
        plan_of(call),
        [
            {
                "code": r.get("codigo"),
                "text": r.get("objetivo"),
                "pei_alignment": r.get("alineamiento_pei"),
            }
            for r in rows(call, "objetivos")
        ],
        actor=call.actor,
        field="objetivos",
        engine_checked=True,
    )
    return Outcome.applied(objectives=[o.code for o in objectives])


def _f14(call: EffectCall) -> Outcome:
    plan = plan_of(call)
    teams = teams_of(call.actor)
    team = sorted(teams)[0] if teams else ""
    data = [
        {
            "name": r.get("nombre"),
            "team": team,
            "objective": r.get("objetivo"),
            "description": r.get("descripcion"),
            "budget": r.get("presupuesto"),
            "start_date": r.get("inicio"),
            "end_date": r.get("fin"),
            "ficha_file": r.get("ficha"),
            "indicators": [
                {
                    "name": r.get("indicador"),
                    "target": r.get("meta"),
                    "unit": r.get("unidad_medida"),
                }
            ],
        }
        for r in rows(call, "proyectos")
    ]
    if not data:
        return Outcome.skipped("la coordinación no propone proyectos")
    projects = a.do_add_projects(
        plan, data, actor=call.actor, field="proyectos", engine_checked=True
    )
    return Outcome.applied(projects=[p.code for p in projects])


def _priorities(call: EffectCall, field: str, plan: Plan, status: str = "") -> list[str]:
    done = []
    for i, row in enumerate(rows(call, field), start=1):
        project = _project(plan, row.get("proyecto"), field, i)
        fields: dict[str, Any] = {"priority": row.get("prioridad")}
        if status:
            fields["status"] = status
        a.do_update_project(project, actor=call.actor, engine_checked=True, **fields)
        done.append(project.code)
    return done


def _f15(call: EffectCall) -> Outcome:
    return Outcome.applied(prioritised=_priorities(call, "priorizacion", plan_of(call)))


def _f16(call: EffectCall) -> Outcome:
    plan = plan_of(call)
    validated = _priorities(call, "proyectos_validados", plan, ProjectStatus.VALIDADO)
    for project in plan.projects.filter(status=ProjectStatus.PROPUESTO):
        a.do_update_project(
            project, actor=call.actor, status=ProjectStatus.NO_PRIORIZADO, engine_checked=True
        )
    return Outcome.applied(validated=validated)


def _f18(call: EffectCall) -> Outcome:
    plan = a.do_update_plan(
        plan_of(call),
        actor=call.actor,
        title=str(call.data.get("titulo") or "")[:300] or plan_of(call).title,
        document_file=str(call.data.get("documento_final") or "")[:200],
        engine_checked=True,
    )
    return Outcome.applied(plan=plan.code)


def _f23(call: EffectCall) -> Outcome:
    number = issued_number(call, "RESOLUCIÓN")
    plan = a.do_approve_by_rm(
        plan_of(call),
        actor=call.actor,
        rm_number=number or "Resolución Ministerial",
        rm_date=call.data.get("fecha_rm"),
        rm_file=str(call.data.get("resolucion_firmada") or ""),
        published_url=str(call.data.get("url_publicacion") or ""),
        engine_checked=True,
    )
    return Outcome.applied(plan=plan.code, rm=plan.rm_number)


def _f24(call: EffectCall) -> Outcome:
    plan = a.do_update_plan(
        plan_of(call),
        actor=call.actor,
        pcm_oficio=issued_number(call, "OFICIO"),
        engine_checked=True,
    )
    return Outcome.applied(plan=plan.code, oficio=plan.pcm_oficio)


# --- S04.01.00.02 ---------------------------------------------------------------------------


def _s1(call: EffectCall) -> Outcome:
    plan = _vigente_or_error("periodo")
    day = call.data.get("fecha_solicitud")
    label = str(call.data.get("periodo") or "").strip() or f"Seguimiento solicitado el {day}"
    period = a.do_open_period(
        plan,
        actor=call.actor,
        label=label,
        requested_on=day,
        instance=call.instance,
        field_names={"label": "periodo", "requested_on": "fecha_solicitud"},
        engine_checked=True,
    )
    return Outcome.applied(plan=plan.code, period=period.label)


def _s3(call: EffectCall) -> Outcome:
    period = period_of(call)
    if period is None:
        return Outcome.skipped("el seguimiento no tiene periodo")
    a.do_update_period(
        period,
        actor=call.actor,
        report_file=str(call.data.get("proyecto_informe") or "")[:200],
        achievements=str(call.data.get("logros") or ""),
        difficulties=str(call.data.get("dificultades") or ""),
        recommendations=str(call.data.get("recomendaciones") or ""),
        consolidated_at=timezone.now(),
        engine_checked=True,
    )
    return Outcome.applied(period=period.label)


def _s7(call: EffectCall) -> Outcome:
    period = period_of(call)
    if period is None:
        return Outcome.skipped("el seguimiento no tiene periodo")
    teams = teams_of(call.actor)
    updated = []
    for i, row in enumerate(rows(call, "fichas_proyectos"), start=1):
        code = str(row.get("codigo") or "").strip()
        if not code:
            continue  # a ficha named only by the project's name stays in the history
        project = _project(period.plan, code, "fichas_proyectos", i)
        if project.team not in teams:
            raise InvalidInput(
                errors={
                    "fichas_proyectos": [
                        f"Fila {i}: el proyecto {code} lo actualiza el coordinador de su equipo."
                    ]
                }
            )
        fields: dict[str, Any] = {"ficha_file": str(row.get("ficha") or "")[:200]}
        for source, target in (("presupuesto", "budget"), ("fin", "end_date")):
            if row.get(source) not in (None, ""):
                fields[target] = row[source]
        a.do_update_project(project, actor=call.actor, engine_checked=True, **fields)
        updated.append(code)
    return (
        Outcome.applied(updated=updated)
        if updated
        else Outcome.skipped("ninguna ficha nombra un proyecto del portafolio")
    )


def _s8(call: EffectCall) -> Outcome:
    period = period_of(call)
    if period is None:
        return Outcome.skipped("el seguimiento no tiene periodo")
    done = []
    for i, row in enumerate(rows(call, "proyectos_priorizados"), start=1):
        code = str(row.get("codigo") or "").strip()
        if not code or row.get("prioridad") in (None, ""):
            continue
        project = _project(period.plan, code, "proyectos_priorizados", i)
        a.do_update_project(
            project, actor=call.actor, priority=row["prioridad"], engine_checked=True
        )
        done.append(code)
    return (
        Outcome.applied(prioritised=done) if done else Outcome.skipped("sin prioridades por código")
    )


STEPS: dict[tuple[str, int], Callable[[EffectCall], Outcome]] = {
    (FORMULATION, 1): _f1,
    (FORMULATION, 2): _f2,
    (FORMULATION, 7): _f7,
    (FORMULATION, 8): _f8,
    (FORMULATION, 9): _report,
    (FORMULATION, 10): _f10,
    (FORMULATION, 11): _f11,
    (FORMULATION, 12): _f12,
    (FORMULATION, 14): _f14,
    (FORMULATION, 15): _f15,
    (FORMULATION, 16): _f16,
    (FORMULATION, 18): _f18,
    (FORMULATION, 23): _f23,
    (FORMULATION, 24): _f24,
    (FOLLOW_UP, 1): _s1,
    (FOLLOW_UP, 2): _report,
    (FOLLOW_UP, 3): _s3,
    (FOLLOW_UP, 7): _s7,
    (FOLLOW_UP, 8): _s8,
}


def handle_pgd(call: EffectCall) -> Outcome:
    handler = STEPS.get(call.step)
    if handler is None:
        return Outcome.skipped("este paso no escribe el PGD")
    return handler(call)
