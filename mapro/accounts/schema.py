"""OpenAPI description of ``Authorization: Token <token>`` (HashedTokenAuthentication).

Imported when a schema is generated (``mapro.core.api.openapi.apply_deferred``), not by web
workers: ``drf_spectacular.extensions`` loads the whole generator.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HashedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "mapro.accounts.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Token obtenido en POST /api/v1/auth/token/, enviado como "
                "`Authorization: Token <token>`."
            ),
        }
