"""Registros del SGSI: documentos (políticas, procedimientos, planes, formatos) y el inventario de
activos SGSI-FOR-002 con su gestión de cambios (Formato N° 01)."""

from django.apps import AppConfig


class SgsiConfig(AppConfig):
    name = "mapro.sgsi"
    label = "sgsi"
    verbose_name = "Registros del SGSI"

    def ready(self) -> None:
        # S04.01.00.03 writes the documents register; S04.03.03.02 act. 15 the inventory.
        from mapro.procedures.effects import register_effect_handler

        from .procedure_effects.documents import REGISTER, handle_sgsi_documents
        from .procedure_effects.inventory import (
            CHANGE_LOG,
            INVENTORY,
            handle_change_log,
            handle_inventory,
        )

        register_effect_handler("register", handle_sgsi_documents, value=REGISTER)
        register_effect_handler("register", handle_inventory, value=INVENTORY)
        register_effect_handler("register", handle_change_log, value=CHANGE_LOG)
