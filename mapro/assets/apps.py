from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "mapro.assets"
    label = "assets"
    verbose_name = "Equipos, dispositivos y restauraciones"

    def ready(self) -> None:
        # Procedure steps write these registers through their effects (procedure_effects.py).
        from mapro.procedures.effects import register_effect_handler as register

        from . import procedure_effects as pe

        register("register", pe.handle_cert_inventory, value=pe.CERT_REGISTER)
        register("document", pe.handle_cert_conformity, value=pe.CERT_CONFORMITY_DOCUMENT)
        register("register", pe.handle_restore_register, value=pe.RESTORE_REGISTER)
        register("register", pe.handle_block_register, value=pe.BLOCK_REGISTER)
        register("document", pe.handle_phone_acta_entrega, value=pe.PHONE_ACTA_ENTREGA)
        register("document", pe.handle_phone_acta_asignacion, value=pe.PHONE_ACTA_ASIGNACION)
