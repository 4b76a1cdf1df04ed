from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "mapro.inventory"
    label = "inventory"
    verbose_name = "Inventario de equipos y mantenimientos"
