"""API plumbing shared by every domain: one exception handler, JSON bodies for every error."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import InvalidInput, MaproError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, MaproError):
        body: dict[str, Any] = {"detail": exc.message}
        if isinstance(exc, InvalidInput) and exc.errors:
            body["errors"] = exc.errors
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No encontrado.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("No tiene permiso para realizar esta acción.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Los datos enviados no son válidos.", "errors": response.data}
    if response.status_code == status.HTTP_403_FORBIDDEN and isinstance(
        exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed
    ):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response
