"""The console completes the open activity of a ticket's procedure with the activity's own
fields (issue 14, item 4; ``views/console_steps.py``, ``actions.do_complete_ticket_step``).

S04.03.04.02: "Registrar solución" at activity 5 is one form (modality, diagnosis, actions,
"¿Se dio solución?"); "Sí" completes 5 and then 6 with the same text, and 6 closes the ticket as
the manual says. The solution is typed once."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages

from mapro.audit.models import AuditEvent
from mapro.helpdesk.choices import Status
from mapro.helpdesk.models import Ticket
from mapro.procedures.actions import do_cancel_instance
from mapro.procedures.models import Instance, TaskRecord, WorkItem
from mapro.procedures.task_forms import task_form

from .helpers import requester_user
from .test_procedure_console_steps import (
    consistent,
    state,
    support_ticket,
    validate_and_assign,
    web,
)
from .test_procedure_integration import complete
from .test_procedure_integration import people as cast_with_s04030402

people = cast_with_s04030402  # the same cast, S04.03.04.02 published

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")
SOLVED = {
    "modalidad": "remota",
    "diagnostico": "Controlador de impresión dañado.",
    "acciones_realizadas": "Se reinstaló el controlador y se imprimió una prueba.",
    "se_dio_solucion": "si",
}


def at_activity_5(people: dict[str, Any]) -> tuple[Ticket, WorkItem]:
    ticket = support_ticket(people)
    # Activity 2 is the console's own "Validar la solicitud": no second form for it.
    assert "/tarea/" not in page_of(people["operador-mesa"], ticket)
    validate_and_assign(people, ticket)
    item = WorkItem.objects.get(instance_id=ticket.instance_id, state="open")
    assert item.n == 5
    return ticket, item


def step_url(ticket: Ticket, item: WorkItem) -> str:
    return f"/mesa-de-ayuda/consola/{ticket.number}/tarea/{item.pk}/"


def page_of(user: Any, ticket: Ticket) -> str:
    response = web(user).get(f"/mesa-de-ayuda/consola/{ticket.number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_console_offers_activity_5_as_registrar_solucion(people: dict[str, Any]) -> None:
    ticket, item = at_activity_5(people)
    html = page_of(people["resp-soporte"], ticket)
    assert f'action="{step_url(ticket, item)}"' in html
    assert "Registrar solución" in html
    # The fields are activity 5's, from the ficha, with its decision.
    for name in ("modalidad", "diagnostico", "acciones_realizadas", "se_dio_solucion"):
        assert f'name="{name}"' in html
    assert "¿Se dio solución?" in html
    assert "se completa también la actividad 6. Cerrar el ticket de atención" in html
    # The old one-field solution form is gone while the procedure runs.
    assert f'action="/mesa-de-ayuda/consola/{ticket.number}/resolver/"' not in html
    # The desk does not hold activity 5: no form, the role and a link to the task page.
    desk = page_of(people["operador-mesa"], ticket)
    assert f'action="{step_url(ticket, item)}"' not in desk
    assert "Esta actividad le corresponde a Responsable de soporte técnico" in desk
    assert f'href="/tareas/{item.pk}/"' in desk


def test_registrar_solucion_completes_5_then_6_which_closes(people: dict[str, Any]) -> None:
    ticket, item = at_activity_5(people)
    tech = people["resp-soporte"]
    with time_machine.travel(datetime.datetime(2026, 7, 8, 23, 30, tzinfo=LIMA), tick=True):
        response = web(tech).post(step_url(ticket, item), SOLVED)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/mesa-de-ayuda/consola/{ticket.number}/"
    said = [m.message for m in get_messages(response.wsgi_request)]
    assert said == [
        "Solución registrada. El procedimiento completó 5. Revisar el ticket de atención y "
        "atender la solicitud; 6. Cerrar el ticket de atención y cerró el ticket, como indica "
        "el manual. El solicitante puede calificar la atención."
    ]
    assert consistent(ticket) == []
    assert ticket.status == Status.CERRADO
    assert ticket.solution == SOLVED["acciones_realizadas"]
    records = TaskRecord.objects.filter(instance_id=ticket.instance_id).order_by("id")
    assert [(r.n, r.completed_by) for r in records][-2:] == [(5, tech), (6, tech)]
    assert records[len(records) - 2].data == SOLVED
    # Activity 6 got the same text and the day it closed (Lima's date, not UTC's).
    assert records[len(records) - 1].data == {
        "solucion": SOLVED["acciones_realizadas"],
        "fecha_cierre": "2026-07-08",
    }
    assert Instance.objects.get(pk=ticket.instance_id).status == "completed"
    # Audited as every step: one task.complete per activity, by the technician.
    events = AuditEvent.objects.filter(action="task.complete", actor=tech)
    assert events.count() == 2
    # The requester reads the solution and is offered the survey.
    portal = web(people["personal"]).get(f"/mesa-de-ayuda/solicitudes/{ticket.number}/")
    assert SOLVED["acciones_realizadas"] in portal.content.decode()


def test_no_solution_goes_on_to_activity_7_offered_in_the_console(
    people: dict[str, Any],
) -> None:
    ticket, item = at_activity_5(people)
    tech = people["resp-soporte"]
    response = web(tech).post(step_url(ticket, item), {**SOLVED, "se_dio_solucion": "no"})
    assert response.status_code == 302
    said = [m.message for m in get_messages(response.wsgi_request)]
    assert said == [
        "Actividad completada: 5. Revisar el ticket de atención y atender la solicitud. El "
        "procedimiento sigue en: 7. Solicitar apoyo al responsable de los otros equipos de "
        "trabajo de la OGTIE."
    ]
    assert consistent(ticket) == [7]
    assert ticket.status != Status.CERRADO
    # Activity 7 is offered with its own fields (its list of support requests): no dead end.
    seven = WorkItem.objects.get(instance_id=ticket.instance_id, state="open")
    html = page_of(tech, ticket)
    assert f'action="{step_url(ticket, seven)}"' in html
    assert 'name="apoyos-0-equipo"' in html
    # Asking for support is not the solution: titled by its activity, the answers explained.
    assert "Completar la actividad 7" in html and "Registrar solución" not in html
    assert "«No»: el procedimiento sigue en la actividad 9. Revisar garantía en equipos." in html
    # "Agregar fila" comes back to the console with one more row, nothing completed.
    more = web(tech).post(step_url(ticket, seven), {"apoyos-TOTAL": "1", "_agregar_fila": "apoyos"})
    assert more.status_code == 200
    assert 'name="apoyos-1-equipo"' in more.content.decode()
    assert consistent(ticket) == [7]


def test_bad_input_keeps_what_was_typed_and_changes_nothing(people: dict[str, Any]) -> None:
    ticket, item = at_activity_5(people)
    before = state(ticket)
    typed = {**SOLVED, "diagnostico": "   ", "modalidad": "telepatia"}
    response = web(people["resp-soporte"]).post(step_url(ticket, item), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No se guardó: revise los campos marcados." in html
    assert "Este campo es obligatorio." in html  # diagnostico, in Spanish
    assert SOLVED["acciones_realizadas"] in html  # what was typed is still there
    assert state(ticket) == before
    assert WorkItem.objects.get(pk=item.pk).state == "open"


def test_wrong_roles_are_refused_and_change_nothing(people: dict[str, Any]) -> None:
    ticket, item = at_activity_5(people)
    before = state(ticket)
    # The desk chief attends tickets but does not hold activity 5's role.
    assert web(people["jefe-ogtie"]).post(step_url(ticket, item), SOLVED).status_code == 403
    # The operator neither.
    assert web(people["operador-mesa"]).post(step_url(ticket, item), SOLVED).status_code == 403
    # An employee is not staff: the console itself refuses.
    other = requester_user("DIGEP")
    assert web(other).post(step_url(ticket, item), SOLVED).status_code == 403
    # Even the requester of the ticket.
    assert web(people["personal"]).post(step_url(ticket, item), SOLVED).status_code == 403
    assert state(ticket) == before


def test_a_task_of_another_ticket_is_404(people: dict[str, Any]) -> None:
    ticket, item = at_activity_5(people)
    other = support_ticket(people)
    before = state(ticket)
    response = web(people["resp-soporte"]).post(step_url(other, item), SOLVED)
    assert response.status_code == 404
    assert state(ticket) == before


def test_double_submit_completes_once_and_says_so(people: dict[str, Any]) -> None:
    ticket, item = at_activity_5(people)
    client = web(people["resp-soporte"])
    assert client.post(step_url(ticket, item), SOLVED).status_code == 302
    after = state(ticket)
    again = client.post(step_url(ticket, item), SOLVED)
    assert again.status_code == 409
    html = again.content.decode()
    assert "ya fue completada (el formulario se envió dos veces" in html
    assert "no se registró nada nuevo" in html
    assert state(ticket) == after
    assert TaskRecord.objects.filter(instance_id=ticket.instance_id, n=5).count() == 1
    assert TaskRecord.objects.filter(instance_id=ticket.instance_id, n=6).count() == 1


def test_task_page_of_activity_6_proposes_the_solution_to_whoever_may_read_it(
    people: dict[str, Any],
) -> None:
    """Activity 5 done on its task page: activity 6's form proposes 5's actions as the
    solution and today as the closing date (nothing typed twice there either) — but not to a
    reader who may not see activity 5's internal answers."""
    ticket, _item = at_activity_5(people)
    with time_machine.travel(datetime.datetime(2026, 7, 8, 23, 30, tzinfo=LIMA), tick=True):
        response = complete(people, ticket.instance_id, 5, "resp-soporte", SOLVED)
        assert response.status_code == 200
        six = WorkItem.objects.get(instance_id=ticket.instance_id, state="open")
        assert six.n == 6
        page = web(people["resp-soporte"]).get(f"/tareas/{six.pk}/").content.decode()
        shown = task_form(six, people["resp-soporte"])["properties"]
        hidden = task_form(six, people["personal"])["properties"]
    assert SOLVED["acciones_realizadas"] in page
    assert (shown["solucion"]["default"], shown["fecha_cierre"]["default"]) == (
        SOLVED["acciones_realizadas"],
        "2026-07-08",
    )
    assert "default" not in hidden["solucion"]


def test_a_task_of_a_cancelled_case_is_refused_saying_so(people: dict[str, Any]) -> None:
    ticket, item = at_activity_5(people)
    instance = Instance.objects.get(pk=ticket.instance_id)
    do_cancel_instance(instance, "Registrado por error.", actor=people["jefe-ogtie"])
    before = state(ticket)
    response = web(people["resp-soporte"]).post(step_url(ticket, item), SOLVED)
    assert response.status_code == 409
    assert "Revisar el ticket de atención y atender la solicitud fue anulada" in (
        response.content.decode()
    )
    assert state(ticket) == before
