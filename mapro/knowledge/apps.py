"""Base de conocimiento."""

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "mapro.knowledge"
    label = "knowledge"
    verbose_name = "Base de conocimiento"

    def ready(self) -> None:
        # S04.04.00.03 act. 12 {register: "Base de conocimiento"} drafts an article.
        from mapro.procedures.effects import register_effect_handler

        from .procedure_effects import KNOWLEDGE_BASE, handle_knowledge_effect

        register_effect_handler("register", handle_knowledge_effect, value=KNOWLEDGE_BASE)
