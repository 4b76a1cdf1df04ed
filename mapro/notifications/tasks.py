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
