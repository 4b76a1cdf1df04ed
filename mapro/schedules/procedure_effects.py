"""The annual cronograma in the procedures that plan their work (S04.03.01.04, S04.03.02.01,
S04.03.03.01, and any ficha naming ``{register: "Cronograma anual (Formato N° 01)"}``).

Two kinds of step name it:

- the step that **elaborates** the cronograma answers ``cronograma``: the number of a draft of
  the register (``/api/v1/plans/``) for this procedure; the handler checks it and links it to
  the instance (a wrong number, another procedure's or a signed one is a field error and the
  step stays open);
- the step that **signs** it answers the decision ``cronograma_firmado``: «si» signs the draft
  named earlier, as the person completing the step (``do_approve_plan``, which creates its
  dates; that person must hold the role the cronograma names as signer), «no» (observations)
  sends it back and signs nothing.
"""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from .actions.plans import do_approve_plan
from .choices import PlanStatus
from .models import Plan

PLAN_REGISTER = "Cronograma anual (Formato N° 01)"
PLAN_FIELD, SIGNED_FIELD = "cronograma", "cronograma_firmado"


def _plan_id(call: EffectCall) -> Any:
    if PLAN_FIELD in call.data:
        return call.data[PLAN_FIELD]
    for record in reversed(call.records):
        if PLAN_FIELD in (record.data or {}):
            return record.data[PLAN_FIELD]
    return None


def _plan(call: EffectCall) -> Plan:
    raw = _plan_id(call)
    plan = None
    if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()):
        plan = Plan.objects.select_related("procedure").filter(pk=int(raw)).first()
    code = call.instance.procedure_code
    if plan is None:
        raise InvalidInput(
            errors={PLAN_FIELD: ["Indique el N° de un cronograma del registro de cronogramas."]}
        )
    if plan.procedure.code != code:
        raise InvalidInput(
            errors={PLAN_FIELD: [f"El cronograma N° {plan.pk} no es del procedimiento {code}."]}
        )
    return plan


def handle_plan_effect(call: EffectCall) -> Outcome:
    if SIGNED_FIELD in call.data:
        if call.data[SIGNED_FIELD] != "si":
            return Outcome.skipped("Cronograma con observaciones: vuelve a su elaboración.")
        plan = _plan(call)
        if plan.status != PlanStatus.DRAFT:
            raise InvalidInput(
                errors={SIGNED_FIELD: [f"El cronograma N° {plan.pk} ya no está en borrador."]}
            )
        try:
            plan = do_approve_plan(plan, actor=call.actor, instance=call.instance)
        except Forbidden as exc:
            raise InvalidInput(errors={SIGNED_FIELD: [exc.message]}) from exc
        return Outcome.applied(plan=plan.pk, version=plan.version, dates=plan.occurrences.count())
    if PLAN_FIELD not in call.data:
        return Outcome.skipped("El paso no nombra un cronograma.")
    plan = _plan(call)
    if plan.status != PlanStatus.DRAFT:
        raise InvalidInput(
            errors={
                PLAN_FIELD: [
                    f"El cronograma N° {plan.pk} ya está firmado: elabore una nueva versión."
                ]
            }
        )
    Plan.objects.filter(pk=plan.pk).update(instance=call.instance)
    return Outcome.applied(plan=plan.pk, version=plan.version, year=plan.year)


def register_handlers() -> None:
    from mapro.procedures.effects import register_effect_handler

    register_effect_handler("register", handle_plan_effect, value=PLAN_REGISTER)
