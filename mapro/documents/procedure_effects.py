"""The ``{document: …}`` effect handler: every step that names a document issues one here.

Registered for the whole kind (``register_effect_handler("document", …)`` without a value), so
the per-value handlers of other apps (hr's "Informe de eliminación de cuentas", assets' actas,
iam's VPN records) keep winning. Runs inside the step's transaction.

What the document gets from the step:

- subject: the form's ``asunto``, else ``descripcion``, else the activity's name;
- body: every answered field of the step's form, by its title (lists of rows as "a; b" lines);
- unit: the unit of the step's item in a one-task-per-unit activity (each unit consulted
  issues its own oficio), else the activity's unit when it is a unit code (OGTIE…), else the
  instance's unit, else OGTIE;
- ticket: the help-desk ticket linked to the instance, if any;
- issued by: the user who completed the step.

It never breaks a step for lack of optional data: missing subject falls back to the activity
name, missing fields are left out of the body.
"""

from __future__ import annotations

import re
from typing import Any

from mapro.procedures.effects import EffectCall, Outcome

from .actions import do_issue_document

SUBJECT_KEYS = ("asunto", "descripcion", "descripción")
_UNIT_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,39}$")


def _text(value: Any) -> str:
    """One form value as printable text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, dict):
        if "name" in value and len(value) <= 4:
            return str(value.get("name") or "")
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items() if _text(v))
    if isinstance(value, list | tuple):
        return "\n".join(t for t in (_text(v) for v in value) if t)
    return str(value).strip()


def _display(value: Any, schema: dict[str, Any]) -> str:
    """A value as text, a choice (``oneOf`` const) by its title."""
    for option in schema.get("oneOf") or []:
        if isinstance(option, dict) and option.get("const") == value and option.get("title"):
            return str(option["title"])
    return _text(value)


def _row_text(value: Any, items_schema: dict[str, Any]) -> str:
    """A list of objects with the item titles: "Nombre: X; Versión: 2" per line."""
    properties = items_schema.get("properties") or {}
    if not isinstance(value, list) or not properties:
        return _text(value)
    lines = []
    for item in value:
        if not isinstance(item, dict):
            lines.append(_text(item))
            continue
        parts = [
            f"{(properties.get(k) or {}).get('title') or k}: {_display(v, properties.get(k) or {})}"
            for k, v in item.items()
            if _text(v)
        ]
        lines.append("; ".join(parts))
    return "\n".join(line for line in lines if line)


def render_body(data: dict[str, Any], form: dict[str, Any] | None) -> list[list[str]]:
    """The step's form data as [title, text] pairs, in the form's order, answered fields only.

    Fields the form does not declare keep their key as title (after the declared ones).
    """
    properties: dict[str, Any] = dict((form or {}).get("properties") or {})
    body: list[list[str]] = []
    keys = [k for k in properties if k in data] + [k for k in data if k not in properties]
    for key in keys:
        schema = properties.get(key) or {}
        value = data.get(key)
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            text = _row_text(value, schema["items"])
        else:
            text = _display(value, schema)
        if text:
            body.append([str(schema.get("title") or key), text])
    return body


def subject_of(data: dict[str, Any], activity: dict[str, Any]) -> str:
    for key in SUBJECT_KEYS:
        text = _text(data.get(key))
        if text:
            return text
    return str(activity.get("name") or "Documento del expediente")


def unit_code_of(activity: dict[str, Any], instance: Any, record: Any = None) -> str:
    item = getattr(record, "item", None)
    if isinstance(item, dict) and _UNIT_CODE.match(str(item.get("unit") or "")):
        return str(item["unit"])  # one task per unit: the unit that answered issues it
    unit = str(activity.get("unit") or "").strip()
    if _UNIT_CODE.match(unit):
        return unit
    instance_unit = getattr(instance, "unit", None)
    code = getattr(instance_unit, "code", "") or ""
    return code if _UNIT_CODE.match(code) else "OGTIE"


def handle_document_effect(call: EffectCall) -> Outcome:
    """Issue the document the step names; ``Outcome.applied(document=<number or draft>)``."""
    kind = str(call.value or "").strip()
    if not kind:
        return Outcome.skipped("el efecto no nombra el documento")
    document = do_issue_document(
        kind=kind,
        instance=call.instance,
        record=call.record,
        subject=subject_of(call.data, call.activity),
        body=render_body(call.data, call.activity.get("form")),
        position=call.position,
        activity_n=call.activity.get("n"),
        activity_name=str(call.activity.get("name") or ""),
        unit_code=unit_code_of(call.activity, call.instance, call.record),
        ticket=call.ticket,
        actor=call.actor,
    )
    return Outcome.applied(
        document=document.number or f"Proyecto: {document.kind}", document_id=document.pk
    )
