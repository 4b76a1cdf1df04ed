"""Models of the HR integration (``mapro.hr``)."""

from .leavers import DirectoryDeletion, LeaverEvent, MailboxBackup
from .reconciliation import Reconciliation, ReconciliationDifference, ReconciliationRow

__all__ = [
    "DirectoryDeletion",
    "LeaverEvent",
    "MailboxBackup",
    "Reconciliation",
    "ReconciliationDifference",
    "ReconciliationRow",
]
