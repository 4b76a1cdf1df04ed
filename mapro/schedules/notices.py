"""The one place the schedules domain tells people something (deadline reminders, escalations).

Today a mail through the outbox (``mapro.notifications.enqueue_mail``: written in the caller's
transaction, delivered by the worker at least once, one mail per ``key``). When in-app
notifications land (issue 12, item 5: ``mapro.notifications`` ``do_notify``), this function
switches to them and nothing else here changes. Never put a secret in ``context``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mapro.notifications.actions import enqueue_mail


def notify_users(
    users: Iterable[Any], *, subject: str, template: str, context: dict[str, Any], key: str
) -> list[str]:
    """Tell ``users`` (one mail to all of them, keyed ``key``); returns the addresses used.

    A user's address is their person's institutional mail, else their account's. Users without
    an address are skipped; with nobody left nothing is written (the caller records that).
    """
    addresses = []
    for user in users:
        address = getattr(user, "person_email", "") or getattr(user, "email", "")
        if address:
            addresses.append(address)
    if addresses:
        enqueue_mail(to=addresses, subject=subject, template=template, context=context, key=key)
    return addresses
