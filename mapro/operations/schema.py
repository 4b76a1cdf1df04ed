"""OpenAPI description of ``Authorization: Bearer <token>`` (RunTokenAuthentication).

Imported when a schema is generated (``mapro.core.api.openapi.apply_deferred``), not by web
workers: ``drf_spectacular.extensions`` loads the whole generator.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class RunTokenScheme(OpenApiAuthenticationExtension):
    target_class = "mapro.operations.authentication.RunTokenAuthentication"
    name = "runTokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Token de un servidor de respaldo o script (Registro de ejecuciones → tokens), "
                "enviado como `Authorization: Bearer <token>`; solo registra ejecuciones."
            ),
        }
