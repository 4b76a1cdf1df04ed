"""The API kit every domain uses: one error body, one list convention, one list base view.

- ``errors``: ``exception_handler`` (settings), ``ErrorSerializer`` (the ``Error`` component),
  ``error_responses`` for ``extend_schema``, ``validated_body`` for request bodies.
- ``pagination``: ``KeysetPagination`` (bare list + ``Link: rel="next"``), ``list_response``
  for lists paged by their own selector, ``page_limit``.
- ``views``: ``ListView`` (FilterSet + keyset page + unknown parameters refused; a list
  endpoint in a few lines with its class keywords).

docs/api.md describes the conventions for API clients.
"""

from .errors import (
    ERRORS,
    ErrorSerializer,
    error_response,
    error_responses,
    exception_handler,
    flatten_errors,
    validated_body,
)
from .pagination import (
    LIST_HEADERS,
    KeysetPagination,
    keyset_page,
    list_response,
    page_limit,
    page_parameters,
)
from .views import ListView, check_parameters

__all__ = [
    "ERRORS",
    "LIST_HEADERS",
    "ErrorSerializer",
    "KeysetPagination",
    "ListView",
    "check_parameters",
    "error_response",
    "error_responses",
    "exception_handler",
    "flatten_errors",
    "keyset_page",
    "list_response",
    "page_limit",
    "page_parameters",
    "validated_body",
]
