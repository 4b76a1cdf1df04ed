"""Test factories of the SGSI registers: documents and assets made through the actions."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from mapro.core.testing import make_user


def sgsi_document(code: str = "SGSI-POL-001", *, approved: bool = False, actor: Any = None) -> Any:
    """A registered document with a first version (approved with a Memorándum if asked)."""
    from .actions.documents import do_add_version, do_approve_version, do_register_document
    from .models import SgsiDocument

    document = SgsiDocument.objects.filter(code=code).first()
    if document is None:
        editor = actor or make_user("esp-seguridad-info")
        document = do_register_document(
            code=code, title=f"Documento {code}", owner_team="sgsi", actor=editor
        )
        version = do_add_version(
            document, file=ContentFile(b"%PDF-1.4 v1", name="v1.pdf"), actor=editor
        )
        if approved:
            do_approve_version(
                version,
                approval_document="MEMORÁNDUM N° 001-2026-MINDEF/SG-OGTIE",
                approved_on="2026-01-15",
                actor=make_user("jefe-ogtie"),
            )
        document.refresh_from_db()
    return document


def information_asset(serial: str = "SN-0001", actor: Any = None) -> Any:
    from .actions.inventory import do_register_asset
    from .models import InformationAsset

    found = InformationAsset.objects.filter(serial=serial).first()
    if found is not None:
        return found
    return do_register_asset(
        actor=actor or make_user("esp-seguridad-info"),
        name="Servidor de archivos",
        asset_type="hardware",
        serial=serial,
    )
