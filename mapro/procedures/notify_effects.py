"""The ``{notify: [roles]}`` and ``{mail: …}`` effects of the fichas (registered for the whole
kinds in ``ProceduresConfig.ready``; docs/notifications.md). The engine's own handlers: they
reach people through ``mapro.notifications`` (the layer below), which knows nothing of fichas.

- ``{notify: [roles]}``: every holder of the roles in the instance's scope (its unit, for
  unit-scoped roles) gets a notification — in their list, and by mail as they chose — naming
  the procedure, the instance and the completed activity, with a link to the instance. The text
  is built from the ficha and the instance only, never from the step's answers, so no secret a
  form may carry can travel in it. Nobody holding the roles is not an error: the step completes
  and the outcome (shown on the instance page) says that nobody received it.
- ``{mail: <to whom>}``: a mail through the outbox to the addresses the step's form names
  (fields with ``format: email``, top-level or in a list's rows: the DIPEC, a contractor), with
  the step's answers as the body (file fields by name). When the form names no address and the
  value is a role's name in the manual ("Jefe(a) de la OGTIE") the holders of that role are
  notified instead; otherwise the outcome says that no address was given.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mapro.audit.actions import actor_name
from mapro.notifications.actions import enqueue_mail
from mapro.notifications.notices import check_no_secret, do_notify

from .effects import EffectCall, Outcome
from .ficha.roles import ROLE_NAMES

#: Recipients named in an outcome (the count is always there).
LISTED = 20
ROLE_BY_NAME = {name.casefold(): code for code, name in ROLE_NAMES.items()}


def _procedure_name(call: EffectCall) -> str:
    return str(call.instance.procedure_version.ficha.get("name") or "")


def _subject(call: EffectCall) -> str:
    return (
        f"{call.instance.procedure_code} · Expediente {call.instance.pk}: "
        f"{call.activity.get('name') or f'actividad {call.n}'}"
    )


def _who(actor: Any) -> str:
    return "El sistema" if actor is None else actor_name(actor)


def _notice_body(call: EffectCall) -> str:
    unit = call.instance.unit
    return (
        f"{_who(call.actor)} completó la actividad {call.n} «{call.activity.get('name', '')}» "
        f"del procedimiento {call.instance.procedure_code} {_procedure_name(call)} "
        f"(expediente {call.instance.pk}"
        + (f", {unit.code} — {unit.name}" if unit is not None else "")
        + "). El procedimiento le pide tomar conocimiento."
    )


def _instance_url(call: EffectCall) -> str:
    return reverse("procedures:instance_detail", args=[call.instance.pk])


def _notify(call: EffectCall, roles: list[str], *, via: str = "") -> Outcome:
    result = do_notify(
        roles=roles,
        unit=call.instance.unit,
        subject=_subject(call),
        body=_notice_body(call),
        instance=call.instance,
        actor=call.actor,
        url=_instance_url(call),
        # No key: the engine hands each effect of a step to its handler once (EffectOutcome),
        # and rows without a key skip the uniqueness index.
    )
    names = ", ".join(ROLE_NAMES.get(r, r) for r in roles)
    if result.nobody:
        return Outcome.skipped(
            f"Nadie recibió el aviso: nadie tiene el rol {names} en el ámbito del expediente.",
            roles=roles,
            destinatarios=0,
            resumen=f"Nadie recibió el aviso (nadie tiene el rol {names}).",
        )
    missing = result.roles_without_holders
    return Outcome.applied(
        roles=roles,
        destinatarios=result.count,
        usuarios=[] if result.deferred else result.usernames(LISTED),
        sin_titular=missing,
        resumen=(
            f"Avisado a {result.count} persona(s){via}"
            + (
                f"; nadie tiene el rol {', '.join(ROLE_NAMES.get(r, r) for r in missing)}"
                if missing
                else ""
            )
            + "."
        ),
    )


def handle_notify_effect(call: EffectCall) -> Outcome:
    """``{notify: [roles]}`` (module docstring)."""
    roles = call.value if isinstance(call.value, list) else [call.value]
    return _notify(call, [str(r) for r in roles])


# --- mail ------------------------------------------------------------------------------------


def _email_fields(schema: dict[str, Any]) -> tuple[list[str], list[tuple[str, str]]]:
    """Top-level email fields, and (list field, row field) pairs of email fields in rows."""
    top, rows = [], []
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        if prop.get("format") == "email":
            top.append(name)
        items = prop.get("items") if prop.get("type") == "array" else None
        if isinstance(items, dict):
            for sub, subprop in (items.get("properties") or {}).items():
                if isinstance(subprop, dict) and subprop.get("format") == "email":
                    rows.append((name, sub))
    return top, rows


def step_addresses(call: EffectCall) -> list[str]:
    """The addresses the step's form names, in form order."""
    top, rows = _email_fields(call.activity.get("form") or {})
    found: list[str] = []
    for name in top:
        value = call.data.get(name)
        if isinstance(value, str) and value.strip():
            found.append(value.strip())
    for name, sub in rows:
        for row in call.data.get(name) or []:
            value = row.get(sub) if isinstance(row, dict) else None
            if isinstance(value, str) and value.strip():
                found.append(value.strip())
    return found


def _step_summary(call: EffectCall) -> str:
    from .html_forms import describe_data

    lines = []
    for item in describe_data(call.activity.get("form") or {}, call.data):
        if item.rows:
            text = "; ".join(
                " — ".join(str(cell.text) for cell in row if cell.text) for row in item.rows
            )
        elif item.is_file:
            text = f"{item.text} (archivo adjunto en mapro)"
        else:
            text = str(item.text)
        line = f"{item.label}: {text}"
        try:
            check_no_secret(line)
        except ValueError:
            continue  # a field that looks like a credential never leaves in a mail
        if text:
            lines.append(line)
    return "\n".join(lines)


def handle_mail_effect(call: EffectCall) -> Outcome:
    """``{mail: <to whom>}`` (module docstring)."""
    addresses = step_addresses(call)
    to_whom = str(call.value or "").strip()
    if addresses:
        body = (
            f"{call.activity.get('name', '')} — procedimiento {call.instance.procedure_code} "
            f"{_procedure_name(call)}, expediente {call.instance.pk}.\n\n{_step_summary(call)}"
        )
        message = enqueue_mail(
            to=addresses,
            subject=_subject(call),
            template="aviso",
            context={"nombre": "", "mensaje": body, "enlace": ""},
            key=f"effect:{call.record.pk}:{call.position}",
        )
        if message is None:
            return Outcome.skipped(
                f"Ninguna dirección válida para el correo a {to_whom}.", destinatario=to_whom
            )
        return Outcome.applied(
            destinatario=to_whom,
            direcciones=message.recipients,
            correo=message.pk,
            resumen=f"Correo a {to_whom} ({', '.join(message.recipients)}) enviado a la cola.",
        )
    role = ROLE_BY_NAME.get(to_whom.casefold())
    if role is not None:
        return _notify(call, [role], via=" (correo del paso, por su rol)")
    return Outcome.skipped(
        f"El formulario del paso no indica la dirección de correo de {to_whom}; "
        "el correo queda registrado solo en el historial.",
        destinatario=to_whom,
        resumen=f"Sin correo: el paso no indica la dirección de {to_whom}.",
    )
