"""Shared helpers of the SGSI tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework.test import APIClient


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def as_read_back(row: list[Any]) -> list[Any]:
    """What a spreadsheet gives back for ``row``: dates become midnight datetimes."""
    return [
        dt.datetime.combine(v, dt.time())
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime)
        else v
        for v in row
    ]
