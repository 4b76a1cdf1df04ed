"""Multi-instance activities at run time: who the items are, and where each task goes.

The ficha says ``each`` (``ficha/multi.py``); the engine creates one child task per item
(``engine/multi_instance.py``). Here, with the database:

- ``holders_for``: the people holding one of an activity's roles in its scope today, the items
  of an ``each: {holders: true}`` activity (one task each, assigned to that person);
- ``describe_item``: what a work item keeps of its item (``WorkItem.item``, copied to the
  history row): a label, the value, and the unit or the person it goes to;
- ``unit_fields_errors``: a ``format: unit`` field must name an existing unit (a per-unit task
  for an unknown unit would reach nobody);
- ``empty_list_error``: the field error for a list that would open no task.
"""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.organization.models import RoleAssignment, Unit

from .ficha import REQUESTING_UNIT
from .ficha.multi import each_of, holders_activity, item_label

#: The role of the single ``WorkItemRole`` row of a task assigned to one person.
ASSIGNEE_PREFIX = "@"


def assignee_role(user_id: int) -> str:
    return f"{ASSIGNEE_PREFIX}{user_id}"


def activity_scope_unit(act: dict[str, Any], instance_unit: Unit | None) -> Unit | None:
    """The unit an activity acts for: the instance's for "U.O.", else the unit by its code."""
    code = str(act.get("unit") or "")
    if code in REQUESTING_UNIT:
        return instance_unit
    return Unit.objects.filter(code=code).first()


def holders_for(act: dict[str, Any], instance_unit: Unit | None) -> list[dict[str, Any]]:
    """One item per active person holding one of ``act``'s roles today, in scope of the
    activity's unit (a global grant, or a grant on that unit or above it), by username."""
    roles = list(act.get("roles") or [])
    unit = activity_scope_unit(act, instance_unit)
    rows = (
        RoleAssignment.objects.current()  # the one definition (person still in office too)
        .filter(role__code__in=roles, person__user__is_active=True)
        .select_related("person__user", "role", "unit")
        .order_by("person__user__username", "role__code")
    )
    people: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row.unit is not None and (
            unit is None or not (unit.path or "").startswith(row.unit.path or "\0")
        ):
            continue
        user = row.person.user
        if user is None:  # a person without an account cannot take a task
            continue
        entry = people.setdefault(
            user.pk,
            {
                "user_id": user.pk,
                "username": user.get_username(),
                "name": user.get_full_name(),
                "roles": [],
            },
        )
        if row.role.code not in entry["roles"]:
            entry["roles"].append(row.role.code)
    return list(people.values())


def describe_item(act: dict[str, Any], item: Any) -> dict[str, Any]:
    """``WorkItem.item`` for a task of a multi-instance activity."""
    each = each_of(act) or {}
    described: dict[str, Any] = {"label": item_label(each, item)[:200], "value": item}
    if each.get("holders") and isinstance(item, dict):
        described["user"] = item.get("username")
        described["user_id"] = item.get("user_id")
    elif each.get("unit") and isinstance(item, dict):
        described["unit"] = item.get(each["unit"])
    return described


def empty_list_error(ficha: dict[str, Any], field: str) -> InvalidInput:
    """The 400 for a multi-instance activity that would start with no item."""
    n = holders_activity(field)
    if n is not None:
        return InvalidInput(
            "Nadie tiene hoy un rol responsable de la actividad siguiente en su ámbito.",
            errors={
                "__all__": [
                    f"La actividad {n} crea una tarea por cada responsable y nadie tiene hoy "
                    "su rol: asigne el rol antes de continuar."
                ]
            },
        )
    consumer = next(
        (
            a.get("n")
            for a in ficha.get("activities", [])
            if (each_of(a) or {}).get("list") == field
        ),
        None,
    )
    return InvalidInput(
        errors={
            field: [
                f"Indique al menos un elemento: la actividad {consumer} crea una tarea por "
                "cada uno."
            ]
        }
    )


def _unit_values(schema: dict[str, Any], data: Any, path: list[Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return found
    for name, prop in (schema.get("properties") or {}).items():
        value = data.get(name)
        if prop.get("format") == "unit" and isinstance(value, str) and value:
            found.append((".".join(str(p) for p in [*path, name]), value))
        items = prop.get("items")
        if isinstance(items, dict) and isinstance(value, list):
            for i, row in enumerate(value):
                found += _unit_values(items, row, [*path, name, i])
    return found


def has_unit_fields(schema: dict[str, Any]) -> bool:
    for prop in (schema.get("properties") or {}).values():
        if prop.get("format") == "unit":
            return True
        items = prop.get("items")
        if isinstance(items, dict) and has_unit_fields(items):
            return True
    return False


def unit_fields_errors(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, list[str]]:
    """Field errors for ``format: unit`` values that name no unit (one query, only if any)."""
    if not has_unit_fields(schema):
        return {}
    values = _unit_values(schema, data, [])
    if not values:
        return {}
    known = set(Unit.objects.filter(code__in={v for _, v in values}).values_list("code", flat=True))
    return {
        field: [f"No existe la unidad de organización «{code}»."]
        for field, code in values
        if code not in known
    }
