"""Seam: what a case is about, for the inboxes (the linked help-desk ticket, its requester).

An instance started from a help-desk ticket is known by the ticket's number and subject, and
its requester is the ticket's; the engine must not import the help desk (the layers contract
in pyproject.toml), so the help desk registers a *batched* lookup at start-up
(``HelpdeskConfig.ready``): given the instance ids of an inbox page it answers, in one query,
the ticket of each instance that has one. Without a registered lookup no instance has a ticket
and each case is titled by its procedure and number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseTicket:
    """The help-desk ticket of an instance, as an inbox shows it."""

    id: int
    number: str
    subject: str
    requester: str
    unit_code: str
    unit_name: str


TicketsLookup = Callable[[Collection[int]], dict[int, CaseTicket]]

_lookup: TicketsLookup | None = None


def register_case_tickets(lookup: TicketsLookup) -> None:
    """Install the batched lookup ``instance ids -> {instance id: CaseTicket}`` (one query;
    the first ticket linked when an instance has several). A later registration replaces it."""
    global _lookup
    _lookup = lookup


def case_tickets(instance_ids: Collection[int]) -> dict[int, CaseTicket]:
    """The tickets of these instances (absent: no ticket). No query for no ids."""
    if not instance_ids or _lookup is None:
        return {}
    return _lookup(instance_ids)
