"""Choices from earlier steps: ``choices_from`` fields offer, and accept, what was recorded.

A text field with ``choices_from: "15.usuario_vpn"`` (ficha/fields.py) takes one of the values
the instance's completed steps of activity 15 recorded in ``usuario_vpn`` (top-level, or in the
rows of a list with ``"15.lista.campo"``). The task form offers them as ``oneOf``
(``task_forms.task_form``) and completing the task refuses any other value
(``actions.do_complete_task``), so a later step never asks again, as free text, for what an
earlier one recorded. While the source activity has recorded nothing (it has not run in this
instance), the field stays free text: a choice list can never leave a task impossible to
complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .ficha.fields import parse_choices_from, walk_fields
from .models import TaskRecord

#: A field's place in the submitted data: ("campo",) or ("lista", "campo") for list rows.
FieldPath = tuple[str, ...]


def choice_fields(form: dict[str, Any]) -> dict[FieldPath, tuple[int, tuple[str, ...]]]:
    """The ``choices_from`` fields of a form: ``{field path: (source activity, source path)}``."""
    found: dict[FieldPath, tuple[int, tuple[str, ...]]] = {}
    for _name, prop, where in walk_fields(form.get("properties") or {}, ()):
        parsed = parse_choices_from(prop.get("choices_from"))
        if parsed is not None:
            found[tuple(str(p) for p in where if p not in ("items", "properties"))] = parsed
    return found


def _values(data: dict[str, Any], parts: tuple[str, ...]) -> Iterator[str]:
    value = data.get(parts[0])
    if len(parts) == 1:
        if isinstance(value, str) and value:
            yield value
        return
    for row in value if isinstance(value, list) else []:
        inner = row.get(parts[1]) if isinstance(row, dict) else None
        if isinstance(inner, str) and inner:
            yield inner


def recorded_choices(
    form: dict[str, Any], records: Iterable[TaskRecord]
) -> dict[FieldPath, list[str]]:
    """The values each ``choices_from`` field of ``form`` may take, from ``records`` (oldest
    first); a field whose source recorded nothing is left out (free text)."""
    fields = choice_fields(form)
    if not fields:
        return {}
    by_n: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        by_n.setdefault(record.n, []).append(record.data or {})
    choices: dict[FieldPath, list[str]] = {}
    for path, (source_n, parts) in fields.items():
        values: list[str] = []
        for data in by_n.get(source_n, []):
            for value in _values(data, parts):
                if value not in values:
                    values.append(value)
        if values:
            choices[path] = values
    return choices


def offer(schema: dict[str, Any], choices: dict[FieldPath, list[str]]) -> None:
    """Give each field of ``schema`` (in place) its recorded values as ``oneOf`` choices."""
    for path, values in choices.items():
        prop = (schema.get("properties") or {}).get(path[0])
        if len(path) == 2 and isinstance(prop, dict):
            prop = ((prop.get("items") or {}).get("properties") or {}).get(path[1])
        if isinstance(prop, dict):
            prop["oneOf"] = [{"const": v, "title": v} for v in values]
            if prop.get("default") not in values:
                prop.pop("default", None)


def choice_errors(
    form: dict[str, Any], data: dict[str, Any], records: Iterable[TaskRecord]
) -> dict[str, list[str]]:
    """Field errors for values not among the recorded choices (``{"lista.0.campo": [...]}``)."""
    errors: dict[str, list[str]] = {}
    fields = choice_fields(form)
    for path, values in recorded_choices(form, records).items():
        source_n = fields[path][0]
        message = (
            f"Elija uno de los valores registrados en la actividad {source_n}: {', '.join(values)}."
        )
        if len(path) == 1:
            value = data.get(path[0])
            if isinstance(value, str) and value and value not in values:
                errors[path[0]] = [message]
            continue
        rows = data.get(path[0])
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            value = row.get(path[1]) if isinstance(row, dict) else None
            if isinstance(value, str) and value and value not in values:
                errors[f"{path[0]}.{i}.{path[1]}"] = [message]
    return errors


def records_for_choices(instance_id: int, form: dict[str, Any]) -> list[TaskRecord]:
    """The completed steps a form's ``choices_from`` fields read (none when it has no such
    field: ordinary steps pay no query)."""
    fields = choice_fields(form)
    if not fields:
        return []
    sources = sorted({n for n, _ in fields.values()})
    return list(
        TaskRecord.objects.filter(instance_id=instance_id, n__in=sources)
        .order_by("completed_at", "id")
        .only("n", "data")
    )
