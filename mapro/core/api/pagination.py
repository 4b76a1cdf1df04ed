"""One page convention for every API list: a bare JSON list, the next page in ``Link``.

Every list endpoint answers a JSON array of at most ``limit`` rows (1–200, 50 by default) and,
when more rows follow, the headers ``Link: <url>; rel="next"`` (RFC 8288) and
``X-Next-Cursor``. The next URL repeats the request's filters with ``cursor`` set; a client
follows ``rel="next"`` until it is absent. This is the contract ``GET /api/v1/tasks/`` has had
since API v1 (design.md), now shared by every list.

Pages are keyset pages: the cursor holds the ordering values of the page's last row, so a page
costs the same at row 10 and at row 1,000,000 and a row inserted meanwhile neither repeats nor
skips one. ``KeysetPagination`` works on any queryset ordered by model columns (it appends the
primary key as a tie-breaker and sorts NULLs last in both directions so the comparison is
total). A bad ``limit`` or ``cursor`` is a 400 naming the parameter.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from ..exceptions import InvalidInput

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
PAGE_PARAMETERS = ("limit", "cursor")
BAD_CURSOR = 'El cursor no es válido; use el enlace rel="next" de la página anterior.'


def page_limit(request: Request, default: int = PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    """``?limit=`` (default ``default``; above ``maximum`` means ``maximum``); 400 if not a
    positive integer."""
    raw = request.query_params.get("limit")
    if raw in (None, ""):
        return default
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if limit < 1:
        raise InvalidInput(errors={"limit": ["Debe ser un número entero mayor que cero."]})
    return min(limit, maximum)


def next_url(request: Request, cursor: str) -> str:
    """The request's URL with every parameter kept and ``cursor`` replaced."""
    query = [(k, v) for k, values in request.query_params.lists() for v in values if k != "cursor"]
    query.append(("cursor", cursor))
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")


def list_response(request: Request, rows: Any, next_cursor: str | None) -> Response:
    """``rows`` as the body; ``Link``/``X-Next-Cursor`` when there is a next page."""
    response = Response(rows)
    if next_cursor is not None:
        response["Link"] = f'<{next_url(request, next_cursor)}>; rel="next"'
        response["X-Next-Cursor"] = next_cursor
    return response


LIST_HEADERS = [
    OpenApiParameter(
        "Link",
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description='Enlace a la página siguiente (RFC 8288, rel="next"), si la hay.',
    ),
    OpenApiParameter(
        "X-Next-Cursor",
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description="Cursor de la página siguiente, si la hay.",
    ),
]


def page_parameters(default: int = PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> list[Any]:
    """The two query parameters of every list, for ``extend_schema(parameters=...)``."""
    return [
        OpenApiParameter(
            "limit", int, description=f"Filas por página (1–{maximum}, {default} por defecto)."
        ),
        OpenApiParameter(
            "cursor", str, description='Cursor de la página siguiente (del enlace rel="next").'
        ),
    ]


# --- keyset over any queryset ordered by columns ---------------------------------------------


@dataclass(frozen=True)
class _Key:
    path: str  # ORM path, "pk" resolved to the primary key's name
    descending: bool
    field: models.Field[Any, Any]


def _resolve(model: type[models.Model], path: str) -> models.Field[Any, Any]:
    field: Any = None
    current = model
    for part in path.split("__"):
        try:
            field = current._meta.get_field(current._meta.pk.name if part == "pk" else part)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"Keyset ordering on {path!r}: not a column.") from exc
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    if field is None or field.many_to_many or field.one_to_many:
        raise ImproperlyConfigured(f"Keyset ordering on {path!r}: not a single-valued column.")
    if field.is_relation:  # a foreign key orders by its id
        field = field.target_field
    return field  # type: ignore[no-any-return]


def _keys(queryset: QuerySet[Any]) -> list[_Key]:
    ordering: Sequence[Any] = queryset.query.order_by or queryset.model._meta.ordering or ()
    keys: list[_Key] = []
    model = queryset.model
    for item in ordering:
        if isinstance(item, OrderBy) and isinstance(item.expression, F):
            path, descending = str(item.expression.name), item.descending  # type: ignore[attr-defined]
        elif isinstance(item, str) and item != "?":
            path, descending = item.lstrip("-"), item.startswith("-")
        else:
            raise ImproperlyConfigured(f"Keyset ordering on {item!r}: order by columns only.")
        if path == "pk":
            path = model._meta.pk.name
        annotation = queryset.query.annotations.get(path)
        # An annotation (a search rank) orders like a column of its output type; it must
        # round-trip exactly through JSON (cast a float4 rank to float8).
        field = annotation.output_field if annotation is not None else _resolve(model, path)
        keys.append(_Key(path, descending, field))
    pk = model._meta.pk.name
    if not keys or keys[-1].path not in (pk, "pk"):
        descending = keys[-1].descending if keys else False
        keys.append(_Key(pk, descending, model._meta.pk))
    return keys


def _order(keys: list[_Key]) -> list[OrderBy]:
    return [
        F(k.path).desc(nulls_last=True) if k.descending else F(k.path).asc(nulls_last=True)
        for k in keys
    ]


def _after(keys: list[_Key], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order of ``keys`` (NULLs last)."""
    result = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        if value is None:
            beyond = Q(pk__in=[])  # nothing sorts after NULL
            same = Q(**{f"{key.path}__isnull": True})
        else:
            op = "lt" if key.descending else "gt"
            beyond = Q(**{f"{key.path}__{op}": value}) | Q(**{f"{key.path}__isnull": True})
            same = Q(**{key.path: value})
        result |= equal & beyond
        equal &= same
    return result


def _value_of(row: Any, path: str) -> Any:
    if isinstance(row, dict):
        return row[path]
    value = row
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _signature(keys: list[_Key]) -> str:
    text = ",".join(f"{'-' if k.descending else ''}{k.path}" for k in keys)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def encode_cursor(keys: list[_Key], row: Any) -> str:
    payload = [_signature(keys), [_plain(_value_of(row, k.path)) for k in keys]]
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(keys: list[_Key], cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        signature, values = json.loads(raw)
        if signature != _signature(keys) or len(values) != len(keys):
            raise ValueError(cursor)
        return [
            None if v is None else k.field.to_python(v) for k, v in zip(keys, values, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, ValidationError, UnicodeDecodeError) as exc:
        raise InvalidInput(errors={"cursor": [BAD_CURSOR]}) from exc


def keyset_page(
    queryset: QuerySet[Any], *, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """At most ``limit`` rows of ``queryset`` after ``cursor``, and the next page's cursor."""
    keys = _keys(queryset)
    queryset = queryset.order_by(*_order(keys))
    if cursor:
        queryset = queryset.filter(_after(keys, decode_cursor(keys, cursor)))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(keys, rows[-1])


class KeysetPagination(BasePagination):
    """DRF pagination class of the convention above (``DEFAULT_PAGINATION_CLASS``)."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        limit = page_limit(request)
        self.request = request
        # An empty cursor is the first page (as in the inbox), not an error.
        rows, self.next_cursor = keyset_page(
            queryset, cursor=request.query_params.get("cursor") or None, limit=limit
        )
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return list_response(self.request, data, self.next_cursor)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return schema

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": f"Filas por página (1–{MAX_PAGE_SIZE}, {PAGE_SIZE} por defecto).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": 'Cursor de la página siguiente (del enlace rel="next").',
                "schema": {"type": "string"},
            },
        ]
