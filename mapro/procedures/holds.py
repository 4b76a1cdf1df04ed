"""Holds: a domain says an instance's next step must wait (for a directory's answer…).

A domain registers, in its ``AppConfig.ready``, a function that tells why an instance of the
given procedures cannot move on yet (``None``: it can)::

    register_instance_hold(hold_reason, procedures=("S04.03.01.01", "S04.03.01.02"))

``do_complete_task`` asks before completing a task of such an instance and refuses with
``InstanceOnHold`` (409, the reason as message); nothing of the step is stored. Instances of
other procedures cost nothing (no query). The first user is the directory connector: the step
after an account step waits until the directory has answered or an operator completed the
operation by hand (docs/decisions/directory.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from mapro.core.exceptions import Conflict

Hold = Callable[[Any], str | None]

_holds: dict[str, list[Hold]] = {}


class InstanceOnHold(Conflict):
    """The instance waits for something outside the workflow (409)."""


def register_instance_hold(hold: Hold, *, procedures: Iterable[str]) -> None:
    """Ask ``hold(instance)`` before each step of an instance of ``procedures``."""
    for code in procedures:
        listed = _holds.setdefault(code, [])
        if hold not in listed:
            listed.append(hold)


def check_holds(instance: Any) -> None:
    """Raise InstanceOnHold when a registered hold keeps ``instance`` from moving on."""
    for hold in _holds.get(instance.procedure_code, ()):
        reason = hold(instance)
        if reason:
            raise InstanceOnHold(reason)
