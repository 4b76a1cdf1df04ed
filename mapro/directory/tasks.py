"""Worker tasks (Huey): the directory operations, and the nightly reconciliation."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .delivery import apply_due_operations


@db_periodic_task(crontab(minute="*"))
def apply_directory_operations() -> None:
    """Every minute: apply what is due (new, retries whose back-off ended, expired leases)."""
    apply_due_operations()


@db_task()
def apply_directory_soon() -> None:
    """Enqueued after a step that wrote operations commits, to apply them right away."""
    apply_due_operations()
