"""Worker tasks of the help desk (Huey, autodiscovered by ``huey.contrib.djhuey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .autoclose import close_unconfirmed_tickets


@db_periodic_task(crontab(minute="7"))
def autoclose_resolved_tickets() -> None:
    """Every hour: close resolved tickets nobody confirmed or reopened in time (idempotent)."""
    close_unconfirmed_tickets()


@db_periodic_task(crontab(minute="37"))
def clean_orphan_attachment_files() -> None:
    """Every hour: delete attachment files older than an hour that no Attachment row names
    (left by rolled-back transactions); audited as one event with the count."""
    from .attachments import do_clean_orphan_files

    do_clean_orphan_files()


@db_periodic_task(crontab(minute="*"))
def read_mailboxes() -> None:
    """Every minute: the help-desk and phishing mailboxes (IMAP), when configured."""
    from .mailin.imap import fetch_all

    fetch_all()


@db_periodic_task(crontab(minute="*/10"))
def compact_dashboard_counters() -> None:
    """Every ten minutes: fold the dashboard counters' delta rows into one row per key, so the
    dashboard sums a few thousand rows whatever the traffic (``counters.compact_counters``)."""
    from .counters import compact_counters

    compact_counters()
