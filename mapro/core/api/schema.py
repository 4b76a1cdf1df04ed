"""The project's OpenAPI generator: every keyset list documents its ``Link`` headers and its
400 (bad filter, page or unknown parameter) without each view repeating them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .errors import error_response
from .pagination import LIST_HEADERS, KeysetPagination


class AutoSchema(SpectacularAutoSchema):
    def _is_keyset_list(self) -> bool:
        return (
            self.method == "GET"
            and isinstance(self._get_paginator(), KeysetPagination)
            and self._is_list_view()
        )

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._is_keyset_list():
            parameters += LIST_HEADERS
        return parameters

    def get_response_serializers(self) -> Any:
        found: Any = super().get_response_serializers()
        if not self._is_keyset_list():
            return found
        responses: dict[Any, Any] = found if isinstance(found, dict) else {200: found}
        if not any(str(code) == "400" for code in responses):
            responses = {**responses, 400: error_response(400)}
        return responses
