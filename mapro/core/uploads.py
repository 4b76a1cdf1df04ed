"""Uploads stop at the size limit while they stream, not after they reach the disk.

Django writes an upload to memory or a temporary file before any view can look at its size, so
a 200 MB POST used to fill the temporary directory before the view answered 400.
``LimitedUploadHandler`` runs first among ``FILE_UPLOAD_HANDLERS``: a request whose declared
length exceeds ``MAX_UPLOAD_REQUEST_BYTES`` is refused before a byte is read, and a file whose
streamed bytes exceed ``MAX_UPLOAD_BYTES`` (the largest file any form accepts) is refused at
the chunk that crosses it; what was buffered is dropped with the temporary file. The error is
both a ``MultiPartParserError`` (DRF answers its JSON 400) and a ``RequestDataTooBig`` (Django
answers the 400 page). The features keep their own, smaller limits (e.g. help-desk attachments,
``HELPDESK_MAX_ATTACHMENT_BYTES``). The reverse proxy should refuse earlier still
(docs/deploy.md: ``client_max_body_size``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError


class UploadTooLarge(MultiPartParserError, RequestDataTooBig):
    """An upload over the limit, stopped while streaming."""


def max_file_bytes() -> int:
    return int(settings.MAX_UPLOAD_BYTES)


def max_request_bytes() -> int:
    return int(settings.MAX_UPLOAD_REQUEST_BYTES)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops the upload past the limit."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        if content_length and content_length > max_request_bytes():
            raise UploadTooLarge(
                f"La solicitud supera el máximo de {_mb(max_request_bytes())}; no se guardó nada."
            )

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_file_bytes():
            raise UploadTooLarge(
                f"El archivo «{self.file_name}» supera el máximo de {_mb(max_file_bytes())}; "
                "no se guardó nada."
            )
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
