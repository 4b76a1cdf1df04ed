"""Which action may move a ticket from which status to which: the one table actions obey.

``TRANSITIONS[action]`` maps each status the action accepts to the status it leaves the ticket
in (``None``: the status does not change, e.g. a comment). ``check_transition`` raises
``InvalidTransition`` with a Spanish message naming the action and the current status when the
pair is not in the table. A closed ticket accepts only ``reopen``.

The rules, as the manual (MAPRO S04) and the issue describe the help desk:

- registrado → asignado (assign) or → devuelto (return: "¿Cumple con los requisitos?" No).
- asignado → en_atencion (start); asignado/en_atencion → asignado again (reassign).
- en_atencion → en_espera (hold, with reason; SLA paused); en_espera → en_atencion (start again,
  or the requester adds information).
- devuelto → registrado (the requester corrects and adds information; validated again), or
  → cerrado (the operator closes it, as the manual's "devolver la solicitud y cerrar ticket").
- asignado/en_atencion → resuelto (resolve, with the solution).
- resuelto → cerrado (requester confirms, or an operator closes it after the confirmation
  window); resuelto → en_atencion (the requester rejects the solution, with a reason).
- resuelto/cerrado → asignado (reopen, within ``HELPDESK_REOPEN_DAYS`` of resolution).
- reclassify (impact, urgency, category) while open, from registrado to devuelto; the status
  stays.
"""

from __future__ import annotations

from mapro.core.exceptions import InvalidTransition

from .choices import Status

S = Status
_OPEN = (S.REGISTRADO, S.ASIGNADO, S.EN_ATENCION, S.EN_ESPERA, S.RESUELTO, S.DEVUELTO)

TRANSITIONS: dict[str, dict[str, str | None]] = {
    "assign": {S.REGISTRADO: S.ASIGNADO, S.ASIGNADO: S.ASIGNADO, S.EN_ATENCION: S.ASIGNADO},
    "start": {S.ASIGNADO: S.EN_ATENCION, S.EN_ESPERA: S.EN_ATENCION},
    "hold": {S.EN_ATENCION: S.EN_ESPERA},
    "return": {S.REGISTRADO: S.DEVUELTO, S.ASIGNADO: S.DEVUELTO},
    "add_information": {S.EN_ESPERA: S.EN_ATENCION, S.DEVUELTO: S.REGISTRADO},
    "comment": dict.fromkeys(_OPEN),
    "attach": dict.fromkeys(_OPEN),
    "resolve": {S.ASIGNADO: S.RESUELTO, S.EN_ATENCION: S.RESUELTO},
    "confirm": {S.RESUELTO: S.CERRADO},
    "reject": {S.RESUELTO: S.EN_ATENCION},
    "close": {S.RESUELTO: S.CERRADO, S.DEVUELTO: S.CERRADO},
    "reopen": {S.RESUELTO: S.ASIGNADO, S.CERRADO: S.ASIGNADO},
    "reclassify": dict.fromkeys((S.REGISTRADO, S.ASIGNADO, S.EN_ATENCION, S.EN_ESPERA, S.DEVUELTO)),
}

ACTION_LABELS = {
    "assign": "asignar",
    "start": "iniciar la atención de",
    "hold": "poner en espera",
    "return": "devolver",
    "add_information": "añadir información a",
    "comment": "comentar",
    "attach": "adjuntar archivos a",
    "resolve": "resolver",
    "confirm": "confirmar la solución de",
    "reject": "rechazar la solución de",
    "close": "cerrar",
    "reopen": "reabrir",
    "reclassify": "reclasificar",
}


def allowed_actions(status: str) -> list[str]:
    """The actions the table accepts in ``status`` (permissions aside), in table order."""
    return [action for action, moves in TRANSITIONS.items() if status in moves]


def check_transition(action: str, status: str) -> str:
    """The status ``action`` leads to from ``status``; InvalidTransition when not allowed."""
    moves = TRANSITIONS[action]
    if status not in moves:
        label = Status(status).label.lower()
        if status == S.CERRADO:
            message = (
                f"No se puede {ACTION_LABELS[action]} un ticket cerrado; solo se puede reabrir "
                "dentro del plazo permitido."
            )
        else:
            accepted = ", ".join(Status(s).label.lower() for s in moves)
            message = (
                f"No se puede {ACTION_LABELS[action]} un ticket en estado «{label}». "
                f"Solo es posible en estado: {accepted}."
            )
        raise InvalidTransition(message)
    target = moves[status]
    return str(target) if target is not None else status
