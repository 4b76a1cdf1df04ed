"""The project's OpenAPI generator: every keyset list documents its page parameters, its
``Link`` headers and its 400 (bad filter, page or unknown parameter) without each view
repeating them. Its 200 body stays a plain array of the row serializer (no ``Paginated…``
wrapper component: the convention has no envelope)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .errors import error_response
from .pagination import LIST_HEADERS, KeysetPagination, page_parameters


class AutoSchema(SpectacularAutoSchema):
    def _is_keyset_list(self) -> bool:
        pagination = getattr(self.view, "pagination_class", None)
        return (
            self.method == "GET"
            and isinstance(pagination, type)
            and issubclass(pagination, KeysetPagination)
            and self._is_list_view()
        )

    def _get_paginator(self) -> Any:
        paginator = super()._get_paginator()
        # The body is the bare array; the page lives in parameters and headers (added below).
        return None if isinstance(paginator, KeysetPagination) else paginator

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._is_keyset_list():
            parameters += [*page_parameters(), *LIST_HEADERS]
        return parameters

    def get_response_serializers(self) -> Any:
        found: Any = super().get_response_serializers()
        if not self._is_keyset_list():
            return found
        responses: dict[Any, Any] = found if isinstance(found, dict) else {200: found}
        if not any(str(code) == "400" for code in responses):
            responses = {**responses, 400: error_response(400)}
        return responses
