from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "mapro.knowledge"
    label = "knowledge"
    verbose_name = "Base de conocimiento"
