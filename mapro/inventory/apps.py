from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "mapro.inventory"
    label = "inventory"
    verbose_name = "Inventario de equipos y mantenimientos"

    def ready(self) -> None:
        # Procedure steps write the inventory and its registers (procedure_effects/).
        from mapro.procedures.effects import register_effect_handler as register

        from .procedure_effects import common, maintenance, platforms

        register("register", maintenance.handle_plan, value=common.MAINTENANCE_PLAN)
        register("register", maintenance.handle_register, value=common.MAINTENANCE_REGISTER)
        register("register", maintenance.handle_inventory_update, value=common.COMPUTING_INVENTORY)
        register("register", platforms.handle_inventory, value=common.PLATFORM_INVENTORY)
        register("register", platforms.handle_activity, value=common.PLATFORM_ACTIVITY)
