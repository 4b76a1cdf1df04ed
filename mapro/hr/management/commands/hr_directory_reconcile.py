"""`mapro hr_directory_reconcile`: compare the directory with the register and leavers now."""

from typing import Any

from django.core.management.base import CommandError

from mapro.core.management.base import AuditedCommand
from mapro.directory.connector import DirectoryUnavailable
from mapro.hr.actions import do_reconcile_directory


class Command(AuditedCommand):
    help = "RR. HH.: compara el directorio con el registro de cuentas y las bajas."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            reconciliation = do_reconcile_directory(actor=None)
        except DirectoryUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if reconciliation is None:
            self.stdout.write("No hay un directorio configurado (MAPRO_LDAP_URL).")
            return
        self.stdout.write(
            f"Conciliación n.° {reconciliation.pk}: {reconciliation.rows_count} cuentas, "
            f"{reconciliation.differences.count()} diferencias."
        )
