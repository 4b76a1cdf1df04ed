"""Worker jobs of the audit trail."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .checkpoints import write_checkpoint


@db_periodic_task(crontab(minute="5"))
def write_audit_checkpoint() -> None:
    """Every hour: a signed checkpoint of the chain's head, outside the database."""
    write_checkpoint()
