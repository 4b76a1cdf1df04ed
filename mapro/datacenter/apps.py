from django.apps import AppConfig


class DatacenterConfig(AppConfig):
    name = "mapro.datacenter"
    label = "datacenter"
    verbose_name = "Centro de datos"
