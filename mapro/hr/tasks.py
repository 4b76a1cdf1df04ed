"""Worker tasks of the HR integration: the nightly comparison with the directory."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="30"))
def reconcile_directory() -> None:
    """Every night at 02:30: the directory against the accounts register and HR's leavers."""
    from mapro.directory.connector import DirectoryUnavailable

    from .actions import do_reconcile_directory

    try:
        do_reconcile_directory(actor=None)
    except DirectoryUnavailable as exc:
        logger.warning("conciliación con el directorio no realizada: %s", exc)
