"""The project's OpenAPI generator: every keyset list documents its page parameters, its
``Link`` headers and its 400 (bad filter, page or unknown parameter) without each view
repeating them. Its 200 body stays a plain array of the row serializer (no ``Paginated…``
wrapper component: the convention has no envelope).

An operation is described only by its ``extend_schema(description=…)``, in Spanish, as the schema
speaks to its readers: never by a docstring, which drf-spectacular would otherwise publish (the
view's or its method's, or ``ListView``'s inherited by every list: a developer's note, in
English). A keyset list without a description of its own says the list convention
(``LIST_DESCRIPTION``); anything else has none.

A component (a serializer's schema) likewise: only its
``extend_schema_serializer(description=…)``, in Spanish, never the serializer's docstring.

Imported only to generate a schema: ``SchemaGenerator`` (``DEFAULT_GENERATOR_CLASS``) first
applies the ``@extend_schema`` that ``mapro.core.api.openapi`` deferred.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.generators import SchemaGenerator as SpectacularSchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_override

from .errors import error_response
from .openapi import apply_deferred, deferred_applied
from .pagination import LIST_HEADERS, KeysetPagination, page_parameters

#: What a list without a description of its own says: the one list convention (docs/api.md).
LIST_DESCRIPTION = (
    "Las filas que el usuario puede ver, filtradas por los parámetros indicados, por páginas: "
    "`limit` filas a la vez; si hay más, la cabecera "
    '`Link` (`rel="next"`) da la URL de la página siguiente y `X-Next-Cursor` su cursor. Un '
    "filtro, un `limit` o un `cursor` no válidos, o un parámetro desconocido, responden 400 "
    "nombrando el parámetro."
)


class SchemaGenerator(SpectacularSchemaGenerator):
    """drf-spectacular's generator, after the deferred ``@extend_schema`` are applied."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        apply_deferred()
        super().__init__(*args, **kwargs)


class AutoSchema(SpectacularAutoSchema):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # A view's schema read before the deferred decorators are applied would silently lack
        # them (its class was not built yet): generate through SchemaGenerator above.
        if not deferred_applied():
            raise RuntimeError(
                "The OpenAPI schema classes are built by "
                "mapro.core.api.openapi.apply_deferred(): generate the schema with "
                "mapro.core.api.schema.SchemaGenerator (DEFAULT_GENERATOR_CLASS)."
            )
        super().__init__(*args, **kwargs)

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

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular's own signature
        # Reached only when the operation's extend_schema gives no description (drf-spectacular's
        # decorator answers it before this): what the base would return is a docstring.
        return LIST_DESCRIPTION if self._is_keyset_list() else ""

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        # drf-spectacular falls back on the serializer's docstring (a developer's note, in
        # English): a component says only its extend_schema_serializer(description=…).
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        rest = {k: v for k, v in schema.items() if k not in ("type", "description")}
        described = str(get_override(serializer, "description", "")).strip()
        return {"type": schema["type"], **({"description": described} if described else {}), **rest}

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


#: What drf-spectacular's enum hook generates without a description of its own: the value a
#: choice field that may be left blank (or null) accepts besides its choices.
GENERATED_ENUMS = {
    "BlankEnum": "Cadena vacía: el campo se deja sin valor.",
    "NullEnum": "Nulo: el campo se deja sin valor.",
}


def describe_generated_enums(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook (after drf-spectacular's ``postprocess_schema_enums``): the enums it
    generates are described in Spanish, as every component is."""
    for name, text in GENERATED_ENUMS.items():
        schema = result.get("components", {}).get("schemas", {}).get(name)
        if schema is not None and not schema.get("description"):
            schema["description"] = text
    return result
