"""Shared helpers for the help-desk tests: the seeded organization and categories, people in
their teams, tickets made through the real actions, and small real files of each type."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from mapro.core.testing import make_user
from mapro.helpdesk.actions import do_create_ticket
from mapro.helpdesk.models import Category, Ticket
from mapro.organization.models import Unit

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="necesita PostgreSQL (DATABASE_URL)"
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def ooxml(kind: str) -> bytes:
    """A minimal real .docx (``word``) or .xlsx (``sheet``) package."""
    main = {
        "word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "sheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    }[kind]
    part = "/word/document.xml" if kind == "word" else "/xl/workbook.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="{part}" ContentType="{main}"/></Types>',
        )
        archive.writestr(part.lstrip("/"), "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes = PDF_BYTES, content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def requester_user(unit_code: str = "DIGEP") -> Any:
    return make_user("personal", unit=unit(unit_code))


def staff_user(role: str, unit_code: str = "OGTIE-INFRAESTRUCTURA") -> Any:
    return make_user(role, unit=unit(unit_code))


def new_ticket(actor: Any, code: str = "soporte-tecnico", **kwargs: Any) -> Ticket:
    values: dict[str, Any] = {
        "subject": "La impresora no imprime",
        "description": "La impresora del piso 3 muestra un error de papel.",
        "data": {"ubicacion": "Piso 3, oficina 301"} if code == "soporte-tecnico" else {},
    }
    values.update(kwargs)
    return do_create_ticket(actor=actor, category=category(code), **values)


def generic_plan(sql: str, params: tuple[Any, ...], index: str) -> str:
    """The plan PostgreSQL keeps for ``sql`` once prepared (its generic plan: each parameter a
    ``$n`` whose value it does not know), with ``index`` the only non-constraint index on the
    ticket table and no sequential scan, bitmap or sort to fall back on. Run it inside the
    test's transaction: the indexes come back with the rollback."""
    import re

    from psycopg.sql import Literal

    numbered = iter(range(1, len(params) + 1))
    statement = re.sub("%s", lambda _: f"${next(numbered)}", sql)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'helpdesk_ticket' AND indexname"
            " NOT IN (SELECT conname FROM pg_constraint) AND indexname <> %s",
            [index],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        types = ", ".join("bigint" if isinstance(p, int) else "text" for p in params)
        cursor.execute(f"PREPARE generic_page({types}) AS {statement}")
        raw = connection.connection  # values written out: EXPLAIN takes no parameters
        values = ", ".join(Literal(p).as_string(raw) for p in params)
        cursor.execute(f"EXPLAIN EXECUTE generic_page({values})")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE generic_page")
    return plan
