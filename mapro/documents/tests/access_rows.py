"""Permission-matrix rows of the official documents (see mapro/core/tests/access_matrix.py).

The list, its export and the API list are OGTIE staff's (``access.READER_ROLES``); a document
is also readable by whoever started its instance (tested in test_pages.py / test_api.py),
anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from mapro.core.tests.access_matrix import Row
from mapro.documents.access import READER_ROLES
from mapro.documents.testing import issued_oficio

READERS = frozenset(READER_ROLES)


def _document_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": issued_oficio().pk}


ROWS: dict[str, Row] = {
    "documents:document_list": Row("html", READERS),
    "documents:document_export": Row("html", READERS),
    "documents:document_detail": Row("html", READERS, kwargs=_document_kwargs, denied=404),
    "documents-api:document-list": Row("api", READERS),
    "documents-api:document-detail": Row("api", READERS, kwargs=_document_kwargs, denied=404),
}
