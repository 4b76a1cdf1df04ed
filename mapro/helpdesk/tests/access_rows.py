"""Permission-matrix rows of the help desk's newer pages (format: core/tests/access_matrix.py).

Registering on behalf of someone else is the desk's (operador-mesa, jefe-ogtie); everyone else,
the teams included, gets 403."""

from __future__ import annotations

from typing import Any

from mapro.core.tests.access_matrix import Row, roles

DESK = roles("operador-mesa", "jefe-ogtie")


def _category_kwargs(user: Any) -> dict[str, Any]:
    from mapro.helpdesk.testing import simple_category

    return {"code": simple_category().code}


def _inbound_kwargs(user: Any) -> dict[str, Any]:
    """A refused message of the mailbox log, with its original kept."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from mapro.helpdesk.models import InboundMail

    name = default_storage.save("correo-entrante/matriz.eml", ContentFile(b"Subject: x\r\n\r\n"))
    row = InboundMail.objects.create(
        mailbox="helpdesk",
        fingerprint=f"matriz:{InboundMail.objects.count()}:{name}",
        status="rejected",
        error="Prueba de la matriz.",
        raw_name=name,
    )
    return {"pk": row.pk}


ROWS: dict[str, Row] = {
    # The mailbox log and a refused message's original (helpdesk.mailin).
    "helpdesk:mailbox_log": Row("html", DESK),
    "helpdesk:mailbox_original": Row("html", DESK, kwargs=_inbound_kwargs),
    "helpdesk:console_register": Row("html", DESK),
    "helpdesk:console_people": Row("html", DESK),
    "helpdesk:console_register_form": Row("html", DESK, kwargs=_category_kwargs),
}
