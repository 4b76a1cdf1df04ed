"""Multi-instance activities: one task per item of a list, or per holder of the activity's roles.

An activity with ``each`` runs once per item (docs/ficha-format.md, "Multi-instance
activities")::

    each:
      list: unidades_consultadas   # an array field of an earlier activity's form
      unit: unidad                 # optional: the item field naming the unit the task is for
      join: all                    # all (default): go on when every task is done; first: the first

    each:
      holders: true                # one task per person holding one of the activity's roles
      join: all

The compiler turns it into ``multiInstanceLoopCharacteristics`` (parallel) on the user task:
``loopDataInputRef`` is the list field (or ``mi_holders_<n>``, filled by the engine with the role
holders when the activity starts), ``inputDataItem`` ``mi_item_<n>`` holds each task's item,
``outputDataItem`` ``mi_answer_<n>`` each task's answer, gathered in ``mi_answers_<n>``; a
``join: first`` is the completion condition ``True`` (the first answer cancels the others).

This module is pure (no database): the names the compiler and the engine share, the checks of
the validator, and which list fields an activity must not leave empty.
"""

from __future__ import annotations

from typing import Any

#: Keys of ``each``.
EACH_KEYS = {"list", "unit", "holders", "join", "label"}
JOINS = ("all", "first")


def input_ref(n: int, each: dict[str, Any]) -> str:
    """The workflow data key holding the items of activity ``n``."""
    return str(each["list"]) if each.get("list") else holders_ref(n)


def holders_ref(n: int) -> str:
    return f"mi_holders_{n}"


def item_ref(n: int) -> str:
    return f"mi_item_{n}"


def answer_ref(n: int) -> str:
    return f"mi_answer_{n}"


def answers_ref(n: int) -> str:
    return f"mi_answers_{n}"


def holders_activity(ref: str) -> int | None:
    """The activity number of a holders data reference (``mi_holders_8`` → 8), else None."""
    prefix = "mi_holders_"
    if ref.startswith(prefix) and ref[len(prefix) :].isdigit():
        return int(ref[len(prefix) :])
    return None


def each_of(act: dict[str, Any]) -> dict[str, Any] | None:
    each = act.get("each")
    return each if isinstance(each, dict) else None


def list_fields_consumed(ficha: dict[str, Any], n: int) -> list[str]:
    """The array fields of activity ``n``'s form that a later multi-instance activity runs
    over: the step must not leave them empty (the compiler marks them required, minItems 1)."""
    act = next((a for a in ficha.get("activities", []) if a.get("n") == n), None)
    if act is None:
        return []
    props = (act.get("form") or {}).get("properties") or {}
    names = []
    for other in ficha.get("activities", []):
        each = each_of(other)
        name = each.get("list") if each else None
        if name and name in props and name not in names and other.get("n") != n:
            names.append(name)
    return names


def item_label(each: dict[str, Any], item: Any) -> str:
    """A short text naming one item (the unit code, the person, the first text field)."""
    if isinstance(item, dict):
        if "name" in item and "username" in item:  # a role holder
            return f"{item['name']} ({item['username']})" if item["name"] else item["username"]
        for key in (each.get("label"), each.get("unit")):
            if key and item.get(key) not in (None, ""):
                return str(item[key])
        for value in item.values():
            if isinstance(value, str) and value:
                return value
        return ""
    return "" if item is None else str(item)


def _array_fields(act: dict[str, Any]) -> dict[str, dict[str, Any]]:
    props = (act.get("form") or {}).get("properties") or {}
    if not isinstance(props, dict):
        return {}
    return {
        name: prop
        for name, prop in props.items()
        if isinstance(prop, dict) and prop.get("type") == "array"
    }


def check_each(
    n: int, act: dict[str, Any], acts: dict[int, dict[str, Any]], predecessors: set[int]
) -> list[tuple[tuple[str, ...], str]]:
    """Problems of activity ``n``'s ``each`` (path inside ``each``, Spanish message).

    ``predecessors`` are the activities from which ``n`` can be reached: the list must be an
    array field of one of their forms ("answered earlier").
    """
    each = act.get("each")
    if not isinstance(each, dict):
        return [((), f"'each' de la actividad {n} debe ser un mapeo (list o holders).")]
    problems: list[tuple[tuple[str, ...], str]] = []
    for key in each:
        if key not in EACH_KEYS:
            problems.append(((key,), f"Clave desconocida '{key}' en 'each' de la actividad {n}."))
    has_list, has_holders = "list" in each, bool(each.get("holders"))
    if has_list == has_holders:
        problems.append(
            ((), f"'each' de la actividad {n} necesita exactamente uno de 'list' o 'holders'.")
        )
    if "holders" in each and each["holders"] is not True:
        problems.append((("holders",), "'holders' solo admite el valor true."))
    if each.get("join", "all") not in JOINS:
        problems.append((("join",), f"'join' debe ser uno de: {', '.join(JOINS)}."))
    if act.get("decision") or act.get("parallel"):
        problems.append(
            ((), f"La actividad {n} con 'each' no puede decidir ni abrir un paralelo: use 'next'.")
        )
    if has_holders and "unit" in each:
        problems.append((("unit",), "'unit' solo se usa con 'list'."))
    if not has_list:
        return problems
    name = each["list"]
    sources = [m for m in sorted(predecessors) if m != n and name in _array_fields(acts[m])]
    if not sources:
        problems.append(
            (
                ("list",),
                f"La lista '{name}' de la actividad {n} no es un campo de tipo lista del "
                "formulario de una actividad anterior.",
            )
        )
        return problems
    items = (_array_fields(acts[sources[0]])[name].get("items") or {}).get("properties") or {}
    for key in ("unit", "label"):
        field = each.get(key)
        if field is not None and field not in items:
            problems.append(
                (
                    (key,),
                    f"'{key}: {field}' de la actividad {n} no es un campo de los elementos "
                    f"de la lista '{name}'.",
                )
            )
    if each.get("unit") in items and items[each["unit"]].get("format") != "unit":
        problems.append(
            (("unit",), f"El campo '{each['unit']}' de la lista '{name}' debe ser 'format: unit'.")
        )
    return problems
