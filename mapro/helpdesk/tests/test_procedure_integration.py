"""Tickets and procedures together (issue 4, item 6; docs/decisions/tickets-and-procedures.md).

A support ticket opened in the portal (``do_create_ticket`` as the requester) starts
S04.03.04.02 linked to it, with activity 1 ("Ingresar ticket de atención") done by the ticket
itself; walking the procedure through API v1 then assigns, annotates and closes that same
ticket through the help-desk actions. Every path that touches the ticket is walked, including
the warranty (D) and no-warranty (E) paths.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from mapro.audit.models import AuditEvent
from mapro.helpdesk.actions import do_return_ticket
from mapro.helpdesk.choices import ActionKind, Channel, Status
from mapro.helpdesk.models import Ticket, TicketAction
from mapro.helpdesk.procedure_steps import ProcedureStepPending
from mapro.helpdesk.views.procedure_status import procedure_status_context
from mapro.notifications.models import OutboxMessage
from mapro.procedures.actions import activity
from mapro.procedures.effects import dispatch_effects
from mapro.procedures.models import EffectOutcome, Instance, TaskRecord, WorkItem
from mapro.procedures.testing import client_for, publish_ficha

from .helpers import category, new_ticket, requester_user, staff_user

CODE = "S04.03.04.02"
API = "/api/v1"

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org: Any) -> dict[str, Any]:
    publish_ficha(CODE)
    cast = {
        "personal": requester_user("DIGEP"),
        "operador-mesa": staff_user("operador-mesa", "OGTIE"),
        "resp-soporte": staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA"),
        "coord-infraestructura": staff_user("coord-infraestructura", "OGTIE-INFRAESTRUCTURA"),
        "jefe-ogtie": staff_user("jefe-ogtie", "OGTIE"),
    }
    for role, user in cast.items():
        user.email = f"{role}@mindef.gob.pe"
        user.save(update_fields=["email"])
    return cast


def open_tasks(instance_id: int, viewer: Any) -> dict[int, int]:
    """Open activity number → task id, read through the API."""
    response = client_for(viewer).get(f"{API}/instances/{instance_id}/")
    assert response.status_code == 200, response.content
    return {task["n"]: task["id"] for task in response.json()["tasks"]}


def complete(people: dict[str, Any], instance_id: int, n: int, role: str, data: dict) -> Any:
    task = open_tasks(instance_id, people["jefe-ogtie"])[n]
    return client_for(people[role]).post(
        f"{API}/tasks/{task}/complete/", {"data": data}, format="json"
    )


def log_of(ticket: Ticket) -> list[tuple[str, str, str]]:
    return list(
        TicketAction.objects.filter(ticket=ticket)
        .order_by("created_at", "id")
        .values_list("kind", "from_status", "to_status")
    )


def portal_ticket(people: dict[str, Any]) -> Ticket:
    return new_ticket(
        people["personal"],
        subject="La impresora no imprime",
        description="La impresora del piso 3 muestra error de fusor.",
        data={"ubicacion": "Piso 3, oficina 301", "equipo": "HP LaserJet M507"},
    )


# --- ticket → procedure --------------------------------------------------------------------


def test_portal_ticket_starts_the_procedure_at_activity_2(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)

    ticket.refresh_from_db()
    instance = Instance.objects.get(pk=ticket.instance_id)
    assert instance.procedure_code == CODE
    assert instance.unit.code == "DIGEP"  # the requester's unit
    assert instance.started_by == people["personal"]
    # Registering the ticket was activity 1: done by the requester with the ticket's data.
    (record,) = TaskRecord.objects.filter(instance=instance)
    assert record.n == 1 and record.completed_by == people["personal"]
    assert record.data == {
        "asunto": "La impresora no imprime",
        "descripcion": "La impresora del piso 3 muestra error de fusor.",
        "ubicacion": "Piso 3, oficina 301",
        "equipo": "HP LaserJet M507",
    }
    assert list(open_tasks(instance.pk, people["operador-mesa"])) == [2]
    # The create effect of activity 1 saw the ticket that started it: still one ticket.
    (outcome,) = EffectOutcome.objects.filter(record=record)
    assert (outcome.kind, outcome.value, outcome.status) == ("ticket", "create", "applied")
    assert outcome.detail["ticket"] == ticket.number and outcome.detail["existing"] is True
    assert Ticket.objects.count() == 1
    assert ticket.status == Status.REGISTRADO
    assert log_of(ticket) == [
        (ActionKind.CREATED, "", Status.REGISTRADO),
        (ActionKind.PROCEDURE, "", ""),
    ]
    # The operator's inbox has activity 2 of this instance.
    inbox = client_for(people["operador-mesa"]).get(f"{API}/tasks/").json()
    assert [(t["instance"], t["n"]) for t in inbox] == [(instance.pk, 2)]


def test_category_without_published_procedure_starts_nothing(org: Any) -> None:
    ticket = new_ticket(requester_user("DIGEP"))
    assert ticket.instance_id is None
    assert Instance.objects.count() == 0
    assert log_of(ticket) == [(ActionKind.CREATED, "", Status.REGISTRADO)]


def test_category_without_procedure_starts_nothing(people: dict[str, Any]) -> None:
    ticket = new_ticket(people["personal"], code="capacitacion", data={})
    assert category("capacitacion").procedure_code == ""
    assert ticket.instance_id is None and Instance.objects.count() == 0


def test_a_director_asking_for_support_starts_the_procedure(people: dict[str, Any]) -> None:
    """Every requester's ticket of a procedure's type starts it, whatever their roles."""
    director = staff_user("director-uo", "DIGEP")
    ticket = new_ticket(director, data={"ubicacion": "Despacho"})

    ticket.refresh_from_db()
    instance = Instance.objects.get(pk=ticket.instance_id)
    assert instance.unit.code == "DIGEP"
    (record,) = TaskRecord.objects.filter(instance=instance)
    assert record.n == 1 and record.completed_by == director
    assert record.data["asunto"] == ticket.subject
    assert list(open_tasks(instance.pk, people["operador-mesa"])) == [2]
    inbox = client_for(people["operador-mesa"]).get(f"{API}/tasks/").json()
    assert [(t["instance"], t["n"]) for t in inbox] == [(instance.pk, 2)]
    assert not TicketAction.objects.filter(ticket=ticket, kind=ActionKind.INTERNAL_NOTE).exists()


def test_the_desk_registering_for_a_person_without_the_role_starts_it_too(
    people: dict[str, Any],
) -> None:
    # The desk registers a phone ticket for someone who holds no role at all.
    nobody = staff_user("esp-estadistico", "DIGEP")
    from mapro.organization.models import Person

    person = Person.objects.get(user=nobody)
    ticket = new_ticket(
        people["operador-mesa"], requester=person, channel=Channel.TELEFONO, data={"ubicacion": "x"}
    )
    ticket.refresh_from_db()
    instance = Instance.objects.get(pk=ticket.instance_id)
    (record,) = TaskRecord.objects.filter(instance=instance)
    assert record.n == 1 and record.completed_by == nobody
    assert list(open_tasks(instance.pk, people["operador-mesa"])) == [2]


# --- procedure → ticket: the paths ---------------------------------------------------------


def _assign(people: dict[str, Any]) -> dict[str, Any]:
    return {
        "asignado_a": people["resp-soporte"].username,
        "especialidad": "Impresoras",
        "prioridad": "media",
    }


ACT5_NO = {
    "modalidad": "presencial",
    "diagnostico": "Fusor dañado.",
    "acciones_realizadas": "Limpieza y prueba de impresión.",
    "se_dio_solucion": "no",
}
ACT7_NO = {"apoyos": [{"equipo": "infraestructura"}], "se_dio_solucion": "no"}
ACT9 = {"equipo": "HP LaserJet M507, serie CNB1234567", "encargado_patrimonial": "Lic. Torres"}


def _walk_to_9(people: dict[str, Any], ticket: Ticket) -> int:
    """Activities 2, 4, 5, 7 of paths D and E; checks the ticket after 4 and 5."""
    iid = ticket.instance_id
    assert iid is not None
    assert complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "si"}).status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == Status.REGISTRADO  # activity 2 has no ticket effect
    assert complete(people, iid, 4, "operador-mesa", _assign(people)).status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == Status.ASIGNADO
    assert ticket.assignee == people["resp-soporte"]
    assert ticket.team.code == "OGTIE-INFRAESTRUCTURA"
    assignment = TicketAction.objects.get(ticket=ticket, kind=ActionKind.ASSIGNMENT)
    assert "Actividad 4. Asignar ticket de atención" in assignment.body
    assert complete(people, iid, 5, "resp-soporte", ACT5_NO).status_code == 200
    note = TicketAction.objects.get(ticket=ticket, kind=ActionKind.INTERNAL_NOTE)
    assert "Actividad 5. Revisar el ticket de atención" in note.body
    assert "Diagnóstico (problema verificado): Fusor dañado." in note.body
    assert not note.visible_to_requester
    assert complete(people, iid, 7, "resp-soporte", ACT7_NO).status_code == 200
    return iid


OPENING = [
    (ActionKind.CREATED, "", Status.REGISTRADO),
    (ActionKind.PROCEDURE, "", ""),
    (ActionKind.ASSIGNMENT, Status.REGISTRADO, Status.ASIGNADO),
    (ActionKind.INTERNAL_NOTE, "", ""),
]
CLOSING = [
    (ActionKind.STATUS_CHANGE, Status.ASIGNADO, Status.RESUELTO),
    (ActionKind.STATUS_CHANGE, Status.RESUELTO, Status.CERRADO),
]


def test_warranty_path_closes_the_same_ticket(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)
    iid = _walk_to_9(people, ticket)
    steps = [
        (9, "resp-soporte", {**ACT9, "tiene_garantia": "si"}),
        (
            13,
            "resp-soporte",
            {
                "contratista": "Servicios Informáticos del Sur S.A.C.",
                "contrato": "Contrato N° 018-2024-MINDEF/SG",
                "fecha_hora_revision": "2026-07-08T10:00:00-05:00",
            },
        ),
        (
            14,
            "resp-soporte",
            {"fecha_hora_ingreso": "2026-07-08T09:50:00-05:00", "reparacion": "Cambio de fusor."},
        ),
    ]
    for n, role, data in steps:
        assert complete(people, iid, n, role, data).status_code == 200
        ticket.refresh_from_db()
        assert ticket.status == Status.ASIGNADO
    done = {"fecha_hora_salida": "2026-07-08T12:00:00-05:00", "solucion": "Fusor cambiado."}
    assert complete(people, iid, 15, "resp-soporte", done).status_code == 200

    ticket.refresh_from_db()
    assert ticket.status == Status.CERRADO
    assert ticket.solution == "Fusor cambiado."
    assert ticket.resolved_at is not None and ticket.closed_at is not None
    assert log_of(ticket) == OPENING + CLOSING
    assert Ticket.objects.count() == 1
    assert Instance.objects.get(pk=iid).status == "completed"
    audited = set(
        AuditEvent.objects.filter(object_id=str(ticket.pk), object_type="helpdesk.ticket")
        .values_list("action", flat=True)
        .distinct()
    )
    assert {"ticket.create", "ticket.assign", "ticket.note", "ticket.resolve"} <= audited
    assert "ticket.close" in audited
    # Mails went to the outbox: the technician on assignment, the requester on closure
    # (registration too), with the solution. The procedure closed the ticket at once: the
    # requester is not asked to confirm a solution ("resuelto") of a closed ticket.
    subjects = sorted(OutboxMessage.objects.values_list("subject", flat=True))
    assert any(s.startswith(f"Ticket {ticket.number} asignado a usted") for s in subjects)
    assert not any(s.startswith(f"Ticket {ticket.number} resuelto") for s in subjects)
    closing = OutboxMessage.objects.get(subject=f"Ticket {ticket.number} cerrado")
    assert "Solución: Fusor cambiado." in closing.body_text
    assert "Puede calificar la atención" in closing.body_text


def test_no_warranty_path_closes_the_same_ticket(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)
    iid = _walk_to_9(people, ticket)
    steps = [
        (9, "resp-soporte", {**ACT9, "tiene_garantia": "no"}),
        (
            10,
            "resp-soporte",
            {"motivo_baja": "Reparación antieconómica.", "proyecto_informe": "adjunto-proyecto"},
        ),
        (
            11,
            "coord-infraestructura",
            {"documento_sistradoc": "INFORME N° 31-2026", "informe_baja": "adjunto-informe"},
        ),
    ]
    for n, role, data in steps:
        assert complete(people, iid, n, role, data).status_code == 200
        ticket.refresh_from_db()
        assert ticket.status == Status.ASIGNADO
    final = {"documento_sistradoc": "OFICIO N° 412-2026", "fecha_remision": "2026-07-09"}
    assert complete(people, iid, 12, "jefe-ogtie", final).status_code == 200

    ticket.refresh_from_db()
    assert ticket.status == Status.CERRADO
    # No "solucion" field in activity 12: the solution is the step itself.
    assert "Actividad 12. Enviar el informe de baja de equipo a área usuaria" in ticket.solution
    assert "OFICIO N° 412-2026" in ticket.solution
    assert log_of(ticket) == OPENING + CLOSING
    assert Ticket.objects.count() == 1


def test_resolved_by_support_path(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)
    iid = ticket.instance_id
    assert complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "si"}).status_code == 200
    assert complete(people, iid, 4, "operador-mesa", _assign(people)).status_code == 200
    act5 = {**ACT5_NO, "modalidad": "remota", "se_dio_solucion": "si"}
    assert complete(people, iid, 5, "resp-soporte", act5).status_code == 200
    act6 = {"solucion": "Se reinstaló el controlador."}
    assert complete(people, iid, 6, "resp-soporte", act6).status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == Status.CERRADO and ticket.solution == "Se reinstaló el controlador."
    # Activity 6 annotates before closing: two internal notes (5 and 6).
    assert log_of(ticket) == [*OPENING, (ActionKind.INTERNAL_NOTE, "", ""), *CLOSING]


def test_requirements_not_met_returns_and_closes_the_ticket(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)
    iid = ticket.instance_id
    response = complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "no"})
    assert response.status_code == 200
    observations = "Indique el código patrimonial del equipo."
    response = complete(people, iid, 3, "operador-mesa", {"observaciones": observations})
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == Status.CERRADO
    assert ticket.hold_reason == observations
    assert log_of(ticket) == [
        (ActionKind.CREATED, "", Status.REGISTRADO),
        (ActionKind.PROCEDURE, "", ""),
        (ActionKind.STATUS_CHANGE, Status.REGISTRADO, Status.DEVUELTO),
        (ActionKind.STATUS_CHANGE, Status.DEVUELTO, Status.CERRADO),
    ]
    assert OutboxMessage.objects.filter(subject__startswith=f"Ticket {ticket.number} devuelto")


# --- a procedure started without a ticket creates one ----------------------------------------


def test_procedure_started_through_the_api_creates_one_ticket(people: dict[str, Any]) -> None:
    requester = people["personal"]
    response = client_for(requester).post(
        f"{API}/procedures/{CODE}/instances/", {"data": {}}, format="json"
    )
    assert response.status_code == 201
    iid = response.json()["id"]
    assert Ticket.objects.count() == 0
    data = {"asunto": "Sin red", "descripcion": "No hay red en la oficina.", "ubicacion": "P2"}
    assert complete(people, iid, 1, "personal", data).status_code == 200

    ticket = Ticket.objects.get()
    assert ticket.instance_id == iid
    assert ticket.channel == Channel.SISTEMA
    assert ticket.requester == requester.person
    assert ticket.category.code == "soporte-tecnico"
    assert (ticket.subject, ticket.description) == ("Sin red", "No hay red en la oficina.")
    assert ticket.data == {"ubicacion": "P2"}
    outcome = EffectOutcome.objects.get(instance_id=iid, kind="ticket")
    assert outcome.detail == {"ticket": ticket.number, "status": "registrado", "created": True}
    # The rest of the walk uses that ticket, never a new one.
    assert complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "si"}).status_code == 200
    assert complete(people, iid, 4, "operador-mesa", _assign(people)).status_code == 200
    assert Ticket.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.ASIGNADO


def test_the_category_form_is_the_request_activitys_whatever_it_stores(
    people: dict[str, Any],
) -> None:
    """With the procedure published, the category's form is activity 1's (request_forms): a
    different schema stored on the category is not demanded, neither of the step nor of the
    portal, so the step and the portal never disagree (issue 14, item 1)."""
    from mapro.helpdesk.models import Category
    from mapro.helpdesk.request_forms import requirements_of

    requirements = {
        "type": "object",
        "properties": {
            "ubicacion": {"type": "string", "title": "Ubicación", "maxLength": 5},
            "patrimonio": {"type": "string", "title": "Código patrimonial"},
        },
        "required": ["patrimonio"],
    }
    Category.objects.filter(procedure_code=CODE).update(requirements=requirements)
    form = requirements_of(category("soporte-tecnico"))
    assert "patrimonio" not in form["properties"] and "asunto" not in form["properties"]
    assert {"ubicacion", "telefono", "documento"} <= set(form["properties"])
    requester = people["personal"]
    iid = (
        client_for(requester)
        .post(f"{API}/procedures/{CODE}/instances/", {"data": {}}, format="json")
        .json()["id"]
    )
    data = {"asunto": "Sin red", "descripcion": "No hay red.", "ubicacion": "Piso 2, of. 201"}
    assert complete(people, iid, 1, "personal", data).status_code == 200
    ticket = Ticket.objects.get(instance_id=iid)
    assert ticket.data == {"ubicacion": "Piso 2, of. 201"}
    portal = client_for(requester).post(
        f"{API}/tickets/",
        {"category": "soporte-tecnico", "subject": "x", "description": "y", "data": {}},
        format="json",
    )
    assert portal.status_code == 201, portal.json()


def test_step_without_a_matching_category_is_skipped_and_recorded(people: dict[str, Any]) -> None:
    from mapro.helpdesk.models import Category

    Category.objects.filter(procedure_code=CODE).update(procedure_code="")
    response = client_for(people["personal"]).post(
        f"{API}/procedures/{CODE}/instances/", {"data": {}}, format="json"
    )
    iid = response.json()["id"]
    data = {"asunto": "Sin red", "descripcion": "No hay red."}
    assert complete(people, iid, 1, "personal", data).status_code == 200
    assert Ticket.objects.count() == 0
    outcome = EffectOutcome.objects.get(instance_id=iid)
    assert outcome.status == "skipped" and CODE in outcome.detail["reason"]
    # Later ticket effects have no ticket to act on: skipped, the procedure goes on.
    assert complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "si"}).status_code == 200
    assert complete(people, iid, 4, "operador-mesa", _assign(people)).status_code == 200
    last = EffectOutcome.objects.filter(instance_id=iid).latest("id")
    assert (last.value, last.status) == ("assign", "skipped")


# --- atomicity and idempotence ---------------------------------------------------------------


def _state(ticket: Ticket) -> tuple[Any, ...]:
    ticket.refresh_from_db()
    instance = Instance.objects.get(pk=ticket.instance_id)
    return (
        ticket.status,
        ticket.assignee_id,
        TicketAction.objects.filter(ticket=ticket).count(),
        instance.version,
        TaskRecord.objects.filter(instance=instance).count(),
        EffectOutcome.objects.filter(instance=instance).count(),
        sorted(
            WorkItem.objects.filter(instance=instance, state="open").values_list("n", flat=True)
        ),
    )


def test_invalid_task_data_leaves_ticket_and_instance_unchanged(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)
    iid = ticket.instance_id
    assert complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "si"}).status_code == 200
    before = _state(ticket)
    bad = {"especialidad": "Impresoras", "prioridad": "urgentísima"}  # no asignado_a, bad enum
    response = complete(people, iid, 4, "operador-mesa", bad)
    assert response.status_code == 400
    assert _state(ticket) == before


def test_ticket_action_refused_rolls_the_whole_step_back(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)
    iid = ticket.instance_id
    assert complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "si"}).status_code == 200
    # The desk can no longer return it from the console while activity 4 is pending
    # (procedure_steps); a ticket moved apart anyway (data from before that rule) still makes
    # the step roll back whole.
    with pytest.raises(ProcedureStepPending):
        do_return_ticket(ticket, actor=people["operador-mesa"], observations="Falta el anexo.")
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.DEVUELTO)
    before = _state(ticket)
    events = AuditEvent.objects.count()
    response = complete(people, iid, 4, "operador-mesa", _assign(people))
    assert response.status_code == 409, response.content
    assert "devuelto" in response.json()["detail"].lower()
    # Nothing of the step stayed: no history row, same instance version, task 4 still open.
    assert _state(ticket) == before
    assert before[-1] == [4]
    assert AuditEvent.objects.count() == events


def test_dispatching_a_step_again_changes_nothing(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)
    iid = ticket.instance_id
    assert complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "si"}).status_code == 200
    assert complete(people, iid, 4, "operador-mesa", _assign(people)).status_code == 200
    act5 = {**ACT5_NO, "se_dio_solucion": "si"}
    assert complete(people, iid, 5, "resp-soporte", act5).status_code == 200
    assert complete(people, iid, 6, "resp-soporte", {"solucion": "Listo."}).status_code == 200
    before = _state(ticket)
    instance = Instance.objects.select_related("procedure_version").get(pk=iid)
    from django.db import transaction

    for record in TaskRecord.objects.filter(instance=instance).order_by("id"):
        act = activity(instance.procedure_version.ficha, record.n)
        with transaction.atomic():
            assert dispatch_effects(record, act, actor=people["resp-soporte"]) == []
    assert _state(ticket) == before
    assert Ticket.objects.count() == 1


# --- the ticket page's procedure fragment ----------------------------------------------------


def test_procedure_status_fragment_shows_diagram_and_progress(people: dict[str, Any]) -> None:
    ticket = portal_ticket(people)
    ticket.refresh_from_db()
    context = procedure_status_context(ticket, people["personal"])
    assert context is not None
    assert context["marks"] == {"completed": '["Activity_1"]', "current": '["Activity_2"]'}
    html = render_to_string("helpdesk/_procedure_status.html", {"ps": context})
    bpmn_url = f"/procedimientos/instancias/{ticket.instance_id}/bpmn/"
    assert f'data-bpmn-url="{bpmn_url}"' in html
    assert 'data-current="[&quot;Activity_2&quot;]"' in html
    assert "2. Recibir y validar ticket de atención" in html
    assert "mapro/diagram.js" in html
    # The diagram's BPMN is served to the requester (the instance is theirs).
    client = Client()
    client.force_login(people["personal"])
    response = client.get(bpmn_url)
    assert response.status_code == 200 and b"bpmn" in response.content.lower()
    # Someone who may not see the instance gets no fragment at all.
    assert procedure_status_context(ticket, requester_user("OGTIE-INNOVACION")) is None
    assert (
        procedure_status_context(
            new_ticket(people["personal"], code="capacitacion", data={}), people["personal"]
        )
        is None
    )


def test_desk_sees_the_case_without_the_visibility_subquery(people: dict[str, Any]) -> None:
    """A global OGTIE role sees every instance (``sees_every_instance``): the ticket query
    carries no visibility ``EXISTS`` for them, and the case is shown whenever there is one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mapro.helpdesk.selectors import get_ticket_for_user

    ticket = portal_ticket(people)
    desk = people["operador-mesa"]
    with CaptureQueriesContext(connection) as ctx:
        seen = get_ticket_for_user(desk, ticket.number)
    assert seen.case_visible is True
    assert "EXISTS" not in ctx.captured_queries[-1]["sql"].upper()
    assert procedure_status_context(seen, desk) is not None
    plain = new_ticket(people["personal"], code="capacitacion", data={})
    assert get_ticket_for_user(desk, plain.number).case_visible is False
    # The requester (no global role) is still asked through the subquery: they see their case.
    theirs = get_ticket_for_user(people["personal"], ticket.number)
    assert theirs.case_visible is True
    assert procedure_status_context(theirs, people["personal"]) is not None
