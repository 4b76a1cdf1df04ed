"""Permission-matrix rows of the official documents (see mapro/core/tests/access_matrix.py).

The list, its export and the API list are OGTIE staff's (``access.READER_ROLES``); a document
is also readable by whoever started its instance (tested in test_pages.py / test_api.py),
anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from mapro.core.tests.access_matrix import ANY_USER, Row, roles
from mapro.documents.access import READER_ROLES
from mapro.documents.testing import issued_oficio

READERS = frozenset(READER_ROLES)


def _an_oficio(not_by: Any = None) -> Any:
    """The test's oficio, issued once and shared by every user the row tries (issuing walks
    two steps of a procedure: a few hundred milliseconds, times every role of the row)."""
    from mapro.documents.models import Document

    shared = Document.objects.filter(kind="Oficio").exclude(issued_by=not_by).order_by("pk")
    return shared.first() or issued_oficio()


def _document_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": _an_oficio().pk}


def _own_document_kwargs(user: Any) -> dict[str, Any]:
    """An oficio the acting user issued when they are a jefe-ogtie (step 2 is theirs), else one
    another jefe issued: signing is scoped to one's own documents (anyone else: 404)."""
    from mapro.organization.permissions import has_role

    mine = user is not None and has_role(user, ["jefe-ogtie"])
    return {"pk": (issued_oficio(jefe=user) if mine else _an_oficio(not_by=user)).pk}


ISSUER = roles("jefe-ogtie")

ROWS: dict[str, Row] = {
    "documents:document_pdf": Row("html", READERS, kwargs=_document_kwargs, denied=404),
    "documents:document_verify": Row("html", ANY_USER),
    "documents:document_sign": Row("html", ISSUER, kwargs=_own_document_kwargs, denied=404),
    "documents:document_external_signature": Row(
        "html", ISSUER, method="post", data={}, ok=(400,), kwargs=_own_document_kwargs, denied=404
    ),
    "documents-api:document-pdf": Row("api", READERS, kwargs=_document_kwargs, denied=404),
    "documents-api:document-verify": Row("api", ANY_USER, method="post", data={}, ok=(400,)),
    "documents-api:document-sign": Row(
        "api", ISSUER, method="post", data={}, ok=(400,), kwargs=_own_document_kwargs, denied=404
    ),
    "documents-api:document-external-signature": Row(
        "api", ISSUER, method="post", data={}, ok=(400,), kwargs=_own_document_kwargs, denied=404
    ),
    "documents:document_list": Row("html", READERS),
    "documents:document_export": Row("html", READERS),
    "documents:document_detail": Row("html", READERS, kwargs=_document_kwargs, denied=404),
    "documents-api:document-list": Row("api", READERS),
    "documents-api:document-detail": Row("api", READERS, kwargs=_document_kwargs, denied=404),
}
