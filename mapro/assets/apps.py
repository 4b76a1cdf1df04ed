from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "mapro.assets"
    label = "assets"
    verbose_name = "Equipos, dispositivos y restauraciones"
