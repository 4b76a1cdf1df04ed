"""What the console and portal pages read from a posted form, in one place."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def posted_text(request: HttpRequest, name: str) -> str:
    """A posted text field with the browser's CRLF line ends made LF (as the API stores it)."""
    return request.POST.get(name, "").replace("\r\n", "\n")


def posted_values(request: HttpRequest) -> dict[str, Any]:
    """The posted fields to show again in a form that had errors (no CSRF token)."""
    return {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
