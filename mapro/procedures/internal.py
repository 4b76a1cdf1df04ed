"""Internal answers: the data of a step the domain keeps internal stays internal everywhere.

Some activities leave their answers in a place that hides them from the requester: the help
desk's ``{ticket: annotate}`` stores the step's data as an *internal note* of the ticket ("no la
ve el solicitante"). The same answers are also in the instance's history (``TaskRecord.data``),
which the case page, the task page and the instance API show. This module makes those pages
apply the domain's rule, so that whatever is internal on the ticket is internal on every page
and API answer that shows it.

A domain declares, in its ``AppConfig.ready``:

- which effects make a step's answers internal: ``register_internal_effect("ticket", "annotate")``,
  and which publish them anyway: ``register_public_effect("ticket", "close")`` (closing makes
  the step's solution the ticket's, which the requester reads);
- who may read them for an instance: ``register_internal_reader(rule)``, ``rule(user, instance)``
  answering True/False, or None when it has no say (e.g. the instance has no ticket).

Without a rule that answers, internal answers are for the OGTIE staff (a user holding a role
``inside_ogtie``), never for the requester alone. ``internal_steps(ficha)`` lists the
activities concerned; ``reads_internal(user, instance)`` decides; the pages and serializers
blank ``data`` for the others and say the answers are internal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

InternalReader = Callable[[Any, Any], bool | None]

_internal_effects: set[tuple[str, str]] = set()
_public_effects: set[tuple[str, str]] = set()
_readers: list[InternalReader] = []


def register_internal_effect(kind: str, value: str) -> None:
    """Steps with the effect ``{kind: value}`` keep their answers internal."""
    _internal_effects.add((kind, value))


def register_public_effect(kind: str, value: str) -> None:
    """Steps with the effect ``{kind: value}`` publish their answers, even if also internal."""
    _public_effects.add((kind, value))


def register_internal_reader(rule: InternalReader) -> None:
    """Add a rule deciding who reads an instance's internal answers (idempotent)."""
    if rule not in _readers:
        _readers.append(rule)


def internal_steps(ficha: dict[str, Any]) -> set[int]:
    """The activities (``n``) of ``ficha`` whose answers are internal."""
    found: set[int] = set()
    for act in ficha.get("activities") or []:
        pairs = {
            (k, v)
            for effect in act.get("effects") or []
            if isinstance(effect, dict)
            for k, v in effect.items()
            if isinstance(v, str)
        }
        if pairs & _internal_effects and not pairs & _public_effects:
            found.add(int(act["n"]))
    return found


def _is_ogtie_staff(user: Any) -> bool:
    from mapro.organization.permissions import holds_ogtie_role

    return holds_ogtie_role(user)  # from the grants: no query of its own


def reads_internal(user: Any, instance: Any) -> bool:
    """May ``user`` read the internal answers of ``instance``? (Asked once per page.)"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    for rule in _readers:
        answer = rule(user, instance)
        if answer is not None:
            return answer
    return _is_ogtie_staff(user)


def hidden_steps(user: Any, instance: Any) -> set[int]:
    """The activities of ``instance`` whose answers ``user`` must not see (often empty)."""
    steps = internal_steps(instance.procedure_version.ficha)
    if not steps or reads_internal(user, instance):
        return set()
    return steps
