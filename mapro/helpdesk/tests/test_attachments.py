"""Attachments: type by content, extension must match, size limit, safe downloads in scope."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.helpdesk import attachments
from mapro.helpdesk.actions import do_attach_file, do_comment_ticket
from mapro.helpdesk.models import Attachment
from mapro.helpdesk.testing import ticket_in_status

from .helpers import (
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    category,
    ooxml,
    requester_user,
    staff_user,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", PDF_BYTES, attachments.PDF),
        ("a.png", PNG_BYTES, attachments.PNG),
        ("a.jpg", JPEG_BYTES, attachments.JPEG),
        ("a.docx", ooxml("word"), attachments.DOCX),
        ("a.xlsx", ooxml("sheet"), attachments.XLSX),
        ("a.txt", "Cañón dañado\n".encode(), attachments.TEXT),
        ("a.csv", b"dni;nombre\n12345678;Ana\n", attachments.CSV),
    ],
)
def test_allowed_types_are_detected_by_content(name, content, kind):
    checked = attachments.check_upload(upload(name, content, "application/octet-stream"))
    assert checked.content_type == kind
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("factura.pdf", EXE_BYTES, "no es de un tipo permitido"),  # a renamed .exe
        ("programa.exe", EXE_BYTES, "no es de un tipo permitido"),
        ("foto.pdf", PNG_BYTES, "no corresponde a su contenido"),  # a PNG named .pdf
        ("informe.docx", ooxml("sheet"), "no corresponde a su contenido"),
        ("comprimido.docx", b"PK\x03\x04" + b"\x00" * 40, "no es de un tipo permitido"),
        ("vacio.txt", b"", "está vacío"),
        ("binario.txt", b"abc\x00\x01def", "no es de un tipo permitido"),
    ],
)
def test_disguised_or_bad_files_are_refused(name, content, message):
    with pytest.raises(InvalidInput) as info:
        attachments.check_upload(upload(name, content, "application/pdf"))
    assert message in info.value.errors["archivo"][0]


def test_oversize_is_refused_before_storing(org, settings):
    settings.HELPDESK_MAX_ATTACHMENT_BYTES = 1024
    user = requester_user()
    ticket = ticket_in_status(user.person)
    big = upload("grande.pdf", PDF_BYTES + b"0" * 2000)
    with pytest.raises(InvalidInput) as info:
        do_attach_file(ticket, actor=user, files=[big])
    assert "supera el tamaño máximo" in info.value.errors["archivos"][0]
    assert Attachment.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "helpdesk").exists()


def _attached(actor, ticket, internal=False, name="evidencia.pdf", content=PDF_BYTES):
    (attachment,) = do_attach_file(
        ticket, actor=actor, files=[upload(name, content)], internal=internal
    )
    return attachment


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_download_headers(org, client):
    user = requester_user()
    ticket = ticket_in_status(user.person)
    attachment = _attached(user, ticket, name="Declaración jurada.pdf")
    client.force_login(user)
    response = client.get(f"/mesa-de-ayuda/tickets/{ticket.number}/adjuntos/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Declaraci" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    api = _api(user).get(f"/api/v1/tickets/{ticket.number}/attachments/{attachment.pk}/download/")
    assert api.status_code == 200
    assert api["Content-Disposition"].startswith("attachment;")
    assert api["X-Content-Type-Options"] == "nosniff"


def test_download_out_of_scope_is_404(org, client):
    owner = requester_user()
    ticket = ticket_in_status(owner.person)
    attachment = _attached(owner, ticket)
    stranger = requester_user()
    client.force_login(stranger)
    url = f"/mesa-de-ayuda/tickets/{ticket.number}/adjuntos/{attachment.pk}/"
    assert client.get(url).status_code == 404
    api = _api(stranger).get(
        f"/api/v1/tickets/{ticket.number}/attachments/{attachment.pk}/download/"
    )
    assert api.status_code == 404
    # An attachment id of another ticket, through a ticket the user may see: 404 as well.
    own = ticket_in_status(stranger.person)
    client.force_login(stranger)
    assert (
        client.get(f"/mesa-de-ayuda/tickets/{own.number}/adjuntos/{attachment.pk}/").status_code
        == 404
    )


def test_internal_attachments_are_hidden_from_the_requester(org, client):
    requester = requester_user()
    ticket = ticket_in_status(
        requester.person,
        "en_atencion",
        category=category("soporte-tecnico"),
        data={"ubicacion": "Piso 1"},
    )
    tech = staff_user("resp-soporte")  # of OGTIE-INFRAESTRUCTURA, the category's team
    internal = _attached(tech, ticket, internal=True, name="diagnostico.pdf")
    public = _attached(tech, ticket, name="manual.pdf")
    client.force_login(requester)
    base = f"/mesa-de-ayuda/tickets/{ticket.number}/adjuntos"
    assert client.get(f"{base}/{internal.pk}/").status_code == 404
    assert client.get(f"{base}/{public.pk}/").status_code == 200
    listed = _api(requester).get(f"/api/v1/tickets/{ticket.number}/attachments/").json()
    assert [a["original_name"] for a in listed] == ["manual.pdf"]
    listed = _api(tech).get(f"/api/v1/tickets/{ticket.number}/attachments/").json()
    assert [a["original_name"] for a in listed] == ["diagnostico.pdf", "manual.pdf"]


def test_requesters_cannot_add_internal_files_or_notes(org):
    requester = requester_user()
    ticket = ticket_in_status(requester.person, "en_atencion")
    with pytest.raises(Forbidden):
        _attached(requester, ticket, internal=True)
    with pytest.raises(Forbidden):
        do_comment_ticket(ticket, actor=requester, body="secreto", internal=True)


def test_upload_through_the_api(org):
    user = requester_user()
    ticket = ticket_in_status(user.person)
    url = f"/api/v1/tickets/{ticket.number}/attachments/"
    ok = _api(user).post(url, {"archivos": [upload("foto.png", PNG_BYTES, "image/png")]})
    assert ok.status_code == 201, ok.json()
    assert ok.json()[0]["content_type"] == "image/png"
    bad = _api(user).post(url, {"archivos": [upload("foto.pdf", EXE_BYTES)]})
    assert bad.status_code == 400
    assert "archivos" in bad.json()["errors"]
    assert Attachment.objects.filter(ticket=ticket).count() == 1
