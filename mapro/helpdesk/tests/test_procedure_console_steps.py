"""Console and API ticket actions on a procedure-linked ticket complete the procedure's open
activity, or are refused naming it (``procedure_steps``; docs/decisions/tickets-and-procedures.md
section 5). S04.03.04.02 is driven through the console where an action corresponds to the open
activity and through the task API where none does, and after every step the ticket's status is
the one the open activity allows."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from mapro.helpdesk.choices import Status
from mapro.helpdesk.models import Ticket, TicketAction
from mapro.notifications.models import OutboxMessage
from mapro.procedures.models import Instance, TaskRecord, WorkItem
from mapro.procedures.testing import client_for

from .helpers import new_ticket, requester_user
from .test_procedure_integration import ACT5_NO, ACT7_NO, ACT9, complete
from .test_procedure_integration import people as cast_with_s04030402

people = cast_with_s04030402  # the same cast, S04.03.04.02 published

pytestmark = pytest.mark.django_db
API = "/api/v1"

#: Open activity of S04.03.04.02 → the ticket statuses it allows.
ALLOWED = {
    2: {Status.REGISTRADO},
    3: {Status.REGISTRADO},
    4: {Status.REGISTRADO},
    **{
        n: {Status.ASIGNADO, Status.EN_ATENCION, Status.EN_ESPERA}
        for n in (5, 6, 7, 9, 10, 11, 12, 13, 14, 15)
    },
}


def consistent(ticket: Ticket) -> list[int]:
    """Assert the ticket and its instance agree; return the open activities."""
    ticket.refresh_from_db()
    instance = Instance.objects.get(pk=ticket.instance_id)
    open_n = sorted(
        WorkItem.objects.filter(instance=instance, state="open").values_list("n", flat=True)
    )
    if instance.status == "completed":
        assert open_n == [] and ticket.status == Status.CERRADO
    else:
        assert instance.status == "running" and open_n, (instance.status, open_n)
        for n in open_n:
            assert ticket.status in ALLOWED[n], (n, ticket.status)
    return open_n


def state(ticket: Ticket) -> tuple[Any, ...]:
    ticket.refresh_from_db()
    instance = Instance.objects.get(pk=ticket.instance_id)
    return (
        ticket.status,
        ticket.assignee_id,
        ticket.team_id,
        TicketAction.objects.filter(ticket=ticket).count(),
        instance.version,
        TaskRecord.objects.filter(instance=instance).count(),
        OutboxMessage.objects.count(),
    )


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def console(user: Any, ticket: Ticket, action: str, data: dict[str, Any] | None = None) -> Any:
    return web(user).post(f"/mesa-de-ayuda/consola/{ticket.number}/{action}/", data or {})


def support_ticket(people: dict[str, Any]) -> Ticket:
    ticket = new_ticket(
        people["personal"],
        subject="La impresora no imprime",
        description="La impresora del piso 3 muestra error de fusor.",
        data={"ubicacion": "Piso 3, oficina 301", "equipo": "HP LaserJet M507"},
    )
    assert consistent(ticket) == [2]
    return ticket


def validate_and_assign(people: dict[str, Any], ticket: Ticket) -> None:
    response = console(
        people["operador-mesa"],
        ticket,
        "validar",
        {"cumple": "si", "assignee": people["resp-soporte"].username, "note": "Urgente."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert consistent(ticket) == [5]
    assert ticket.status == Status.ASIGNADO and ticket.assignee == people["resp-soporte"]
    records = TaskRecord.objects.filter(instance_id=ticket.instance_id).order_by("id")
    assert [(r.n, r.completed_by) for r in records][1:] == [
        (2, people["operador-mesa"]),
        (4, people["operador-mesa"]),
    ]
    assert records[1].data == {"cumple_requisitos": "si", "numero_ticket": ticket.number}
    assert records[2].data == {"asignado_a": people["resp-soporte"].username}
    # The operator's note is kept as an internal note.
    assert TicketAction.objects.filter(ticket=ticket, body="Urgente.", kind="internal_note")


def start_and_diagnose(people: dict[str, Any], ticket: Ticket, solved: bool) -> None:
    tech = people["resp-soporte"]
    assert console(tech, ticket, "iniciar").status_code == 302
    assert consistent(ticket) == [5] and ticket.status == Status.EN_ATENCION
    # "Registrar solución" is not activity 5 (a diagnosis and a decision): refused, linked.
    before = state(ticket)
    response = console(tech, ticket, "resolver", {"solution": "Listo."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Tarea pendiente: «5. Revisar el ticket de atención y atender la solicitud»" in page
    task = WorkItem.objects.get(instance_id=ticket.instance_id, state="open")
    assert f'href="/tareas/{task.pk}/"' in page
    assert state(ticket) == before
    data = {**ACT5_NO, "se_dio_solucion": "si" if solved else "no"}
    assert complete(people, ticket.instance_id, 5, "resp-soporte", data).status_code == 200
    assert consistent(ticket) == ([6] if solved else [7])


def test_resolved_by_support_through_the_console(people: dict[str, Any]) -> None:
    ticket = support_ticket(people)
    validate_and_assign(people, ticket)
    start_and_diagnose(people, ticket, solved=True)
    # The desk chief may attend tickets but does not hold activity 6's role: 403, nothing changes.
    before = state(ticket)
    response = console(people["jefe-ogtie"], ticket, "resolver", {"solution": "Listo."})
    assert response.status_code == 403
    assert state(ticket) == before
    # An empty solution is the console field's error, nothing saved.
    response = console(people["resp-soporte"], ticket, "resolver", {"solution": "  "})
    assert response.status_code == 200
    assert "Indique la solución aplicada." in response.content.decode()
    assert state(ticket) == before
    # "Registrar solución" is activity 6: completed with the solution; its effect closes.
    response = console(people["resp-soporte"], ticket, "resolver", {"solution": "Driver nuevo."})
    assert response.status_code == 302
    assert consistent(ticket) == []
    assert ticket.solution == "Driver nuevo."
    record = TaskRecord.objects.filter(instance_id=ticket.instance_id).latest("id")
    assert (record.n, record.data, record.completed_by) == (
        6,
        {"solucion": "Driver nuevo."},
        people["resp-soporte"],
    )
    subjects = list(OutboxMessage.objects.values_list("subject", flat=True))
    assert f"Ticket {ticket.number} cerrado" in subjects
    # The procedure has concluded: reopening registers a new ticket linked to it, a new case.
    page = web(people["personal"]).get(f"/mesa-de-ayuda/solicitudes/{ticket.number}/")
    assert "/reabrir/" in page.content.decode()
    assert "se registrará un ticket nuevo vinculado a este" in page.content.decode()
    response = web(people["personal"]).post(
        f"/mesa-de-ayuda/solicitudes/{ticket.number}/reabrir/", {"reason": "Sigue fallando."}
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.CERRADO
    reopened = Ticket.objects.get(reopens=ticket)
    assert response.status_code == 302
    assert response["Location"] == f"/mesa-de-ayuda/solicitudes/{reopened.number}/"
    said = [m.message for m in get_messages(response.wsgi_request)]
    assert said == [f"Se registró el ticket {reopened.number}, que reabre este."]
    assert reopened.instance_id not in (None, ticket.instance_id)


def test_warranty_path_through_the_console(people: dict[str, Any]) -> None:
    ticket = support_ticket(people)
    validate_and_assign(people, ticket)
    start_and_diagnose(people, ticket, solved=False)
    iid = ticket.instance_id
    steps = [
        (7, "resp-soporte", ACT7_NO, [9]),
        (9, "resp-soporte", {**ACT9, "tiene_garantia": "si"}, [13]),
        (
            13,
            "resp-soporte",
            {
                "contratista": "Servicios Informáticos del Sur S.A.C.",
                "contrato": "Contrato N° 018-2024-MINDEF/SG",
                "fecha_hora_revision": "2026-07-08T10:00:00-05:00",
            },
            [14],
        ),
        (
            14,
            "resp-soporte",
            {"fecha_hora_ingreso": "2026-07-08T09:50:00-05:00", "reparacion": "Cambio de fusor."},
            [15],
        ),
    ]
    for n, role, data, after in steps:
        # Every console move that is not the open activity is refused and changes nothing.
        before = state(ticket)
        resolve = console(people["resp-soporte"], ticket, "resolver", {"solution": "x"})
        assert resolve.status_code == 409
        back = console(people["operador-mesa"], ticket, "devolver", {"observations": "x"})
        assert back.status_code == 409
        assert state(ticket) == before
        assert complete(people, iid, n, role, data).status_code == 200
        assert consistent(ticket) == after
    # Activity 15 closes the ticket but asks for the contractor's exit time: the console's
    # solution alone does not fill it, so the operator is sent to the task page.
    before = state(ticket)
    response = console(people["resp-soporte"], ticket, "resolver", {"solution": "Fusor cambiado."})
    assert response.status_code == 409
    assert "Fecha y hora de salida del contratista" in response.content.decode()
    assert state(ticket) == before
    done = {"fecha_hora_salida": "2026-07-08T12:00:00-05:00", "solucion": "Fusor cambiado."}
    assert complete(people, iid, 15, "resp-soporte", done).status_code == 200
    assert consistent(ticket) == []
    assert ticket.solution == "Fusor cambiado."


def test_no_warranty_path_through_the_console(people: dict[str, Any]) -> None:
    ticket = support_ticket(people)
    validate_and_assign(people, ticket)
    start_and_diagnose(people, ticket, solved=False)
    # Putting the ticket on hold and resuming happen inside activity 7: not routed.
    tech = people["resp-soporte"]
    assert console(tech, ticket, "espera", {"reason": "¿Serie del equipo?"}).status_code == 302
    assert consistent(ticket) == [7] and ticket.status == Status.EN_ESPERA
    assert console(tech, ticket, "iniciar").status_code == 302
    assert consistent(ticket) == [7] and ticket.status == Status.EN_ATENCION
    iid = ticket.instance_id
    steps = [
        (7, "resp-soporte", ACT7_NO, [9]),
        (9, "resp-soporte", {**ACT9, "tiene_garantia": "no"}, [10]),
        (10, "resp-soporte", {"motivo_baja": "Antieconómico.", "proyecto_informe": "p"}, [11]),
        (11, "coord-infraestructura", {"documento_sistradoc": "I-31", "informe_baja": "i"}, [12]),
    ]
    for n, role, data, after in steps:
        assert complete(people, iid, n, role, data).status_code == 200
        assert consistent(ticket) == after
    before = state(ticket)
    # Closing from the console is never an activity: the procedure closes the ticket.
    response = console(people["jefe-ogtie"], ticket, "resolver", {"solution": "Baja."})
    assert response.status_code == 409  # activity 12 asks for the SISTRADOC document
    assert state(ticket) == before
    final = {"documento_sistradoc": "OFICIO N° 412-2026", "fecha_remision": "2026-07-09"}
    assert complete(people, iid, 12, "jefe-ogtie", final).status_code == 200
    assert consistent(ticket) == []


def test_requirements_not_met_through_the_console(people: dict[str, Any]) -> None:
    ticket = support_ticket(people)
    before = state(ticket)
    # "No" without observations: the console field's error, nothing completed.
    response = console(people["operador-mesa"], ticket, "validar", {"cumple": "no"})
    assert response.status_code == 200
    assert state(ticket) == before
    response = console(
        people["operador-mesa"],
        ticket,
        "validar",
        {"cumple": "no", "observations": "Indique el código patrimonial."},
    )
    assert response.status_code == 302
    assert consistent(ticket) == []
    records = TaskRecord.objects.filter(instance_id=ticket.instance_id).order_by("id")
    assert [r.n for r in records] == [1, 2, 3]
    assert records[1].data["cumple_requisitos"] == "no"
    assert records[2].data == {"observaciones": "Indique el código patrimonial."}
    assert ticket.hold_reason == "Indique el código patrimonial."
    subjects = list(OutboxMessage.objects.values_list("subject", flat=True))
    assert any(s.startswith(f"Ticket {ticket.number} devuelto") for s in subjects)


def test_api_assign_is_validation_and_assignment(people: dict[str, Any]) -> None:
    ticket = support_ticket(people)
    # Not the desk: 403 and nothing changes.
    before = state(ticket)
    url = f"{API}/tickets/{ticket.number}/assign/"
    body = {"team": "OGTIE-INFRAESTRUCTURA"}
    assert client_for(people["resp-soporte"]).post(url, body, format="json").status_code == 403
    # The desk chief is the desk, but activity 2 is the operator's: 403 from the engine.
    assert client_for(people["jefe-ogtie"]).post(url, body, format="json").status_code == 403
    assert state(ticket) == before
    # A team without a person: activity 4 records the team's code; the ticket goes to it.
    response = client_for(people["operador-mesa"]).post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ASIGNADO
    assert consistent(ticket) == [5]
    assert ticket.team.code == "OGTIE-INFRAESTRUCTURA" and ticket.assignee is None
    # Re-assigning to a person within activity 5 is the desk's own business: not routed.
    body = {"assignee": people["resp-soporte"].username}
    assert client_for(people["operador-mesa"]).post(url, body, format="json").status_code == 200
    assert consistent(ticket) == [5] and ticket.assignee == people["resp-soporte"]
    # Returning now does not correspond to activity 5: 409 naming it, nothing changes.
    before = state(ticket)
    response = client_for(people["operador-mesa"]).post(
        f"{API}/tickets/{ticket.number}/return/", {"observations": "x"}, format="json"
    )
    assert response.status_code == 409
    assert "Tarea pendiente: «5. Revisar el ticket" in response.json()["detail"]
    assert state(ticket) == before


def test_bulk_assign_completes_each_tickets_steps(people: dict[str, Any]) -> None:
    first, second = support_ticket(people), support_ticket(people)
    response = web(people["operador-mesa"]).post(
        "/mesa-de-ayuda/consola/asignar/",
        {"numbers": [first.number, second.number], "assignee": people["resp-soporte"].username},
    )
    assert response.status_code == 302
    assert consistent(first) == [5] and consistent(second) == [5]


def test_plain_employee_cannot_use_the_console(people: dict[str, Any]) -> None:
    ticket = support_ticket(people)
    before = state(ticket)
    other = requester_user("DIGEP")
    response = console(other, ticket, "validar", {"cumple": "si", "team": "OGTIE"})
    assert response.status_code == 403
    assert state(ticket) == before


def test_ticket_without_procedure_is_unchanged(people: dict[str, Any]) -> None:
    ticket = new_ticket(people["personal"], code="capacitacion", data={})
    assert ticket.instance_id is None
    response = console(
        people["operador-mesa"],
        ticket,
        "validar",
        {"cumple": "si", "team": "OGTIE-INFRAESTRUCTURA"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ASIGNADO


def test_console_page_links_the_pending_task(people: dict[str, Any]) -> None:
    ticket = support_ticket(people)
    task = WorkItem.objects.get(instance_id=ticket.instance_id, state="open")
    page = web(people["operador-mesa"]).get(f"/mesa-de-ayuda/consola/{ticket.number}/")
    html = page.content.decode()
    assert "Este ticket avanza con su procedimiento" in html
    assert f'<a href="/tareas/{task.pk}/">2. Recibir y validar ticket de atención</a>' in html


def test_console_shows_only_the_forms_of_the_open_activity(people: dict[str, Any]) -> None:
    ticket = support_ticket(people)

    def forms(user: Any) -> set[str]:
        html = web(user).get(f"/mesa-de-ayuda/consola/{ticket.number}/").content.decode()
        names = ("validar", "devolver", "asignar", "resolver", "cerrar", "iniciar", "espera")
        return {n for n in names if f'action="/mesa-de-ayuda/consola/{ticket.number}/{n}/"' in html}

    assert forms(people["operador-mesa"]) == {"validar"}
    validate_and_assign(people, ticket)
    # Activity 5: attend (start, hold) and re-assign; no solution, no return, no close.
    assert forms(people["resp-soporte"]) == {"iniciar"}
    assert forms(people["operador-mesa"]) == {"asignar", "iniciar"}
    start_and_diagnose(people, ticket, solved=True)
    # Activity 6 takes the solution: "Registrar solución" with activity 6's own fields.
    task = WorkItem.objects.get(instance_id=ticket.instance_id, state="open")
    html = web(people["resp-soporte"]).get(f"/mesa-de-ayuda/consola/{ticket.number}/")
    page = html.content.decode()
    assert f'action="/mesa-de-ayuda/consola/{ticket.number}/tarea/{task.pk}/"' in page
    assert 'name="solucion"' in page and 'name="fecha_cierre"' in page
    assert "cerrar" not in forms(people["resp-soporte"])
