"""Worker tasks of the schedules domain (Huey, autodiscovered by ``huey.contrib.djhuey``).

Both are safe with any number of workers: each occurrence and each deadline notice has a unique
key inserted with ``ON CONFLICT DO NOTHING`` in the transaction of its effect.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def start_due_schedules() -> None:
    """Every minute: start the instance of each due occurrence of an approved cronograma."""
    from .actions.cronogramas import do_start_due_occurrences

    do_start_due_occurrences()


@db_periodic_task(crontab(minute="*"))
def send_deadline_notices() -> None:
    """Every minute: remind the holders of overdue tasks, and escalate past the second limit."""
    from .deadlines import do_send_deadline_notices

    do_send_deadline_notices()


@db_periodic_task(crontab(minute="15", hour="7"))
def report_overdue_plan_dates() -> None:
    """Every day at 07:15: tell the responsible role of each planned date past due, once."""
    from .actions.plans import do_report_overdue

    do_report_overdue()
