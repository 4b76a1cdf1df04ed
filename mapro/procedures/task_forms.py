"""The form a task presents: the activity's form, with choices and what earlier steps recorded.

``GET /api/v1/tasks/{id}/`` and the HTML task page show the same form (design.md's contract):

- the activity's effective form (``ficha.compiler.form_schema``: the declared form plus the
  decision field);
- every ``format: unit`` field (also inside lists) offers the active units as ``oneOf``
  choices (``{const: code, title: "code — name"}``);
- a field whose value an earlier step of the instance recorded carries that value as
  ``default`` — the same field: same name, type, format and title in the earlier activity's
  form, so "N° de oficio" of the U.O.'s answer is not prefilled with the OGTIE's oficio when
  the ficha titles them differently. The latest recording wins. Decision fields (each step
  decides anew), long texts (a step's own narrative) and files are never prefilled;
- a ``choices_from`` field offers the values its source activity recorded as ``oneOf``
  (``choices.py``);
- a text field recorded earlier inside the rows of a list (same name and title) offers the
  recorded values as ``examples`` (the HTML page lists them as suggestions).

A domain app may propose more for one activity (``register_form_proposal(code, n, fn)``,
from its ``AppConfig.ready``; ``reads=`` the activities whose answers it shows, so a reader
who may not see them gets no proposal): ``fn(item)`` returns ``{field: value}`` defaults read
from its own registers or the case's steps — S04.02.00.01 activity 15 proposes the quality
reports just uploaded for the system and the «¿cumple?» their gate gives; S04.03.04.02
activity 6 the actions activity 5 recorded as the solution (``helpdesk``). Those win over the
recorded values.

Validation never uses this form: a step is checked against the ficha's own form
(``forms.check_form_data``), so a default or a suggestion can never loosen or tighten it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from mapro.organization.models import Unit

from .choices import offer, recorded_choices
from .ficha.compiler import find_activity, form_schema
from .models import TaskRecord, TaskRecordKind, WorkItem
from .routing import UNIT_FORMAT

#: Proposals of domain apps, per (procedure code, activity): ``fn(item) -> {field: value}``,
#: with the activities whose answers it reads.
_PROPOSALS: dict[tuple[str, int], tuple[Callable[[WorkItem], dict[str, Any]], frozenset[int]]] = {}


def register_form_proposal(
    code: str,
    n: int,
    proposal: Callable[[WorkItem], dict[str, Any]],
    *,
    reads: Iterable[int] = (),
) -> None:
    """Let a domain app propose defaults for one activity's form (module docstring).

    ``reads``: the activities whose recorded answers the proposal shows; it is not made to a
    reader who may not see those answers (``internal.hidden_steps``)."""
    _PROPOSALS[(code, n)] = (proposal, frozenset(reads))


#: Formats never prefilled (see the module docstring).
_NOT_PREFILLED = {"textarea", "file"}


def unit_choices() -> list[dict[str, str]]:
    """The active units as choices: ``{const: code, title: "code — name"}``, in tree order."""
    return [
        {"const": code, "title": f"{code} — {name}" if name and name != code else code}
        for code, name in Unit.objects.filter(is_active=True)
        .order_by("path")
        .values_list("code", "name")
    ]


def with_unit_choices(schema: dict[str, Any], choices: list[dict[str, str]] | None = None) -> None:
    """Give every ``format: unit`` field of ``schema`` (in place) the units as ``oneOf``."""
    fields = [
        prop
        for prop in _properties(schema)
        if prop.get("format") == UNIT_FORMAT and "oneOf" not in prop
    ]
    if not fields:
        return
    options = unit_choices() if choices is None else choices
    for prop in fields:
        prop["oneOf"] = copy.deepcopy(options)


def _properties(schema: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for prop in (schema.get("properties") or {}).values():
        if not isinstance(prop, dict):
            continue
        yield prop
        items = prop.get("items")
        if isinstance(items, dict):
            yield from _properties(items)


def _same_field(prop: dict[str, Any], earlier: dict[str, Any]) -> bool:
    keys = ("type", "format", "title")
    if any(prop.get(k) != earlier.get(k) for k in keys):
        return False
    if prop.get("type") == "array":
        mine = ((prop.get("items") or {}).get("properties")) or {}
        theirs = ((earlier.get("items") or {}).get("properties")) or {}
        return set(mine) == set(theirs) and all(_same_field(mine[k], theirs[k]) for k in mine)
    return True


def _prefillable(prop: dict[str, Any]) -> bool:
    return prop.get("format") not in _NOT_PREFILLED


def recorded_values(
    ficha: dict[str, Any], n: int, records: Iterable[TaskRecord]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """What earlier steps recorded for activity ``n``'s form: ``(defaults, examples)``.

    ``records`` are the instance's completed steps, oldest first. ``defaults[name]`` is the
    latest value recorded for the same field; ``examples[name]`` the distinct values recorded
    for a text field of the same name and title inside the rows of a list.
    """
    schema = form_schema(ficha, n)
    decision = (find_activity(ficha, n).get("decision") or {}).get("field")
    props = {
        name: prop
        for name, prop in (schema.get("properties") or {}).items()
        if isinstance(prop, dict) and name != decision and _prefillable(prop)
    }
    defaults: dict[str, Any] = {}
    examples: dict[str, list[Any]] = {}
    schemas: dict[int, dict[str, Any]] = {}
    for record in records:
        if record.n not in schemas:
            try:
                schemas[record.n] = form_schema(ficha, record.n)
            except KeyError:
                schemas[record.n] = {}
        earlier_props = schemas[record.n].get("properties") or {}
        data = record.data or {}
        for name, prop in props.items():
            earlier = earlier_props.get(name)
            value = data.get(name)
            if isinstance(earlier, dict) and _same_field(prop, earlier) and value not in (None, ""):
                defaults[name] = value
        for list_name, list_prop in earlier_props.items():
            rows = data.get(list_name)
            items = (list_prop or {}).get("items") or {}
            if not isinstance(rows, list) or not isinstance(items, dict):
                continue
            for name, prop in props.items():
                inner = (items.get("properties") or {}).get(name)
                if prop.get("type") != "string" or not isinstance(inner, dict):
                    continue
                if not _same_field(prop, inner):
                    continue
                for row in rows:
                    value = row.get(name) if isinstance(row, dict) else None
                    bucket = examples.setdefault(name, [])
                    if isinstance(value, str) and value and value not in bucket:
                        bucket.append(value)
    return defaults, {k: v for k, v in examples.items() if v}


def task_form(item: WorkItem, user: Any = None) -> dict[str, Any]:
    """The form ``item`` presents to ``user`` (module docstring): a few queries (history,
    units). The answers of steps ``user`` may not read (``internal.hidden_steps``; all
    internal steps without a user) are never proposed."""
    from .internal import hidden_steps, internal_steps

    ficha = item.instance.procedure_version.ficha
    hidden = hidden_steps(user, item.instance) if user is not None else internal_steps(ficha)
    schema = form_schema(ficha, item.n)
    # What was recorded when the task opened (a parallel branch's later answers are not
    # "earlier"; a past task shows what its completer saw).
    query = TaskRecord.objects.filter(
        instance_id=item.instance_id,
        completed_at__lte=item.created_at,
        kind=TaskRecordKind.COMPLETED,
    ).order_by("completed_at", "id")
    if hidden:
        query = query.exclude(n__in=sorted(hidden))
    records = list(query.only("n", "data"))
    defaults, examples = recorded_values(ficha, item.n, records)
    properties = schema.get("properties") or {}
    registered = _PROPOSALS.get((item.instance.procedure_code, item.n))
    if registered is not None and not registered[1] & set(hidden):
        defaults.update({k: v for k, v in registered[0](item).items() if k in properties})
    for name, value in defaults.items():
        properties[name]["default"] = value
    for name, values in examples.items():
        if "oneOf" not in properties[name] and name not in defaults:
            properties[name]["examples"] = values
    offer(schema, recorded_choices(schema, records))
    with_unit_choices(schema)
    return schema
