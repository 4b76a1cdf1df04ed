"""``{register: Matriz de riesgos (SGSI-FOR-003)}``: the risks the steps identify.

- S04.01.00.01 activity 5: each row of ``riesgos`` is a risk of a stage of the formulation
  (linked to the plan); activity 6: the Jefe(a) approves them.
- S04.03.01.05 activity 12: each row of ``riesgos`` (optional) is a risk the incident revealed.
"""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from ..actions.risks import do_approve_risks, do_record_risk
from ..choices import RiskSource
from ..models import Risk
from ._common import FORMULATION, plan_of, rows

#: Form field of a row → field of the risk.
ROW_FIELDS = {
    "activo": "asset",
    "amenaza": "threat",
    "vulnerabilidad": "vulnerability",
    "etapa": "context",
    "probabilidad": "likelihood",
    "impacto": "impact",
    "tratamiento": "treatment",
    "controles": "controls",
    "probabilidad_residual": "residual_likelihood",
    "impacto_residual": "residual_impact",
    "responsable": "owner",
    "fecha_limite": "due_date",
}


def _record_rows(call: EffectCall, source: str, plan: Any) -> list[Risk]:
    risks: list[Risk] = []
    problems: list[str] = []
    for i, row in enumerate(rows(call, "riesgos"), start=1):
        data = {target: row.get(name) for name, target in ROW_FIELDS.items()}
        if source == RiskSource.INCIDENTE and not data["context"]:
            data["context"] = f"Incidente del expediente {call.instance.pk}"
        try:
            risks.append(
                do_record_risk(
                    actor=call.actor,
                    data=data,
                    source=source,
                    plan=plan,
                    instance=call.instance,
                    record=call.record,
                    engine_checked=True,
                )
            )
        except InvalidInput as error:
            for messages in (error.errors or {}).values():
                problems += [f"Fila {i}: {m}" for m in messages]
    if problems:
        raise InvalidInput(errors={"riesgos": problems})
    return risks


def handle_risks(call: EffectCall) -> Outcome:
    if call.step == (FORMULATION, 5):
        if not rows(call, "riesgos"):
            raise InvalidInput(errors={"riesgos": ["Identifique al menos un riesgo."]})
        risks = _record_rows(call, RiskSource.FORMULACION_PGD, plan_of(call))
        return Outcome.applied(risks=[r.code for r in risks])
    if call.step == (FORMULATION, 6):
        count = do_approve_risks(
            Risk.objects.filter(instance=call.instance), actor=call.actor, engine_checked=True
        )
        return Outcome.applied(approved=count)
    if not rows(call, "riesgos"):
        return Outcome.skipped("el paso no identificó riesgos nuevos")
    risks = _record_rows(call, RiskSource.INCIDENTE, None)
    return Outcome.applied(risks=[r.code for r in risks])
