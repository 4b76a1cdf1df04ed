"""The one place the schedules domain tells people something (deadline reminders, escalations).

Through ``mapro.notifications`` (issue 12, item 5): an in-app notification per recipient (the
navbar's unread count) and their mail through the outbox, at once or in the daily digest as
each user chose. It runs in the caller's transaction; with ``key`` nobody is told twice.
Never put a secret in the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mapro.notifications.notices import do_notify


def notify_users(
    users: Iterable[Any],
    *,
    subject: str,
    body: str,
    key: str,
    instance: Any = None,
    url: str = "",
) -> list[str]:
    """Tell ``users``; returns the usernames told now (empty: nobody could be told)."""
    people = list(users)
    if not people:
        return []
    result = do_notify(
        users=people, subject=subject, body=body, instance=instance, url=url, key=key
    )
    return result.usernames()
