"""Worker tasks (Huey) of the accounts register."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .reminders import do_notify_due_for_removal


@db_periodic_task(crontab(hour="7", minute="0"))
def notify_due_for_removal() -> None:
    """Once a day (07:00 by the worker's clock): the accounts past their orden de servicio."""
    do_notify_due_for_removal()
