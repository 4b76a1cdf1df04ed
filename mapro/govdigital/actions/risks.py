"""Actions of the risk matrix SGSI-FOR-003: record a risk, update its treatment, approve the
risks of a formulation (S04.01.00.01 activity 6)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Forbidden, InvalidTransition

from .. import access
from ..choices import SCALE_MAX, SCALE_MIN, RiskSource, RiskStatus, Treatment
from ..models import Risk
from ..models.sequences import Sequence
from . import _common as c

SCALE_MESSAGE = "{label}: debe estar en la escala del SGSI ({lo} a {hi})."
#: Fields a caller may give to ``do_record_risk`` / ``do_update_risk``.
EDITABLE = (
    "asset",
    "threat",
    "vulnerability",
    "context",
    "likelihood",
    "impact",
    "treatment",
    "controls",
    "residual_likelihood",
    "residual_impact",
    "owner",
    "due_date",
)


def _scale(errors: c.Errors, field: str, value: Any, label: str, *, required: bool) -> int | None:
    return c.integer(
        errors,
        field,
        value,
        label,
        required=required,
        minimum=SCALE_MIN,
        maximum=SCALE_MAX,
        range_message=SCALE_MESSAGE.format(label=label, lo=SCALE_MIN, hi=SCALE_MAX),
    )


def clean_risk(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a risk's fields (all of ``EDITABLE``); raise ``InvalidInput`` with every
    problem by field name."""
    errors: c.Errors = {}
    out: dict[str, Any] = {
        "asset": c.text(
            errors, "asset", data.get("asset"), "Activo", required=True, max_length=300
        ),
        "threat": c.text(
            errors, "threat", data.get("threat"), "Amenaza", required=True, max_length=300
        ),
        "vulnerability": c.text(
            errors,
            "vulnerability",
            data.get("vulnerability"),
            "Vulnerabilidad",
            required=True,
            max_length=300,
        ),
        "context": c.text(
            errors,
            "context",
            data.get("context"),
            "Proceso o etapa",
            required=False,
            max_length=300,
        ),
        "likelihood": _scale(
            errors, "likelihood", data.get("likelihood"), "Probabilidad", required=True
        ),
        "impact": _scale(errors, "impact", data.get("impact"), "Impacto", required=True),
        "treatment": c.choice(
            errors,
            "treatment",
            data.get("treatment"),
            Treatment.values,
            "Tratamiento",
            required=True,
        ),
        "controls": c.text(errors, "controls", data.get("controls"), "Controles", required=False),
        "residual_likelihood": _scale(
            errors,
            "residual_likelihood",
            data.get("residual_likelihood"),
            "Probabilidad residual",
            required=False,
        ),
        "residual_impact": _scale(
            errors,
            "residual_impact",
            data.get("residual_impact"),
            "Impacto residual",
            required=False,
        ),
        "owner": c.text(
            errors, "owner", data.get("owner"), "Responsable", required=True, max_length=200
        ),
        "due_date": c.date(
            errors, "due_date", data.get("due_date"), "Fecha límite", required=False
        ),
    }
    residual = (out["residual_likelihood"], out["residual_impact"])
    if (residual[0] is None) != (residual[1] is None) and not {
        "residual_likelihood",
        "residual_impact",
    } & set(errors):
        c.add(
            errors,
            "residual_impact" if residual[1] is None else "residual_likelihood",
            "Indique la probabilidad y el impacto residuales (ambos).",
        )
    c.raise_if(errors)
    return out


def _levels(fields: dict[str, Any]) -> dict[str, Any]:
    fields["inherent"] = fields["likelihood"] * fields["impact"]
    if fields.get("residual_likelihood") is not None and fields.get("residual_impact") is not None:
        fields["residual"] = fields["residual_likelihood"] * fields["residual_impact"]
    else:
        fields["residual"] = None
    return fields


def _snapshot(risk: Risk) -> dict[str, Any]:
    return {
        "asset": risk.asset,
        "threat": risk.threat,
        "vulnerability": risk.vulnerability,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "inherent": risk.inherent,
        "residual": risk.residual,
        "treatment": risk.treatment,
        "owner": risk.owner,
        "due_date": risk.due_date.isoformat() if risk.due_date else None,
        "status": risk.status,
    }


def next_code(prefix: str, year: int) -> int:
    """The next correlative of ``prefix`` in ``year`` (the row is locked until commit)."""
    Sequence.objects.get_or_create(prefix=prefix, year=year)
    Sequence.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
    return Sequence.objects.get(prefix=prefix, year=year).last


def do_record_risk(
    *,
    actor: Any,
    data: dict[str, Any],
    source: str = RiskSource.REGISTRO,
    plan: Any = None,
    instance: Any = None,
    record: Any = None,
    engine_checked: bool = False,
) -> Risk:
    """Record one risk of the matrix. Likelihood and impact outside the ISMS scale, a missing
    asset/threat/vulnerability/owner or an unknown treatment are field errors; nothing is saved."""
    if not engine_checked and not access.can_edit_risks(actor):
        raise Forbidden("Su rol no permite registrar riesgos en la matriz.")
    fields = _levels(clean_risk(data))
    with transaction.atomic():
        year = timezone.localdate().year
        risk = Risk.objects.create(
            code=f"RIE-{year}-{next_code('RIE', year):04d}",
            source=source,
            plan=plan,
            instance=instance,
            record=record,
            created_by=actor,
            **fields,
        )
        record_event(actor=actor, action="risk.record", obj=risk, after=_snapshot(risk))
    return risk


def do_update_risk(risk: Risk, *, actor: Any, data: dict[str, Any], status: str = "") -> Risk:
    """Change a risk's analysis or treatment (the fields given replace the current ones) and,
    with ``status``, its state. A closed risk cannot change."""
    if not access.can_edit_risks(actor):
        raise Forbidden("Su rol no permite modificar la matriz de riesgos.")
    if risk.status == RiskStatus.CERRADO:
        raise InvalidTransition("El riesgo está cerrado; registre uno nuevo si reaparece.")
    merged = {name: getattr(risk, name) for name in EDITABLE}
    merged.update({k: v for k, v in data.items() if k in EDITABLE})
    fields = _levels(clean_risk(merged))
    errors: c.Errors = {}
    status = c.choice(errors, "status", status, RiskStatus.values, "Estado", required=False)
    c.raise_if(errors)
    with transaction.atomic():
        locked = Risk.objects.select_for_update().get(pk=risk.pk)
        before = _snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        if status:
            locked.status = status
        locked.save()
        after = _snapshot(locked)
        record_event(
            actor=actor,
            action="risk.update",
            obj=locked,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return locked


def do_approve_risks(
    risks: Any, *, actor: Any, when: datetime.datetime | None = None, engine_checked: bool = False
) -> int:
    """Approve the identified risks of ``risks`` (a queryset): the Jefe(a) approves and
    communicates the matrix of the formulation (S04.01.00.01 activity 6)."""
    if not engine_checked and not access.can_edit_risks(actor):
        raise Forbidden("Su rol no permite aprobar la matriz de riesgos.")
    when = when or timezone.now()
    count = 0
    with transaction.atomic():
        for risk in risks.select_for_update().filter(status=RiskStatus.IDENTIFICADO):
            risk.status = RiskStatus.APROBADO
            risk.approved_at = when
            risk.approved_by_name = actor_name(actor)
            risk.save(update_fields=["status", "approved_at", "approved_by_name", "updated_at"])
            record_event(
                actor=actor,
                action="risk.approve",
                obj=risk,
                before={"status": RiskStatus.IDENTIFICADO},
                after={"status": RiskStatus.APROBADO},
            )
            count += 1
    return count
