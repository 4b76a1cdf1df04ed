"""Cuentas, accesos y privilegios."""

from django.apps import AppConfig


class IamConfig(AppConfig):
    name = "mapro.iam"
    label = "iam"
    verbose_name = "Cuentas, accesos y privilegios"

    def ready(self) -> None:
        # The steps that write the accounts register and the VPN inventory, each registered for
        # its own step (mapro/iam/procedure_effects/, docs/registers/iam.md).
        from mapro.directory.connector import register_password_source
        from mapro.directory.selectors import register_operation_effect
        from mapro.procedures.effects import register_effect_handler as register

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .directory_ops import initial_password
        from .procedure_effects import account_creation as creation
        from .procedure_effects import account_removal as removal
        from .procedure_effects import vpn_inventory as vpn
        from .procedure_effects.common import (
            ACCOUNTS_REGISTER,
            CREATION,
            REMOVAL,
            VPN_CREATED,
            VPN_INVENTORY,
            VPN_REMOVED,
        )

        for step, handler in (
            ((CREATION, 2), creation.check_request_requirements),
            ((CREATION, 6), creation.update_accesses),
            ((CREATION, 9), creation.create_accounts),
            ((CREATION, 15), creation.create_vpn_user),
            ((REMOVAL, 2), removal.disable_accounts),
            ((REMOVAL, 8), removal.remove_vpn_user),
            ((REMOVAL, 15), removal.remove_reconciled),
        ):
            register("register", handler, value=ACCOUNTS_REGISTER, step=step)
        # Those steps enqueue directory operations: the pages look them up (issue #15).
        register_operation_effect("register", ACCOUNTS_REGISTER)
        register("register", vpn.handle_vpn_inventory, value=VPN_INVENTORY)
        # A new network account gets its initial password in the directory from its sealed secret.
        register_password_source(initial_password)
        register("document", vpn.handle_vpn_record, value=VPN_CREATED)
        register("document", vpn.handle_vpn_record, value=VPN_REMOVED)
