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
