"""Worker tasks (Huey): the periodic delivery is the guarantee, the kick only makes it sooner.

Both run inside ``worker_context`` (``mapro.core.context.install_huey_hooks``). Several consumers
may run them at once, on several hosts: claiming is safe for concurrent workers. They return
nothing, so no result piles up in the queue's result store.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .delivery import deliver_due_messages


@db_periodic_task(crontab(minute="*"))
def deliver_outbox() -> None:
    """Every minute: send what is due (new, retries whose back-off ended, expired leases)."""
    deliver_due_messages()


@db_task()
def deliver_outbox_soon() -> None:
    """Enqueued after a transaction that wrote outbox rows commits, to send them right away."""
    deliver_due_messages()


@db_periodic_task(crontab(minute="*"))
def fan_out_notifications() -> None:
    """Every minute: the mail of each pending notification goes to the outbox."""
    from .fanout import fan_out_notifications as fan_out

    fan_out()


@db_task()
def fan_out_notifications_soon() -> None:
    """Enqueued after a transaction that wrote notifications commits, to mail them at once."""
    from .fanout import fan_out_notifications as fan_out

    fan_out()


@db_periodic_task(crontab(hour="7", minute="0"))
def send_notification_digests() -> None:
    """Every day at 07:00 (TIME_ZONE): the digest of those who chose it."""
    from .fanout import send_digests

    send_digests()
