"""Worker tasks of the help desk (Huey, autodiscovered by ``huey.contrib.djhuey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .autoclose import close_unconfirmed_tickets


@db_periodic_task(crontab(minute="7"))
def autoclose_resolved_tickets() -> None:
    """Every hour: close resolved tickets nobody confirmed or reopened in time (idempotent)."""
    close_unconfirmed_tickets()
