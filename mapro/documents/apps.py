"""Documentos oficiales: the oficios, memorándums, informes and actas the procedures leave."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "mapro.documents"
    label = "documents"
    verbose_name = "Documentos oficiales"

    def ready(self) -> None:
        # Kind-level handler: every {document: …} effect without a per-value handler of another
        # app (hr's removal report, assets' actas, iam's VPN records keep theirs) lands here.
        from mapro.procedures.effects import register_effect_handler

        from .procedure_effects import handle_document_effect

        register_effect_handler("document", handle_document_effect)
