"""Refuse query parameters with characters no field accepts, before any view sees them.

A NUL byte (``?q=%00``) reaches PostgreSQL as a text parameter and fails there (a 500); other
C0 control characters and undecodable bytes (Django turns them into U+FFFD) are never valid in
a filter or search either. ``InvalidQueryMiddleware`` answers 400 naming the parameter: the
API's error body (``{"detail", "errors": {field: [msg]}}``), the site's 400 page for HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

# C0 controls but tab, newline and carriage return; DEL; the replacement character (bytes
# that were not UTF-8); lone surrogates.
INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
MESSAGE = "Contiene caracteres no válidos (p. ej. un byte nulo)."


def invalid_parameters(request: HttpRequest) -> dict[str, list[str]]:
    """Parameter name → error, for every query parameter (name or value) with invalid text."""
    errors: dict[str, list[str]] = {}
    for name, values in request.GET.lists():
        if INVALID.search(name) or any(INVALID.search(v) for v in values):
            shown = INVALID.sub("?", name)[:100] or "?"
            errors[shown] = [MESSAGE]
    return errors


class InvalidQueryMiddleware:
    """400 for a query string with invalid characters (module doc), naming the parameters."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        errors = invalid_parameters(request)
        if not errors:
            return self.get_response(request)
        detail = "Parámetros no válidos: " + ", ".join(sorted(errors)) + "."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail, "errors": errors}, status=400)
        from .middleware import error_page

        return error_page(
            request, 400, detail, errors={k: [f"{k}: {m}" for m in v] for k, v in errors.items()}
        )
