"""Effects of activities: how a completed step reaches the domains (help desk, documents…).

A ficha names what an activity leaves behind (docs/ficha-format.md, "Effects"):
``{ticket: create}``, ``{document: Oficio}``, ``{register: …}``, ``{mail: …}``,
``{notify: [roles]}``. The engine always copies them into the step's history
(``TaskRecord.effects``). A domain that wants to *do* something with an effect registers a
handler for it, explicitly, in its ``AppConfig.ready`` — one function, one style, three reaches::

    from mapro.procedures.effects import register_effect_handler

    register_effect_handler("ticket", handle_ticket_effect)                 # the whole kind
    register_effect_handler("register", handle_logbook, value=LOGBOOK)      # one register
    register_effect_handler(                                                # one step of it
        "register", record_backup, value=ACCOUNTS, step=("S04.03.01.02", 3)
    )

The most specific wins: ``(kind, value, step)`` over ``(kind, value)`` over ``kind``. One
handler per key (a second, different one is a configuration error). ``before=True`` registers a
handler that runs *before* the one of the same key, in the same transaction — for an app that
keeps a part of a step another app writes (the HR app records the PST backups of S04.03.01.02
activity 15 before the IAM app removes the accounts); its outcome details are merged into the
main handler's.

``do_complete_task`` calls ``dispatch_effects`` once per completed activity, inside the step's
transaction and after the history row and the next work items are written. Each effect of the
activity, in ficha order, goes to its handler as an ``EffectCall``, which also carries what
handlers used to look up on their own: the data of earlier steps (``call.step_data(n)``), the
instance's records (``call.records``) and its help-desk ticket (``call.ticket``). The handler
acts through its domain's actions (audited) and returns an ``Outcome``; an ``EffectOutcome``
row keeps it. Consequences:

- **Atomic**: a handler that raises (InvalidInput, Conflict, …) rolls the whole step back —
  the task stays open, nothing of the step is stored, the caller gets the error.
- **Idempotent** per (instance, activity completion): an effect whose ``EffectOutcome`` row
  exists is not handled again, so calling ``dispatch_effects`` twice for the same step changes
  nothing.
- **Every effect is handled or says why not**: ``mapro procedures check`` fails on an effect no
  handler takes (``unhandled_effects``) unless the ficha marks it ``history_only`` with a reason
  (``- {register: "…", history_only: "why"}``); such an effect stays in the history only.

No signals: the only call site is ``actions.do_complete_task``, and the only way in is
``register_effect_handler``. The help desk tells this module how to find an instance's ticket
(``register_ticket_lookup``) so that no domain imports another one to read it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import storage
from .models import EffectOutcome, EffectOutcomeStatus, Instance, TaskRecord

logger = logging.getLogger(__name__)

#: The kinds of effect a ficha may name (docs/ficha-format.md).
EFFECT_KINDS = ("ticket", "document", "register", "mail", "notify")
#: The ficha's marker for an effect kept in the history only (its value: the reason).
HISTORY_ONLY = "history_only"

Step = tuple[str, int]


@dataclass(frozen=True)
class EffectCall:
    """One effect handed to a handler: what to do, and the step it belongs to.

    ``value`` is what the ficha says (``"create"`` for ``{ticket: create}``); ``data`` the form
    data submitted with the step (validated); ``activity`` the ficha's activity (name, unit,
    roles…); ``actor`` the user who completed it (the engine already checked their role).
    ``records``, ``step_data(n)``, ``step_record(n)`` and ``ticket`` read the rest of the
    instance, once per call.
    """

    kind: str
    value: Any
    position: int
    instance: Instance
    record: TaskRecord
    activity: dict[str, Any]
    data: dict[str, Any]
    actor: Any

    @property
    def n(self) -> int:
        """The number of the completed activity."""
        return int(self.activity["n"])

    @property
    def step(self) -> Step:
        """(procedure code, activity number) of the completed activity."""
        return (self.instance.procedure_code, self.n)

    @cached_property
    def records(self) -> list[TaskRecord]:
        """The instance's history, oldest first (this step included, as its last row)."""
        return list(
            TaskRecord.objects.filter(instance=self.instance).order_by("completed_at", "id")
        )

    def step_record(self, n: int) -> TaskRecord | None:
        """The latest completion of activity ``n`` (this step's record for its own ``n``)."""
        if n == self.record.n:
            return self.record
        return next((r for r in reversed(self.records) if r.n == n), None)

    def step_data(self, n: int) -> dict[str, Any]:
        """The data of the latest completion of activity ``n`` (``{}`` if it never ran)."""
        if n == self.record.n:
            return self.data
        record = self.step_record(n)
        return dict(record.data or {}) if record is not None else {}

    @property
    def ticket(self) -> Any:
        """The help-desk ticket linked to the instance (the first one), or None.

        Read afresh at each access: an earlier effect of the same step (``{ticket: create}``)
        may have just created it.
        """
        return _ticket_lookup(self.instance) if _ticket_lookup is not None else None


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
Key = tuple[str, str | None, str | None, int | None]

#: Handlers by (kind, value, procedure code, activity): ``None`` where the key is wider.
_handlers: dict[Key, Handler] = {}
_before: dict[Key, Handler] = {}
_ticket_lookup: Callable[[Instance], Any] | None = None


def _key(kind: str, value: str | None, step: Step | None) -> Key:
    if kind not in EFFECT_KINDS:
        raise ValueError(f"Tipo de efecto desconocido: {kind!r} (válidos: {EFFECT_KINDS}).")
    if step is not None and value is None:
        raise ValueError("Un manejador por paso nombra también el valor del efecto (value=…).")
    code, n = step if step is not None else (None, None)
    return (kind, value, code, None if n is None else int(n))


def register_effect_handler(
    kind: str,
    handler: Handler,
    *,
    value: str | None = None,
    step: Step | None = None,
    before: bool = False,
) -> None:
    """Make ``handler`` the one that acts on effects of ``kind`` — only those whose value is
    ``value`` (e.g. one register by its name), and only at ``step`` (procedure code, activity
    number) when given. ``before=True``: run it before the handler of the same key instead.

    One handler per key: registering the same function again is harmless (``ready()`` may run
    twice), registering a different one is a configuration error.
    """
    key = _key(kind, value, step)
    table = _before if before else _handlers
    current = table.get(key)
    if current is not None and current is not handler:
        raise ValueError(f"Ya hay un manejador para los efectos {key!r}: {current!r}.")
    table[key] = handler


def unregister_effect_handler(
    kind: str, *, value: str | None = None, step: Step | None = None, before: bool = False
) -> Handler | None:
    """Remove the handler of that key (tests); returns it."""
    return (_before if before else _handlers).pop(_key(kind, value, step), None)


def register_ticket_lookup(lookup: Callable[[Instance], Any]) -> None:
    """Tell ``EffectCall.ticket`` how to find an instance's ticket (the help desk, once)."""
    global _ticket_lookup
    _ticket_lookup = lookup


def _candidates(kind: str, value: Any, step: Step | None) -> list[Key]:
    keys: list[Key] = []
    if isinstance(value, str):
        if step is not None:
            keys.append((kind, value, step[0], int(step[1])))
        keys.append((kind, value, None, None))
    keys.append((kind, None, None, None))
    return keys


def effect_handler(kind: str, value: Any = None, *, step: Step | None = None) -> Handler | None:
    """The handler for an effect: the one for its value at that step, else for its value, else
    the kind's."""
    for key in _candidates(kind, value, step):
        handler = _handlers.get(key)
        if handler is not None:
            return handler
    return None


def _handlers_for(
    kind: str, value: Any, step: Step | None
) -> tuple[Handler | None, Handler | None]:
    """(before handler, main handler) of the most specific key that has either."""
    for key in _candidates(kind, value, step):
        main, first = _handlers.get(key), _before.get(key)
        if main is not None or first is not None:
            return first, main
    return None, None


def registered_values(kind: str) -> set[str]:
    """The values of ``kind`` that have a handler of their own (at any step)."""
    return {key[1] for key in (*_handlers, *_before) if key[0] == kind and key[1] is not None}


def effect_kind_and_value(effect: Any) -> tuple[str, Any] | None:
    """``("register", "Inventario …")`` for ``{register: "Inventario …"}`` (markers such as
    ``history_only`` aside); None for something that is not an effect."""
    if not isinstance(effect, dict):
        return None
    kinds = [k for k in effect if k != HISTORY_ONLY]
    if len(kinds) != 1:
        return None
    return str(kinds[0]), effect[kinds[0]]


def history_effects(activity: dict[str, Any]) -> list[Any]:
    """The effects of ``activity`` as the step's history keeps them: as the ficha names them,
    without the ``history_only`` reasons (those are for whoever reads the ficha; the history and
    API v1 keep one key per effect)."""
    return [
        {k: v for k, v in e.items() if k != HISTORY_ONLY} if isinstance(e, dict) else e
        for e in activity.get("effects") or []
    ]


def is_history_only(effect: Any) -> bool:
    """The ficha keeps this effect in the history only, on purpose (with a reason)."""
    return isinstance(effect, dict) and bool(str(effect.get(HISTORY_ONLY) or "").strip())


def unhandled_effects(ficha: dict[str, Any]) -> list[tuple[int, int, str, Any]]:
    """The effects of ``ficha`` no handler takes and not marked ``history_only``:
    (activity, position, kind, value) each. Needs the apps loaded (their ``ready()``)."""
    code = str(ficha.get("code") or "")
    found = []
    for act in ficha.get("activities") or []:
        if not isinstance(act, dict) or not isinstance(act.get("n"), int):
            continue
        for position, effect in enumerate(act.get("effects") or []):
            pair = effect_kind_and_value(effect)
            if pair is None or is_history_only(effect):
                continue
            first, main = _handlers_for(*pair, (code, act["n"]))
            if first is None and main is None:
                found.append((act["n"], position, *pair))
    return found


def dispatch_effects(
    record: TaskRecord, activity: dict[str, Any], *, actor: Any, fresh: bool = False
) -> list[EffectOutcome]:
    """Hand each effect of the completed ``activity`` to its handler (see the module docstring).

    Must run inside the transaction that stored ``record``. Returns the outcome rows written
    now (none for effects already handled or without a handler). ``fresh=True``: ``record``
    was inserted by this transaction a moment ago, so no outcome of it can exist yet and the
    idempotency check (one query) is skipped; a step without handled effects runs no query.
    """
    written: list[EffectOutcome] = []
    step = (record.instance.procedure_code, int(activity["n"]))
    plan: list[tuple[int, str, Any, Handler | None, Handler | None]] = []
    for position, effect in enumerate(activity.get("effects") or []):
        pair = effect_kind_and_value(effect)
        if pair is None or is_history_only(effect):
            continue
        first, main = _handlers_for(*pair, step)
        if first is not None or main is not None:
            plan.append((position, *pair, first, main))
    if not plan:
        return written
    done: set[int] = (
        set()
        if fresh
        else set(EffectOutcome.objects.filter(record=record).values_list("position", flat=True))
    )
    for position, kind, value, first, main in plan:
        if position in done:
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
        outcome = _run(call, first, main)
        row = EffectOutcome(
            instance=record.instance,
            record=record,
            position=position,
            kind=kind,
            value=value,
            status=outcome.status,
            detail=outcome.detail,
        )
        # Written at once, not at the end: a later effect of the step may read it (inventory's
        # ``step_document`` reads the document the step's ``{document: …}`` issued). A plain
        # INSERT: the ORM's costs more to build than to run.
        storage.insert([row])
        written.append(row)
        logger.debug("Effect %s=%s of record %s: %s", kind, value, record.pk, outcome.status)
    return written


def _run(call: EffectCall, first: Handler | None, main: Handler | None) -> Outcome:
    before = (first(call) or Outcome.applied()) if first is not None else None
    outcome = (main(call) or Outcome.applied()) if main is not None else None
    if before is None:
        return outcome or Outcome.applied()
    if outcome is None:
        return before
    return Outcome(outcome.status, {**before.detail, **outcome.detail})


__all__ = [
    "EFFECT_KINDS",
    "HISTORY_ONLY",
    "EffectCall",
    "Outcome",
    "dispatch_effects",
    "effect_handler",
    "effect_kind_and_value",
    "history_effects",
    "is_history_only",
    "register_effect_handler",
    "register_ticket_lookup",
    "registered_values",
    "unhandled_effects",
    "unregister_effect_handler",
]
