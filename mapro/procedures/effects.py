"""Effects of activities: how a completed step reaches the domains (help desk, documents…).

A ficha names what an activity leaves behind (docs/ficha-format.md, "Effects"):
``{ticket: create}``, ``{document: Oficio}``, ``{register: …}``, ``{mail: …}``,
``{notify: [roles]}``. The engine always copies them into the step's history
(``TaskRecord.effects``). A domain that wants to *do* something with a kind registers one
handler for it, explicitly, in its ``AppConfig.ready``::

    from mapro.procedures.effects import register_effect_handler
    register_effect_handler("ticket", handle_ticket_effect)

``do_complete_task`` calls ``dispatch_effects`` once per completed activity, inside the step's
transaction and after the history row and the next work items are written. Each effect of the
activity, in ficha order, goes to the handler of its kind as an ``EffectCall``. The handler
acts through its domain's actions (audited) and returns an ``Outcome``; an ``EffectOutcome`` row
keeps it. Consequences:

- **Atomic**: a handler that raises (InvalidInput, Conflict, …) rolls the whole step back —
  the task stays open, nothing of the step is stored, the caller gets the error.
- **Idempotent** per (instance, activity completion): an effect whose ``EffectOutcome`` row
  exists is not handled again, so calling ``dispatch_effects`` twice for the same step changes
  nothing.
- **Unknown kinds** (no handler registered) are left in the history only, as before.

A handler may also be registered for one *value* of a kind, so that each register or document
belongs to the app that keeps it::

    register_effect_handler("register", handle_logbook, value="Bitácora de registro de ingresos …")

The handler for ``(kind, value)`` wins over the handler for the whole ``kind``.

No signals: the only call site is ``actions.do_complete_task``, and the only way in is
``register_effect_handler``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import EffectOutcome, EffectOutcomeStatus, Instance, TaskRecord

logger = logging.getLogger(__name__)

#: The kinds of effect a ficha may name (docs/ficha-format.md).
EFFECT_KINDS = ("ticket", "document", "register", "mail", "notify")


@dataclass(frozen=True)
class EffectCall:
    """One effect handed to a handler: what to do, and the step it belongs to.

    ``value`` is what the ficha says (``"create"`` for ``{ticket: create}``); ``data`` the form
    data submitted with the step (validated); ``activity`` the ficha's activity (name, unit,
    roles…); ``actor`` the user who completed it (the engine already checked their role).
    """

    kind: str
    value: Any
    position: int
    instance: Instance
    record: TaskRecord
    activity: dict[str, Any]
    data: dict[str, Any]
    actor: Any


@dataclass(frozen=True)
class Outcome:
    """What a handler did: ``applied`` (with details such as a ticket number) or ``skipped``
    (with the reason, e.g. "el expediente no tiene ticket")."""

    status: str = EffectOutcomeStatus.APPLIED
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def applied(cls, **detail: Any) -> Outcome:
        return cls(EffectOutcomeStatus.APPLIED, detail)

    @classmethod
    def skipped(cls, reason: str, **detail: Any) -> Outcome:
        return cls(EffectOutcomeStatus.SKIPPED, {"reason": reason, **detail})


Handler = Callable[[EffectCall], Outcome | None]

#: Handlers by kind (``"ticket"``) or by kind and value (``("register", "Inventario …")``).
_handlers: dict[str | tuple[str, str], Handler] = {}


def _key(kind: str, value: str | None) -> str | tuple[str, str]:
    return kind if value is None else (kind, value)


def register_effect_handler(kind: str, handler: Handler, *, value: str | None = None) -> None:
    """Make ``handler`` the one that acts on effects of ``kind`` (or only those whose value is
    ``value``, e.g. one register by its name).

    One handler per key: registering the same function again is harmless (``ready()`` may
    run twice), registering a different one is a configuration error.
    """
    if kind not in EFFECT_KINDS:
        raise ValueError(f"Tipo de efecto desconocido: {kind!r} (válidos: {EFFECT_KINDS}).")
    key = _key(kind, value)
    current = _handlers.get(key)
    if current is not None and current is not handler:
        raise ValueError(f"Ya hay un manejador para los efectos {key!r}: {current!r}.")
    _handlers[key] = handler


def unregister_effect_handler(kind: str, *, value: str | None = None) -> Handler | None:
    """Remove the handler of ``kind`` (or of ``kind`` and ``value``) (tests); returns it."""
    return _handlers.pop(_key(kind, value), None)


def effect_handler(kind: str, value: Any = None) -> Handler | None:
    """The handler for an effect: the one for its exact value if any, else the kind's."""
    if isinstance(value, str):
        handler = _handlers.get((kind, value))
        if handler is not None:
            return handler
    return _handlers.get(kind)


def _kind_and_value(effect: Any) -> tuple[str, Any] | None:
    if isinstance(effect, dict) and len(effect) == 1:
        ((kind, value),) = effect.items()
        return str(kind), value
    return None


def dispatch_effects(
    record: TaskRecord, activity: dict[str, Any], *, actor: Any
) -> list[EffectOutcome]:
    """Hand each effect of the completed ``activity`` to its handler (see the module docstring).

    Must run inside the transaction that stored ``record``. Returns the outcome rows written
    now (none for effects already handled or without a handler).
    """
    written: list[EffectOutcome] = []
    effects = list(activity.get("effects") or [])
    if not any(
        (pair := _kind_and_value(e)) is not None and effect_handler(*pair) is not None
        for e in effects
    ):
        return written
    done = set(EffectOutcome.objects.filter(record=record).values_list("position", flat=True))
    for position, effect in enumerate(effects):
        pair = _kind_and_value(effect)
        if pair is None or position in done:
            continue
        kind, value = pair
        handler = effect_handler(kind, value)
        if handler is None:
            continue
        call = EffectCall(
            kind=kind,
            value=value,
            position=position,
            instance=record.instance,
            record=record,
            activity=activity,
            data=dict(record.data or {}),
            actor=actor,
        )
        outcome = handler(call) or Outcome.applied()
        written.append(
            EffectOutcome.objects.create(
                instance=record.instance,
                record=record,
                position=position,
                kind=kind,
                value=value,
                status=outcome.status,
                detail=outcome.detail,
            )
        )
        logger.debug("Effect %s=%s of record %s: %s", kind, value, record.pk, outcome.status)
    return written


__all__ = [
    "EFFECT_KINDS",
    "EffectCall",
    "Outcome",
    "dispatch_effects",
    "effect_handler",
    "register_effect_handler",
    "unregister_effect_handler",
]
