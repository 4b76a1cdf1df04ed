"""Routing by unit: which unit an instance concerns, and which unit each work item goes to.

An activity of a ficha names its ``unit``: a unit code (``OGTIE``), or ``U.O.`` — a unit of
organization that the instance decides (docs/ficha-format.md, "Routing by unit"):

- by default the instance's **requesting unit** (``Instance.unit``): the starter's unit, or the
  unit named at start by someone allowed to act for it (``starter_may_act_for``; the start page
  asks for it where the start says ``ask_unit``);
- with ``unit_from: <field>``, the unit a ``format: unit`` field answered in an earlier step
  names (S04.02.00.03 activity 3: the unit the oficio went to).

Every role of a routed item is scoped to the item's unit, so the unit's ``personal`` or
``director-uo`` see it in their inbox and may complete it, and the same roles elsewhere may
not. An item of a fixed unit keeps its roles scoped as before: unit-scoped roles (``Role.
unit_scoped``, or director-uo/personal) to the instance's unit, the others to the item's unit.

``units_for_work_items`` is the one place that decides an item's unit; a step calls it once for
all the tasks it opens (one query), a per-unit task of a multi-instance activity with its item's
unit; ``unit_for_work_item`` is the same for one item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from mapro.core.exceptions import InvalidInput
from mapro.organization.models import Unit
from mapro.organization.permissions import grants_for, holds_ogtie_role

from .exceptions import EngineError
from .ficha import REQUESTING_UNIT

#: The format of a form field whose value is a unit code.
UNIT_FORMAT = "unit"


def is_routed(act: Mapping[str, Any]) -> bool:
    """True when the activity's unit is decided per instance ("U.O.")."""
    return str(act.get("unit") or "") in REQUESTING_UNIT


@dataclass(frozen=True)
class ItemUnit:
    """Where a work item goes.

    ``unit_id`` is the item's unit when already known (routed items); ``unit_code`` a fixed
    unit to look up by code when the item is written (``storage.open_items``). ``routed``: the
    unit was decided for this instance, and every role of the item is scoped to it.
    """

    unit_id: int | None
    unit_code: str | None
    routed: bool


def unit_for_work_item(
    act: Mapping[str, Any],
    *,
    instance_unit_id: int | None,
    data: Mapping[str, Any],
    item_unit: str | None = None,
) -> ItemUnit:
    """The unit a new work item of activity ``act`` goes to (``units_for_work_items`` for one
    item)."""
    return units_for_work_items(
        [ItemRequest(act, data, item_unit)], instance_unit_id=instance_unit_id
    )[0]


@dataclass(frozen=True)
class ItemRequest:
    """A work item about to open: its activity, the workflow data its task starts with (what
    earlier steps answered) and, for a per-unit task of a multi-instance activity, the unit
    code of its item (``WorkItem.item["unit"]``)."""

    act: Mapping[str, Any]
    data: Mapping[str, Any]
    item_unit: str | None = None


def units_for_work_items(
    requests: Sequence[ItemRequest], *, instance_unit_id: int | None
) -> list[ItemUnit]:
    """The unit each new work item goes to, in order; one query for all the unit codes that
    must be looked up (none when no item is routed by a field or an item's unit).

    - A per-unit task of a multi-instance activity (``item_unit``) → the unit its item names,
      whatever the activity's unit; every role scoped to it.
    - A fixed unit code → that unit (looked up by code when the item is written).
    - "U.O." with ``unit_from: <field>`` → the unit the field of ``data`` names.
    - "U.O." otherwise → the instance's requesting unit.

    Refusals: an item's unit that names no unit is a person's choice in a list, so a 400
    (``InvalidInput``) names it as the form would. A ``unit_from`` field that is empty or names
    no unit means a defective ficha (the validator makes the field required in a step before,
    and the form checks the code) or a unit removed since: ``EngineError``, and the step is
    refused, never opened for nobody.
    """
    lookups: list[tuple[str, str] | ItemUnit] = []
    for request in requests:
        act = request.act
        code = str(act.get("unit") or "")
        if request.item_unit:
            lookups.append(("item", request.item_unit))
        elif code not in REQUESTING_UNIT:
            lookups.append(ItemUnit(unit_id=None, unit_code=code, routed=False))
        elif not act.get("unit_from"):
            lookups.append(ItemUnit(unit_id=instance_unit_id, unit_code=None, routed=True))
        else:
            field = str(act["unit_from"])
            value = request.data.get(field)
            if not isinstance(value, str) or not value.strip():
                raise EngineError(
                    f"La actividad {act.get('n')} toma su unidad del campo '{field}', que no "
                    "tiene valor."
                )
            lookups.append(("field", value.strip()))
    codes = {found[1] for found in lookups if isinstance(found, tuple)}
    ids = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
    units: list[ItemUnit] = []
    for request, found in zip(requests, lookups, strict=True):
        if isinstance(found, ItemUnit):
            units.append(found)
            continue
        how, code = found
        if code not in ids:
            if how == "item":
                raise InvalidInput(
                    errors={"__all__": [f"No existe la unidad de organización «{code}»."]}
                )
            raise EngineError(
                f"La actividad {request.act.get('n')} toma su unidad del campo "
                f"'{request.act['unit_from']}': la unidad '{code}' no existe."
            )
        units.append(ItemUnit(unit_id=ids[code], unit_code=None, routed=True))
    return units


# --- who may start for which unit ------------------------------------------------------------


def is_ogtie_staff(user: Any) -> bool:
    """True when the user holds a role of the OGTIE today (``Role.inside_ogtie``): the
    office runs every procedure for every unit."""
    return holds_ogtie_role(user)  # read with the grants: no query of its own


def own_unit(user: Any) -> Unit | None:
    """The unit of the user's person (None for a user without one)."""
    person = getattr(user, "person", None) if user is not None else None
    try:
        return person.unit if person is not None else None
    except Unit.DoesNotExist:  # pragma: no cover - unit is required on Person
        return None


def units_for_starter(user: Any) -> QuerySet[Unit]:
    """The active units ``user`` may start an instance for (the start page's choices).

    OGTIE staff: every unit. Anyone else: their own unit, and the units their unit-scoped
    grants cover (a grant with a unit acts for that unit and the units under it).
    """
    active = Unit.objects.filter(is_active=True).order_by("path")
    if is_ogtie_staff(user):
        return active
    q = Q(pk__in=[])
    own = own_unit(user)
    if own is not None:
        q |= Q(pk=own.pk)
    for grant in grants_for(user):
        if grant.unit_id is not None and grant.unit_path:
            q |= Q(path__startswith=grant.unit_path)
    return active.filter(q)


def starter_may_act_for(user: Any, unit: Unit) -> bool:
    """True when ``user`` may start an instance whose requesting unit is ``unit``."""
    own = own_unit(user)
    if own is not None and own.pk == unit.pk:
        return True
    if any(g.unit_id is not None and g.covers(unit) for g in grants_for(user)):
        return True
    return is_ogtie_staff(user)


def unit_by_code(code: Any, *, field: str = "unit") -> Unit:
    """The active unit with ``code``; InvalidInput (400) naming ``field`` otherwise."""
    if not isinstance(code, str) or not code.strip():
        raise InvalidInput(errors={field: ["Indique la sigla de una unidad de organización."]})
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise InvalidInput(errors={field: [f"No existe la unidad de organización '{code}'."]})
    if not unit.is_active:
        raise InvalidInput(errors={field: [f"La unidad de organización '{code}' no está activa."]})
    return unit


# --- the start ---------------------------------------------------------------------------------


def start_asks_unit(start: Mapping[str, Any]) -> str | None:
    """The label under which the start page asks for the requesting unit, or None."""
    label = start.get("ask_unit")
    return str(label) if isinstance(label, str) and label.strip() else None
