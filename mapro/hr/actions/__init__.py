"""Every state change of the HR integration (house style: ``do_<verb>_<noun>(..., *, actor)``)."""

from .backups import do_record_directory_deletion, do_record_mailbox_backup
from .directory_check import do_reconcile_directory, do_start_removal_for_difference
from .leavers import do_receive_leaver_alert
from .reconciliation import do_attend_difference, do_link_reconciliation, do_upload_reconciliation

__all__ = [
    "do_attend_difference",
    "do_link_reconciliation",
    "do_receive_leaver_alert",
    "do_reconcile_directory",
    "do_record_directory_deletion",
    "do_record_mailbox_backup",
    "do_start_removal_for_difference",
    "do_upload_reconciliation",
]
