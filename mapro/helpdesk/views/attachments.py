"""HTML views of the help desk. For now: downloading an attachment (the portal and console
screens are built on the same selectors and actions)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest

from mapro.core.exceptions import NotFound

from ..models import Attachment
from ..selectors import get_attachment_for_user


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download: never rendered inline, with the type detected from its bytes.

    ``nosniff`` stops a browser from guessing another type; the sandbox CSP neutralizes the
    file even if someone opens the URL directly.
    """
    try:
        handle = default_storage.open(attachment.stored_name, "rb")
    except OSError:
        raise NotFound("El archivo ya no está disponible.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_download(request: HttpRequest, number: str, pk: int) -> Any:
    """Download an attachment of a ticket the user may see (404 for anything else)."""
    attachment = get_attachment_for_user(request.user, number, pk)
    return attachment_response(attachment)
