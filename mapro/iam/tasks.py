"""Worker tasks (Huey) of the accounts register."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .actions import do_purge_expired_password_links
from .reminders import do_notify_due_for_removal


@db_periodic_task(crontab(hour="7", minute="0"))
def notify_due_for_removal() -> None:
    """Once a day (07:00 by the worker's clock): the accounts past their orden de servicio."""
    do_notify_due_for_removal()


@db_periodic_task(crontab(minute="15"))
def purge_expired_password_links() -> None:
    """Every hour: destroy the ciphertext of one-time links that expired unrevealed."""
    do_purge_expired_password_links()
