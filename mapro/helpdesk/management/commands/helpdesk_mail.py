"""`mapro helpdesk_mail`: read the help-desk and phishing mailboxes now (cron, ops)."""

from typing import Any

from mapro.core.management.base import AuditedCommand
from mapro.helpdesk.mailin.imap import fetch_all


class Command(AuditedCommand):
    help = "Mesa de ayuda: lee los buzones de correo (IMAP) y registra tickets y reportes."

    def handle(self, *args: Any, **options: Any) -> None:
        for kind, report in fetch_all().items():
            self.stdout.write(
                f"{kind}: leídos {report.read}; rechazados {report.refused}; "
                f"errores {report.errors}"
            )
