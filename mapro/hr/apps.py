"""Integración con Recursos Humanos."""

from django.apps import AppConfig


class HrConfig(AppConfig):
    name = "mapro.hr"
    label = "hr"
    verbose_name = "Integración con Recursos Humanos"

    def ready(self) -> None:
        # S04.03.01.02 steps that write this app's records (mapro/hr/procedure_effects.py):
        # 3, 4 and 15 through the accounts register's per-step plug, 14 and 16 by effect.
        from mapro.iam.procedure_effects import register_account_step
        from mapro.procedures.effects import register_effect_handler

        from . import procedure_effects as pe

        register_account_step(pe.PROCEDURE, 3, pe.record_backup_step)
        register_account_step(pe.PROCEDURE, 4, pe.record_deletion_step)
        register_account_step(pe.PROCEDURE, 15, pe.remove_reconciled_step)
        register_effect_handler(
            "register", pe.handle_reconciliation_register, value=pe.RECONCILIATION_REGISTER
        )
        register_effect_handler("document", pe.handle_removal_report, value=pe.REMOVAL_REPORT)
