"""Worker tasks of the statistics registers (Huey, autodiscovered by ``huey.contrib.djhuey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="8", minute="0"))
def send_submission_reminders() -> None:
    """Every morning: the cronograma's reminders (before the due date, and once overdue)."""
    from .notices import do_send_submission_reminders

    do_send_submission_reminders()
