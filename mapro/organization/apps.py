from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "mapro.organization"
    label = "organization"
    verbose_name = "Organización"
