from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mapro.incidents"
    label = "incidents"
    verbose_name = "Incidentes de seguridad"
