"""Uploads stop at the size limit while streaming (issue 13, item 5).

A spy upload handler placed after ``LimitedUploadHandler`` counts the bytes that reach the
handlers that would write them (memory or the temporary directory): past the limit, the next
chunk never gets there, and the answer is a 400 that names the limit.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from rest_framework.test import APIClient

from mapro.helpdesk.models import Attachment
from mapro.helpdesk.testing import ticket_in_status

from .helpers import requester_user

pytestmark = pytest.mark.django_db

LIMIT = 256 * 1024
CHUNK = 64 * 1024


class Spy(FileUploadHandler):
    """Counts what passes the limiter (class attribute: one request at a time in a test)."""

    chunk_size = CHUNK
    seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        type(self).seen += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture
def limited(settings: Any, tmp_path: Any) -> None:
    settings.MAX_UPLOAD_BYTES = LIMIT
    settings.MAX_UPLOAD_REQUEST_BYTES = 64 * LIMIT
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_HANDLERS = [
        "mapro.core.uploads.LimitedUploadHandler",
        f"{__name__}.Spy",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    Spy.seen = 0


def _big(size: int) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("grande.pdf", b"%PDF-1.4\n" + b"0" * size, "application/pdf")


def test_api_upload_over_the_limit_stops_while_streaming(org: Any, limited: None) -> None:
    user = requester_user()
    ticket = ticket_in_status(user.person)
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        f"/api/v1/tickets/{ticket.number}/attachments/", {"archivos": [_big(16 * LIMIT)]}
    )
    assert response.status_code == 400, response.content
    assert "supera el máximo" in response.json()["detail"]
    # The handlers that write to memory or disk got at most the limit plus one chunk.
    assert Spy.seen <= LIMIT + CHUNK
    assert not Attachment.objects.exists()


def test_a_declared_length_over_the_request_cap_is_refused_before_reading(
    org: Any, limited: None, settings: Any
) -> None:
    settings.MAX_UPLOAD_REQUEST_BYTES = LIMIT
    user = requester_user()
    ticket = ticket_in_status(user.person)
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        f"/api/v1/tickets/{ticket.number}/attachments/", {"archivos": [_big(2 * LIMIT)]}
    )
    assert response.status_code == 400
    assert Spy.seen == 0


def test_page_upload_over_the_limit_is_a_400_page(org: Any, limited: None) -> None:
    user = requester_user()
    ticket = ticket_in_status(user.person)
    browser = Client()
    browser.force_login(user)
    response = browser.post(
        f"/mesa-de-ayuda/solicitudes/{ticket.number}/comentar/",
        {"body": "Adjunto", "archivos": [_big(16 * LIMIT)]},
    )
    assert response.status_code == 400
    assert Spy.seen <= LIMIT + CHUNK
    assert not Attachment.objects.exists()


def test_a_file_under_the_limit_passes(org: Any, limited: None) -> None:
    user = requester_user()
    ticket = ticket_in_status(user.person)
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        f"/api/v1/tickets/{ticket.number}/attachments/", {"archivos": [_big(LIMIT // 2)]}
    )
    assert response.status_code in (201, 400)  # the content check decides, not the limiter
    assert Spy.seen >= LIMIT // 2
