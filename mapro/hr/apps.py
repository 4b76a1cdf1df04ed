from django.apps import AppConfig


class HrConfig(AppConfig):
    name = "mapro.hr"
    label = "hr"
    verbose_name = "Integración con Recursos Humanos"
