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
- issued by: the user who completed the step;
- number (one per document): where the office numbers the document in SISTRADOC, the step's
  form records that number (``SISTRADOC_FIELDS`` by family: ``oficio``, ``memorandum``,
  ``documento_sistradoc``…) and it is the document's number, with no correlative of ours; a
  document issued by another office (``EXTERNAL_ISSUERS``: DIRAB's delivery document) is
  recorded with its own number (``numero_documento``, if the form asks it) or none, never ours;
- addressee: the form's ``destinatario``, else, for an OGTIE document in an instance of another
  unit, that unit's name.

It never breaks a step for lack of optional data: missing subject falls back to the activity
name, missing fields are left out of the body.
"""

from __future__ import annotations

import re
from typing import Any

from mapro.procedures.effects import EffectCall, Outcome

from .actions import do_issue_document

SUBJECT_KEYS = ("asunto", "descripcion", "descripción")

#: The form fields that carry the number SISTRADOC gave the document, by numbering family, in
#: order of preference (a "documento_sistradoc" is the number the step's document was sent with).
SISTRADOC_FIELDS: dict[str, tuple[str, ...]] = {
    "OFICIO": ("oficio", "numero_oficio", "documento_sistradoc"),
    "MEMORÁNDUM": ("memorandum", "numero_memorandum", "documento_sistradoc"),
    "INFORME": ("numero_informe", "documento_sistradoc"),
    # A resolution is numbered by the office that issues it (the Despacho Ministerial's RM).
    "RESOLUCIÓN": ("numero_resolucion", "resolucion", "numero_rm"),
}
#: Documents issued by another office, by the (accent-less, lower-case) start of their kind:
#: the office's code. They are recorded with that office's number, never given one of ours.
EXTERNAL_ISSUERS: dict[str, str] = {
    "documento de entrega de equipos (almacen de la dirab)": "DIRAB",
}
EXTERNAL_NUMBER_FIELDS = ("numero_documento", "documento_dirab")
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


def external_issuer(kind: str) -> str:
    """The office that issues ``kind`` when it is not us ("" for our own documents)."""
    from .numbering import _plain

    plain = _plain(kind)
    return next((code for start, code in EXTERNAL_ISSUERS.items() if plain.startswith(start)), "")


def number_from_form(kind: str, data: dict[str, Any]) -> str:
    """The number the step's form gives the document (SISTRADOC's or its office's), or ""."""
    from .numbering import family_of, is_draft

    if external_issuer(kind):
        keys: tuple[str, ...] = EXTERNAL_NUMBER_FIELDS
    elif is_draft(kind):
        return ""  # a draft's SISTRADOC registration is not the document's number
    else:
        keys = SISTRADOC_FIELDS.get(family_of(kind), ())
    return next((t for t in (_text(data.get(k)) for k in keys) if t), "")


def addressee_of(data: dict[str, Any], unit_code: str, instance: Any) -> str:
    text = _text(data.get("destinatario"))
    if text:
        return text
    unit: Any = getattr(instance, "unit", None)
    code = str(getattr(unit, "code", None) or "")
    if code and code != unit_code:
        return str(getattr(unit, "name", None) or code)
    return ""


def handle_document_effect(call: EffectCall) -> Outcome:
    """Issue the document the step names; ``Outcome.applied(document=<number or draft>)``."""
    kind = str(call.value or "").strip()
    if not kind:
        return Outcome.skipped("el efecto no nombra el documento")
    issuer = external_issuer(kind)
    unit_code = issuer or unit_code_of(call.activity, call.instance, call.record)
    document = do_issue_document(
        kind=kind,
        instance=call.instance,
        record=call.record,
        subject=subject_of(call.data, call.activity),
        body=render_body(call.data, call.activity.get("form")),
        position=call.position,
        activity_n=call.activity.get("n"),
        activity_name=str(call.activity.get("name") or ""),
        unit_code=unit_code,
        ticket=call.ticket,
        number=number_from_form(kind, call.data),
        external=bool(issuer),
        addressee=addressee_of(call.data, unit_code, call.instance),
        actor=call.actor,
    )
    return Outcome.applied(
        document=document.number
        or f"{'Proyecto' if document.is_draft else 'Sin número'}: {document.kind}",
        document_id=document.pk,
    )
