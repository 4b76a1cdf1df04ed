"""Integración con Recursos Humanos."""

from django.apps import AppConfig


class HrConfig(AppConfig):
    name = "mapro.hr"
    label = "hr"
    verbose_name = "Integración con Recursos Humanos"

    def ready(self) -> None:
        # S04.03.01.02 steps that write this app's records (mapro/hr/procedure_effects.py):
        # 3 and 4 are steps of the accounts register; at 15 the PST backups are recorded before
        # the IAM app removes the accounts; 14 and 16 by their own register and document.
        from mapro.directory.selectors import register_operation_effect
        from mapro.procedures.effects import register_effect_handler as register

        from . import procedure_effects as pe

        accounts = pe.ACCOUNTS_REGISTER
        # Its accounts-register steps enqueue directory operations (issue #15).
        register_operation_effect("register", accounts)
        register("register", pe.record_backup_step, value=accounts, step=(pe.PROCEDURE, 3))
        register("register", pe.record_deletion_step, value=accounts, step=(pe.PROCEDURE, 4))
        register(
            "register",
            pe.record_reconciled_backups,
            value=accounts,
            step=(pe.PROCEDURE, 15),
            before=True,
        )
        register("register", pe.handle_reconciliation_register, value=pe.RECONCILIATION_REGISTER)
        register("document", pe.handle_removal_report, value=pe.REMOVAL_REPORT)
