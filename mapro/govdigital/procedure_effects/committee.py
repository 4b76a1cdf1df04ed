"""``{register: Sesiones del CGD}``: an approval step given to the CGD is an agreement of a
session, with the members present and the vote (actions.committee).

- S04.01.00.01 activity 4 (work schedule), 17 (portfolio: validated projects become approved,
  the ones the CGD withdraws are not prioritised), 20 (final document: the plan is approved by
  the CGD);
- S04.01.00.02 activity 5: the modifications to the current PGD, when it answers "Sí".
"""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from ..actions.committee import do_record_step_agreement
from ..actions.plans import do_set_status, do_update_project
from ..choices import AgreementSubject, PlanStatus, ProjectStatus
from ._common import FOLLOW_UP, FORMULATION, issued_number, period_of, plan_of, rows

FIELDS = {
    "date": "fecha_sesion",
    "present": "miembros_presentes",
    "text": "acuerdo",
    "votes_for": "votos_a_favor",
    "votes_against": "votos_en_contra",
    "abstentions": "abstenciones",
}
SUBJECTS = {
    (FORMULATION, 4): AgreementSubject.CRONOGRAMA,
    (FORMULATION, 17): AgreementSubject.PORTAFOLIO,
    (FORMULATION, 20): AgreementSubject.DOCUMENTO_FINAL,
    (FOLLOW_UP, 5): AgreementSubject.MODIFICACION,
}


def _agreement(call: EffectCall, plan: Any, subject: str) -> Any:
    data = call.data
    return do_record_step_agreement(
        actor=call.actor,
        date=data.get("fecha_sesion"),
        present=[row.get("miembro") for row in rows(call, "miembros_presentes")],
        text=str(data.get("acuerdo") or ""),
        votes={
            "votes_for": data.get("votos_a_favor"),
            "votes_against": data.get("votos_en_contra") or 0,
            "abstentions": data.get("abstenciones") or 0,
        },
        subject=subject,
        agenda=f"{AgreementSubject(subject).label} ({plan.code})" if plan else str(subject),
        acta_file=str(data.get("acta") or data.get("acta_reunion") or ""),
        acta_number=issued_number(call, "ACTA"),
        plan=plan,
        instance=call.instance,
        record=call.record,
        field_names=FIELDS,
    )


def handle_sessions(call: EffectCall) -> Outcome:
    subject = SUBJECTS.get(call.step, AgreementSubject.OTRO)
    if call.step[0] == FOLLOW_UP:
        if call.data.get("actualiza_portafolio") != "si":
            return Outcome.skipped("el CGD no aprueba modificaciones al PGD en este seguimiento")
        period = period_of(call)
        missing = [
            f for f in ("fecha_sesion", "miembros_presentes", "acuerdo") if not call.data.get(f)
        ]
        if missing:
            raise InvalidInput(
                errors={
                    f: ["Las modificaciones se aprueban en sesión del CGD: indique este dato."]
                    for f in missing
                }
            )
        agreement = _agreement(call, period.plan if period else None, subject)
        return Outcome.applied(agreement=agreement.code, session=agreement.session.code)
    plan = plan_of(call)
    agreement = _agreement(call, plan, subject)
    if call.step == (FORMULATION, 17):
        withdrawn = {
            str(r.get("proyecto") or "").strip() for r in rows(call, "proyectos_retirados")
        }
        unknown = withdrawn - set(plan.projects.values_list("code", flat=True))
        if unknown:
            raise InvalidInput(
                errors={
                    "proyectos_retirados": [
                        f"El {plan.code} no tiene el proyecto {c}." for c in sorted(unknown)
                    ]
                }
            )
        for project in plan.projects.filter(status=ProjectStatus.VALIDADO):
            status = (
                ProjectStatus.NO_PRIORIZADO if project.code in withdrawn else ProjectStatus.APROBADO
            )
            do_update_project(project, actor=call.actor, status=status, engine_checked=True)
    if call.step == (FORMULATION, 20):
        do_set_status(plan, PlanStatus.APROBADO_CGD, actor=call.actor, engine_checked=True)
    return Outcome.applied(agreement=agreement.code, session=agreement.session.code)
