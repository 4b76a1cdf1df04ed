"""Mail into tickets through a real IMAP server (Dovecot, ``.ci/dovecot.sh``).

A message delivered to the help-desk mailbox becomes a ticket with its attachments; a reply to
the ticket's mail threads into it; unknown senders are answered with the portal; refused
messages (program attached, oversized, malformed) stay for a person, in the mailbox log and in
the server's "Revisar" folder. A report forwarded to the phishing mailbox starts S04.04.00.02
with the message attached as .eml, and its analysis is proposed to the analyst; what the analyst
confirms goes to the block list.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest
from django.core.files.storage import default_storage

from mapro.core.testing import make_user
from mapro.helpdesk.mailin.imap import fetch_all
from mapro.helpdesk.models import Category, InboundMail, Ticket
from mapro.notifications.delivery import message_id_for
from mapro.notifications.models import OutboxMessage
from mapro.procedures.models import TaskRecord, WorkItem
from mapro.procedures.task_forms import task_form

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def requester(db: Any) -> Any:
    from mapro.core.testing import ensure_unit

    Category.objects.get_or_create(
        code="por-clasificar",
        defaults={"name": "Recibido por correo", "team": ensure_unit("OGTIE")},
    )
    user = make_user("personal", username="rquispe")
    user.person.email = "rquispe@mindef.gob.pe"
    user.person.save(update_fields=["email"])
    return user


def _mail(sender: str, subject: str, body: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "mesadeayuda@mindef.gob.pe"
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("message_id", f"<{abs(hash(subject))}@mindef.gob.pe>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def test_a_mail_becomes_a_ticket_with_its_attachments_and_its_reply_threads(
    imap_mailboxes: Any, requester: Any
) -> None:
    first = _mail("Rosa Quispe <rquispe@mindef.gob.pe>", "La impresora no imprime", "Piso 3.")
    first.add_attachment(PDF, maintype="application", subtype="pdf", filename="informe.pdf")
    first.add_attachment(b"log de errores\n", maintype="text", subtype="plain", filename="e.txt")
    imap_mailboxes.deliver("helpdesk", first.as_bytes())
    fetch_all()

    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel, ticket.requester) == (
        "La impresora no imprime",
        "correo",
        requester.person,
    )
    assert "Piso 3." in ticket.description
    assert sorted(a.original_name for a in ticket.attachments.all()) == ["e.txt", "informe.pdf"]
    assert imap_mailboxes.count("helpdesk", "INBOX") == 0
    assert imap_mailboxes.count("helpdesk", "Procesados") == 1
    registered = OutboxMessage.objects.get(
        key__startswith=f"helpdesk:ticket:{ticket.pk}:registrado"
    )
    assert registered.recipients == ["rquispe@mindef.gob.pe"]

    # The requester answers the "registrado" mail: In-Reply-To names its Message-ID.
    reply = _mail(
        "rquispe@mindef.gob.pe",
        f"Re: {registered.subject}",
        "Ya probé reiniciarla.",
        message_id="<respuesta-1@mindef.gob.pe>",
        In_Reply_To=message_id_for(registered.key),
    )
    reply.add_attachment(b"foto\n", maintype="text", subtype="plain", filename="foto.txt")
    imap_mailboxes.deliver("helpdesk", reply.as_bytes())
    fetch_all()
    assert Ticket.objects.count() == 1
    comment = ticket.actions.filter(kind="comment").get()
    assert comment.body == "Ya probé reiniciarla." and comment.author == requester
    assert [a.original_name for a in comment.attachments.all()] == ["foto.txt"]
    assert InboundMail.objects.get(message_id="<respuesta-1@mindef.gob.pe>").ticket == ticket

    # Delivered twice (a crash before the move): still one ticket, one comment.
    imap_mailboxes.deliver("helpdesk", first.as_bytes())
    fetch_all()
    assert Ticket.objects.count() == 1 and InboundMail.objects.count() == 2


def test_unknown_sender_is_answered_with_the_portal(imap_mailboxes: Any, requester: Any) -> None:
    imap_mailboxes.deliver("helpdesk", _mail("x@gmail.com", "Ayuda", "Hola").as_bytes())
    fetch_all()
    assert not Ticket.objects.exists()
    row = InboundMail.objects.get()
    assert row.status == "unknown_sender"
    answer = OutboxMessage.objects.get(key=f"mailin:{row.pk}:desconocido")
    assert answer.recipients == ["x@gmail.com"] and "portal" in answer.body_text


def test_refused_messages_stay_for_a_person_with_a_clear_error(
    imap_mailboxes: Any, requester: Any, settings: Any
) -> None:
    program = _mail("rquispe@mindef.gob.pe", "Instalador", "Adjunto el programa.")
    program.add_attachment(
        b"MZ\x90\x00binario", maintype="application", subtype="octet-stream", filename="setup.exe"
    )
    imap_mailboxes.deliver("helpdesk", program.as_bytes())
    imap_mailboxes.deliver("helpdesk", b"Subject: sin remitente\r\n\r\nhola\r\n")
    settings.HELPDESK_MAIL_MAX_BYTES = 50_000
    big = _mail("rquispe@mindef.gob.pe", "Fotos", "Adjunto fotos.")
    big.add_attachment(b"x" * 80_000, maintype="text", subtype="plain", filename="grande.txt")
    imap_mailboxes.deliver("helpdesk", big.as_bytes())
    fetch_all()

    assert not Ticket.objects.exists()
    rows = list(InboundMail.objects.order_by("id"))
    assert [r.status for r in rows] == ["rejected"] * 3
    errors = " | ".join(r.error for r in rows)
    assert "adjunto ejecutable («setup.exe»)" in errors
    assert "no tiene un remitente (From) válido" in errors
    assert "supera el tamaño máximo de 48 KB" in errors
    # The program's message is kept whole for a person; the oversized one stays on the server.
    kept = default_storage.open(next(r for r in rows if r.subject == "Instalador").raw_name).read()
    assert b"setup.exe" in kept
    assert imap_mailboxes.count("helpdesk", "Revisar") == 3
    assert imap_mailboxes.count("helpdesk", "INBOX") == 0


PHISH_HTML = """<html><body><p>Su buzón superó el límite.</p>
<a href="https://mindef-gob.pe.example/login?u=1">Validar cuenta</a></body></html>"""


def _phishing_report(reporter: str) -> bytes:
    original = EmailMessage()
    original["Received"] = (
        "from mail.mindef-gob.pe.example (unknown [185.220.101.45]) by mx.mindef.gob.pe "
        "(Postfix) with ESMTP id 1; Mon, 1 Sep 2025 08:40:00 -0500"
    )
    original["Received"] = "from [10.1.2.3] (helo=pc) by relay.local with SMTP; Mon, 1 Sep 2025"
    original["Return-Path"] = "<rebote@envios.example>"
    original["From"] = "Soporte MINDEF <soporte@mindef-gob.pe.example>"
    original["To"] = "rquispe@mindef.gob.pe"
    original["Subject"] = "Su buzón ha superado el límite"
    original["Date"] = "Mon, 01 Sep 2025 08:40:00 -0500"
    original["Message-ID"] = "<phish-1@mindef-gob.pe.example>"
    original.set_content("Su buzón superó el límite. Entre a https://mindef-gob.pe.example/login")
    original.add_alternative(PHISH_HTML, subtype="html")
    original.add_attachment(
        b"MZ\x90\x00fake", maintype="application", subtype="octet-stream", filename="factura.exe"
    )
    report = EmailMessage()
    report["From"] = reporter
    report["To"] = "alerta@mindef.gob.pe"
    report["Subject"] = "RV: Su buzón ha superado el límite"
    report["Message-ID"] = "<reporte-1@mindef.gob.pe>"
    report.set_content("Me llegó este correo, no abrí el enlace.")
    report.add_attachment(original)
    return report.as_bytes()


def test_a_forwarded_phishing_message_starts_the_procedure_with_its_analysis(
    imap_mailboxes: Any, requester: Any
) -> None:
    from mapro.assets.models import BlockEntry
    from mapro.procedures.testing import client_for, publish_ficha
    from mapro.procedures.tests import test_flow_S04_04_00_02 as flow

    publish_ficha(flow.CODE)
    imap_mailboxes.deliver("phishing", _phishing_report("rquispe@mindef.gob.pe"))
    fetch_all()

    row = InboundMail.objects.get(mailbox="phishing")
    assert row.status == "phishing" and row.instance is not None
    assert row.analysis["remitente"] == "soporte@mindef-gob.pe.example"
    assert row.analysis["return_path"] == "rebote@envios.example"
    assert row.analysis["ips_publicas"] == ["185.220.101.45"]  # 10.1.2.3 is private
    assert "https://mindef-gob.pe.example/login?u=1" in row.analysis["enlaces"]
    assert row.analysis["adjuntos"][0]["nombre"] == "factura.exe"
    step1 = TaskRecord.objects.get(instance=row.instance, n=1)
    assert step1.completed_by == requester
    assert step1.data["remitente"] == "soporte@mindef-gob.pe.example"
    assert step1.data["asunto_correo"] == "Su buzón ha superado el límite"
    eml = default_storage.open(step1.data["correo_reenviado"]).read()
    assert step1.data["correo_reenviado"].endswith(".eml")
    assert b"Message-ID: <phish-1@mindef-gob.pe.example>" in eml

    # The desk and the analyst take it from there; activity 5 proposes the analysis.
    cast = flow.ReporterCast()
    for n in (2, 3, 4):
        act = flow.ACTS[n]
        item = WorkItem.objects.get(instance=row.instance, n=n, state="open")
        response = client_for(cast[act.roles[0]]).post(
            f"/api/v1/tasks/{item.pk}/complete/", {"data": act.data}, format="json"
        )
        assert response.status_code == 200, response.content
    item = WorkItem.objects.get(instance=row.instance, n=5, state="open")
    form = task_form(item)["properties"]
    assert form["remitente"]["default"] == "soporte@mindef-gob.pe.example"
    assert form["ips_publicas"]["default"] == [{"ip": "185.220.101.45"}]
    assert {"url": "https://mindef-gob.pe.example/login?u=1"} in form["enlaces"]["default"]
    assert form["adjuntos"]["default"][0]["nombre"] == "factura.exe"
    assert "Return-Path distinto del remitente" in form["resultado_analisis"]["default"]

    # The analyst confirms the analysis (phishing, not concretado); activity 9 proposes the
    # block list from what was confirmed, and completing it fills the block list.
    tecnico = client_for(cast["tecnico-especialista"])
    confirmed = {k: v["default"] for k, v in form.items() if "default" in v}
    response = tecnico.post(
        f"/api/v1/tasks/{item.pk}/complete/",
        {"data": {**confirmed, "tipo_correo": "phishing"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    item = WorkItem.objects.get(instance=row.instance, n=8, state="open")
    response = tecnico.post(
        f"/api/v1/tasks/{item.pk}/complete/", {"data": {"se_concreto": "no"}}, format="json"
    )
    assert response.status_code == 200, response.content
    item = WorkItem.objects.get(instance=row.instance, n=9, state="open")
    blocks = task_form(item)["properties"]["bloqueos"]["default"]
    assert {"tipo": "dominio", "valor": "mindef-gob.pe.example"} in blocks
    assert {"tipo": "ip", "valor": "185.220.101.45"} in blocks
    response = tecnico.post(
        f"/api/v1/tasks/{item.pk}/complete/", {"data": {"bloqueos": blocks}}, format="json"
    )
    assert response.status_code == 200, response.content
    assert BlockEntry.objects.filter(value="185.220.101.45").exists()
