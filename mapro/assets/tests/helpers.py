"""Shared helpers of the assets tests: API clients and counts that prove nothing changed."""

from __future__ import annotations

from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent

API = "/api/v1"


def api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def errors(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response.content
    return response.json().get("errors", {})  # type: ignore[no-any-return]


def blank(value: Any) -> Any:
    """Empty cells read back from XLSX as None; the export writes ''."""
    return "" if value is None else value
