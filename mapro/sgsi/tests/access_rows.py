"""Permission-matrix rows of the SGSI registers (see mapro/core/tests/access_matrix.py)."""

from __future__ import annotations

from typing import Any

from mapro.core.tests.access_matrix import Row
from mapro.sgsi.access import (
    ASSET_EDITORS,
    ASSET_READERS,
    DOC_APPROVERS,
    DOC_EDITORS,
    DOC_OBSERVERS,
    DOC_READERS,
)
from mapro.sgsi.testing import information_asset, sgsi_document


def _doc(user: Any) -> dict[str, Any]:
    return {"code": sgsi_document().code}


def _version(user: Any) -> dict[str, Any]:
    return {"code": sgsi_document().code, "number": 1}


def _asset(user: Any) -> dict[str, Any]:
    return {"code": information_asset().code}


ROWS: dict[str, Row] = {
    "sgsi:document_list": Row("html", DOC_READERS),
    "sgsi:document_export": Row("html", DOC_READERS),
    "sgsi:document_new": Row("html", DOC_EDITORS),
    "sgsi:document_detail": Row("html", DOC_READERS, kwargs=_doc),
    "sgsi:document_add_version": Row(
        "html", DOC_EDITORS, method="post", data={}, ok=(400,), kwargs=_doc
    ),
    "sgsi:document_observe": Row(
        "html", DOC_OBSERVERS, method="post", data={}, ok=(400,), kwargs=_doc
    ),
    "sgsi:version_approve": Row(
        "html", DOC_APPROVERS, method="post", data={}, ok=(400,), kwargs=_version
    ),
    "sgsi:version_file": Row("html", DOC_READERS, kwargs=_version),
    "sgsi:asset_list": Row("html", ASSET_READERS),
    "sgsi:asset_export": Row("html", ASSET_READERS),
    "sgsi:asset_detail": Row("html", ASSET_READERS, kwargs=_asset),
    "sgsi-api:document-list": Row("api", DOC_READERS),
    "sgsi-api:document-detail": Row("api", DOC_READERS, kwargs=_doc),
    "sgsi-api:document-versions": Row(
        "api", DOC_EDITORS, method="post", data={}, ok=(400,), kwargs=_doc
    ),
    "sgsi-api:version-approve": Row(
        "api", DOC_APPROVERS, method="post", data={}, ok=(400,), kwargs=_version
    ),
    "sgsi-api:document-observations": Row(
        "api", DOC_OBSERVERS, method="post", data={}, ok=(400,), kwargs=_doc
    ),
    "sgsi-api:asset-list": Row("api", ASSET_READERS),
    "sgsi-api:asset-detail": Row("api", ASSET_READERS, kwargs=_asset),
    "sgsi-api:asset-changes": Row(
        "api", ASSET_EDITORS, method="post", data={}, ok=(400,), kwargs=_asset
    ),
}
