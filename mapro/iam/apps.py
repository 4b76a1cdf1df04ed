"""Cuentas, accesos y privilegios."""

from django.apps import AppConfig


class IamConfig(AppConfig):
    name = "mapro.iam"
    label = "iam"
    verbose_name = "Cuentas, accesos y privilegios"

    def ready(self) -> None:
        from mapro.procedures.effects import register_effect_handler

        from . import checks  # noqa: F401  (registers the deploy checks)
        from . import procedure_effects as pe

        register_effect_handler("register", pe.handle_accounts_register, value=pe.ACCOUNTS_REGISTER)
        register_effect_handler("register", pe.handle_vpn_inventory, value=pe.VPN_INVENTORY)
        register_effect_handler("document", pe.handle_vpn_record, value=pe.VPN_CREATED)
        register_effect_handler("document", pe.handle_vpn_record, value=pe.VPN_REMOVED)
