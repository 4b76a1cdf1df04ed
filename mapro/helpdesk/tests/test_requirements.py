"""A category's requirements: missing items named, nothing saved; complete requests pass."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.helpdesk.actions import do_add_ticket_information, do_create_ticket
from mapro.helpdesk.models import Attachment, Ticket, TicketAction, TicketSequence
from mapro.helpdesk.testing import ticket_in_status
from mapro.procedures.ficha.schema import check_form

from .helpers import (
    EXE_BYTES,
    PDF_BYTES,
    category,
    new_ticket,
    requester_user,
    staff_user,
    upload,
)

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Ticket.objects.count(),
        TicketAction.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
        sum(TicketSequence.objects.values_list("last", flat=True)),
    )


def _stored_files(settings):
    root = settings.MEDIA_ROOT / "helpdesk"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_seeded_requirements_stay_in_the_form_subset(org):
    from mapro.helpdesk.models import Category

    for cat in Category.objects.all():
        # ``defaults`` are initial values of the procedure's request form (request_forms).
        stored = {k: v for k, v in cat.requirements.items() if k != "defaults"}
        assert check_form(stored) == [], cat.code


def test_vpn_without_acta_and_cibersoldado_names_both_and_saves_nothing(org, settings):
    user = requester_user()
    before = _counts()
    with pytest.raises(InvalidInput) as info:
        new_ticket(user, code="cuentas-vpn", subject="VPN", data={})
    errors = info.value.errors
    assert errors["acta"] == ["Falta «Acta de aceptación de riesgos (Formato N° 01)»."]
    assert errors["cibersoldado"] == [
        "Falta «Evidencia de inscripción o culminación del curso de cibersoldado»."
    ]
    assert errors["cuenta"] == ["Falta «Cuenta de usuario»."]
    assert "Acta de aceptación de riesgos" in info.value.message
    assert _counts() == before
    assert _stored_files(settings) == []


def test_the_tickets_own_fields_and_the_requirements_are_named_together(org, settings):
    # The form shows every problem at once; the action alone finds them (no view re-checks).
    user = requester_user()
    before = _counts()
    with pytest.raises(InvalidInput) as info:
        new_ticket(
            user,
            code="cuentas-vpn",
            subject="  ",
            data={},
            extra_files=[upload("x.exe", EXE_BYTES)],
        )
    errors = info.value.errors
    assert errors["subject"] == ["Indique el asunto."]
    assert errors["acta"] == ["Falta «Acta de aceptación de riesgos (Formato N° 01)»."]
    assert errors["cuenta"] == ["Falta «Cuenta de usuario»."]
    assert "archivos" in errors
    assert "Acta de aceptación de riesgos" in info.value.message
    assert _counts() == before
    assert _stored_files(settings) == []


def test_one_good_file_and_one_missing_stores_neither(org, settings):
    user = requester_user()
    before = _counts()
    with pytest.raises(InvalidInput) as info:
        new_ticket(
            user,
            code="cuentas-vpn",
            data={"cuenta": "jperez"},
            files={"acta": upload("acta.pdf")},
        )
    assert set(info.value.errors) == {"cibersoldado"}
    assert _counts() == before
    assert _stored_files(settings) == []


def test_a_disguised_requirement_file_is_refused(org, settings):
    with pytest.raises(InvalidInput) as info:
        new_ticket(
            requester_user(),
            code="certificado-digital",
            files={"declaracion_jurada": upload("dj.pdf", EXE_BYTES)},
        )
    assert "no es de un tipo permitido" in info.value.errors["declaracion_jurada"][0]
    assert Ticket.objects.count() == 0


def test_complete_request_stores_files_and_links_them_in_data(org, settings):
    user = requester_user()
    ticket = new_ticket(
        user,
        code="cuentas-vpn",
        data={"cuenta": "jperez"},
        files={"acta": upload("acta.pdf"), "cibersoldado": upload("curso.pdf")},
    )
    attachments = {a.field: a for a in ticket.attachments.all()}
    assert set(attachments) == {"acta", "cibersoldado"}
    assert ticket.data == {
        "cuenta": "jperez",
        "acta": attachments["acta"].pk,
        "cibersoldado": attachments["cibersoldado"].pk,
    }
    acta = attachments["acta"]
    assert acta.content_type == "application/pdf" and acta.size == len(PDF_BYTES)
    assert acta.stored_name.startswith("helpdesk/") and "acta" not in acta.stored_name
    with default_storage.open(acta.stored_name) as fh:
        assert fh.read() == PDF_BYTES
    assert len(_stored_files(settings)) == 2


def test_unknown_fields_and_files_are_refused(org):
    with pytest.raises(InvalidInput) as info:
        new_ticket(
            requester_user(),
            data={"ubicacion": "Piso 2", "color": "rojo"},
            files={"foto": upload("foto.pdf")},
        )
    assert set(info.value.errors) == {"color", "foto"}


def test_basic_fields_are_checked_too(org):
    with pytest.raises(InvalidInput) as info:
        new_ticket(requester_user(), subject=" ", description="", impact="enorme")
    assert set(info.value.errors) == {"subject", "description", "impact"}


def test_returned_request_comes_back_complete_or_not_at_all(org, settings):
    user = requester_user()
    ticket = new_ticket(
        user,
        code="cuentas-vpn",
        data={"cuenta": "jperez"},
        files={"acta": upload("acta.pdf"), "cibersoldado": upload("curso.pdf")},
    )
    from mapro.helpdesk.actions import do_return_ticket

    do_return_ticket(ticket, actor=None, observations="El acta no está firmada.")
    new_acta = do_add_ticket_information(
        ticket, actor=user, body="Acta firmada.", files={"acta": upload("acta-firmada.pdf")}
    )
    assert new_acta.status == "registrado"
    ticket.refresh_from_db()
    newest = ticket.attachments.filter(field="acta").latest("id")
    assert ticket.data["acta"] == newest.pk
    assert ticket.data["cibersoldado"] == ticket.attachments.get(field="cibersoldado").pk


def test_only_the_desk_registers_for_someone_else(org):
    someone = requester_user()
    other = requester_user()
    with pytest.raises(Forbidden):
        new_ticket(someone, requester=other.person)
    with pytest.raises(Forbidden):
        new_ticket(someone, channel="telefono")
    desk = staff_user("operador-mesa")
    ticket = new_ticket(desk, requester=other.person, channel="telefono")
    assert ticket.requester == other.person
    assert ticket.requester_unit == other.person.unit
    assert ticket.channel == "telefono" and ticket.created_by == desk


def test_the_system_needs_a_requester(org):
    with pytest.raises(InvalidInput):
        do_create_ticket(
            actor=None, category=category("soporte-tecnico"), subject="x", description="y"
        )
    ticket = ticket_in_status(requester_user().person)
    assert ticket.channel == "sistema"
