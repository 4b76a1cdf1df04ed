"""What the handlers share: the plan and period of an instance, the coordinator's team, the
number of a document the same step issued."""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.organization.permissions import has_role
from mapro.procedures.effects import EffectCall

from ..choices import TEAM_OF_ROLE
from ..models import FollowUpPeriod, Plan

FORMULATION = "S04.01.00.01"
FOLLOW_UP = "S04.01.00.02"


def plan_of(call: EffectCall) -> Plan:
    """The plan this formulation opened at activity 1."""
    plan = Plan.objects.filter(instance=call.instance).first()
    if plan is None:  # activity 1 always runs first; a missing plan is a broken instance
        raise InvalidInput(errors={"__all__": ["El expediente no tiene un PGD en formulación."]})
    return plan


def period_of(call: EffectCall) -> FollowUpPeriod | None:
    return FollowUpPeriod.objects.filter(instance=call.instance).order_by("id").first()


def teams_of(actor: Any) -> set[str]:
    """The teams whose coordinator role ``actor`` holds."""
    return {str(team) for role, team in TEAM_OF_ROLE.items() if has_role(actor, role)}


def issued_number(call: EffectCall, family: str) -> str:
    """The number of the ``family`` document an earlier effect of this same step issued (the
    documents register issues it first: effects run in ficha order)."""
    documents = getattr(call.record, "documents", None)
    if documents is None:
        return ""
    return (
        documents.filter(family=family).exclude(number="").values_list("number", flat=True).first()
        or ""
    )


def rows(call: EffectCall, field: str) -> list[dict[str, Any]]:
    value = call.data.get(field) or []
    return [row for row in value if isinstance(row, dict)]
