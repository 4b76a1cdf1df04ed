"""Demo data: what ``mapro seed --demo`` creates is marked as such, wherever it is created.

The seed's demo cases (``mapro.procedures.demo``) run the procedures' real actions, which create
instances, tickets and register rows deep inside other apps' code. Those actions ask
``is_demo_data()`` and mark what they create (``Instance.is_demo``, a ticket's subject), so a
person sees "Demostración" on it and an administrator can filter it out or delete it, without
every action growing a ``demo`` parameter. Outside ``demo_data()`` nothing is ever marked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

#: The mark people see on demo data (badges, a ticket's subject prefix, filters).
DEMO_LABEL = "Demostración"

_demo: ContextVar[bool] = ContextVar("mapro_demo_data", default=False)
_cases: ContextVar[bool] = ContextVar("mapro_demo_cases", default=True)


def is_demo_data() -> bool:
    """True inside ``demo_data()``: what is created now is demo data."""
    return _demo.get()


def demo_cases_wanted() -> bool:
    """False inside ``demo_data(cases=False)`` (``mapro seed --demo --no-cases``): the seed
    leaves out the demo cases of the procedures, its slowest part."""
    return _cases.get()


@contextlib.contextmanager
def demo_data(*, cases: bool = True) -> Iterator[None]:
    """Everything created while it is active is demo data (``mapro seed --demo`` only)."""
    token, cases_token = _demo.set(True), _cases.set(cases)
    try:
        yield
    finally:
        _cases.reset(cases_token)
        _demo.reset(token)
