"""One error body for every API answer: ``{"detail": str, "errors": {field: [message, ...]}}``.

``detail`` says what went wrong in one Spanish sentence; ``errors`` (only for bad input) maps a
field to its messages. A field inside a list or an object is named by its dotted path, the row
by its 0-based index (``equipos.2.cantidad``), the way the task completion names the fields of
a form: the map is never nested, so a client reads every error the same way. Errors that belong
to no field are under ``__all__``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import InvalidInput, MaproError

NO_FIELD = "__all__"
INVALID_INPUT = "Los datos enviados no son válidos."


def flatten_errors(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail (or an action's ``errors``) as ``{dotted.path: [messages]}``."""
    flat: dict[str, list[str]] = {}

    def add(path: str, message: Any) -> None:
        bucket = flat.setdefault(path or NO_FIELD, [])
        text = str(message)
        if text not in bucket:
            bucket.append(text)

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                name = NO_FIELD if key in (NO_FIELD, "non_field_errors") and not path else key
                walk(child, f"{path}.{name}" if path else str(name))
        elif isinstance(node, list | tuple):
            for index, child in enumerate(node):
                if isinstance(child, dict | list | tuple):
                    if child:  # DRF reports the rows without errors as {} or []
                        walk(child, f"{path}.{index}" if path else str(index))
                else:
                    add(path, child)
        elif node is not None:
            add(path, node)

    walk(detail, "")
    return flat


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every failure as the one error body; ``MaproError`` kinds keep their status."""
    if isinstance(exc, MaproError):
        body: dict[str, Any] = {"detail": exc.message}
        if isinstance(exc, InvalidInput) and exc.errors:
            body["errors"] = flatten_errors(exc.errors)
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No encontrado.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("No tiene permiso para realizar esta acción.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": INVALID_INPUT, "errors": flatten_errors(exc.detail)}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    if response.status_code == status.HTTP_403_FORBIDDEN and isinstance(
        exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed
    ):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response


@extend_schema_serializer(
    description=(
        "El cuerpo de toda respuesta de error: `detail` dice qué salió mal; `errors`, solo en las "
        "respuestas 400, los mensajes por campo."
    )
)
class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every error answer (OpenAPI component ``Error``)."""

    detail = serializers.CharField(help_text="Qué salió mal, en una frase.")
    # Only for the schema; DRF's metaclass moves declared fields off the class, so this does
    # not shadow ``Serializer.errors``.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Mensajes por campo; un campo de una fila de una lista se nombra por su "
        "ruta con puntos (equipos.2.cantidad). Solo en las respuestas 400.",
    )


_DESCRIPTIONS = {
    400: "Datos no válidos (errores por campo).",
    401: "Sin credenciales válidas.",
    403: "Su rol no permite esta acción.",
    404: "No existe o está fuera de su ámbito.",
    409: "La operación entra en conflicto con el estado actual.",
    413: "El cuerpo de la solicitud es demasiado grande.",
}


def error_response(code: int, description: str | None = None) -> OpenApiResponse:
    """The documented error answer ``code`` (``ErrorSerializer``), with its usual description."""
    return OpenApiResponse(ErrorSerializer, description=description or _DESCRIPTIONS[code])


def error_responses(*codes: int, **descriptions: str) -> dict[int, OpenApiResponse]:
    """``{code: error_response(code)}`` for ``extend_schema(responses=...)``.

    ``error_responses(400, 403, e409="Ya completada.")`` documents 400 and 403 with the usual
    text and 409 with its own.
    """
    found = {int(key.lstrip("e")): text for key, text in descriptions.items()}
    return {code: error_response(code, found.get(code)) for code in sorted({*codes, *found})}


ERRORS = error_responses(400, 403, 404, 409)


def validated_body(serializer_class: type, request: Request, **context: Any) -> dict[str, Any]:
    """The request body validated by ``serializer_class`` (400 with the field errors if not)."""
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    if not isinstance(request.data, dict) and not getattr(serializer, "many", False):
        raise InvalidInput(errors={NO_FIELD: ["Envíe un objeto JSON."]})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
