"""After a ticket ends (issue 14, item 5): the requester's satisfaction survey, its report by
team and month, and reopening a ticket whose procedure case concluded as a new linked ticket."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput
from mapro.core.xlsx import read_xlsx
from mapro.helpdesk import actions
from mapro.helpdesk.choices import Status
from mapro.helpdesk.models import Ticket, TicketSurvey
from mapro.helpdesk.testing import ticket_in_status
from mapro.procedures.models import Instance, InstanceStatus
from mapro.procedures.testing import client_for, publish_ficha

from .helpers import new_ticket, requester_user, staff_user

pytestmark = pytest.mark.django_db

LIMA = datetime.timezone(datetime.timedelta(hours=-5))


def test_the_requester_rates_an_ended_ticket_once(org: Any) -> None:
    user = requester_user()
    ticket = ticket_in_status(user.person, "resuelto")
    assert actions.survey_open(user, ticket)
    survey = actions.do_answer_survey(ticket, actor=user, rating="4", comment=" Rápido ")
    assert (survey.rating, survey.comment, survey.team_id) == (4, "Rápido", ticket.team_id)
    assert AuditEvent.objects.filter(action="ticket.survey", object_id=str(ticket.pk)).exists()
    assert not actions.survey_open(user, ticket)
    with pytest.raises(Conflict):
        actions.do_answer_survey(ticket, actor=user, rating=5)
    assert TicketSurvey.objects.get().rating == 4


@pytest.mark.parametrize("rating", [0, 6, "x", "", None, "4.5", True, "3a"])
def test_a_rating_outside_one_to_five_is_refused(org: Any, rating: Any) -> None:
    user = requester_user()
    ticket = ticket_in_status(user.person, "cerrado")
    with pytest.raises(InvalidInput) as err:
        actions.do_answer_survey(ticket, actor=user, rating=rating)
    assert list(err.value.errors) == ["rating"]
    assert not TicketSurvey.objects.exists()


def test_only_the_requester_of_an_ended_ticket_answers(org: Any) -> None:
    user = requester_user()
    running = ticket_in_status(user.person, "asignado")
    with pytest.raises(Conflict):
        actions.do_answer_survey(running, actor=user, rating=5)
    ended = ticket_in_status(user.person, "resuelto")
    for other in (requester_user(), staff_user("operador-mesa", "OGTIE")):
        with pytest.raises(Forbidden):
            actions.do_answer_survey(ended, actor=other, rating=5)
    assert not TicketSurvey.objects.exists()


def test_the_report_equals_a_recount_by_team_and_month(org: Any) -> None:
    answers = [  # (month, rating)
        (datetime.datetime(2026, 3, 10, 9, tzinfo=LIMA), 5),
        (datetime.datetime(2026, 3, 20, 9, tzinfo=LIMA), 2),
        (datetime.datetime(2026, 3, 25, 9, tzinfo=LIMA), 4),
        (datetime.datetime(2026, 4, 2, 9, tzinfo=LIMA), 3),
    ]
    for when, rating in answers:
        user = requester_user()
        ticket = ticket_in_status(user.person, "resuelto")
        with time_machine.travel(when, tick=False):
            actions.do_answer_survey(ticket, actor=user, rating=rating)
    team = Ticket.objects.first().team  # every ticket of the simple category: one team
    jefe = staff_user("jefe-ogtie", "OGTIE")
    rows = actions.survey_report(jefe)
    assert [(r.month, r.team_code, r.answers, r.average, r.satisfied_pct) for r in rows] == [
        (datetime.date(2026, 4, 1), team.code, 1, 3.0, 0.0),
        (datetime.date(2026, 3, 1), team.code, 3, round(11 / 3, 2), round(200 / 3, 1)),
    ]
    assert [r.month for r in actions.survey_report(jefe, since=datetime.date(2026, 4, 1))] == [
        datetime.date(2026, 4, 1)
    ]
    with pytest.raises(Forbidden):
        actions.survey_report(requester_user())

    api = client_for(jefe).get("/api/v1/ticket-surveys/report/", {"desde": "2026-03"})
    assert api.status_code == 200 and [r["answers"] for r in api.json()] == [1, 3]
    bad = client_for(jefe).get("/api/v1/ticket-surveys/report/", {"desde": "marzo"})
    assert bad.status_code == 400 and "desde" in bad.json()["errors"]
    assert client_for(requester_user()).get("/api/v1/ticket-surveys/report/").status_code == 403

    web = Client()
    web.force_login(jefe)
    download = web.get(reverse("helpdesk:survey_report"), {"formato": "xlsx"})
    header, lines = read_xlsx(download.content)
    assert header[:4] == ["Mes", "Equipo", "Nombre del equipo", "Respuestas"]
    assert [(line[0], line[3]) for line in lines] == [("2026-04", 1), ("2026-03", 3)]


def test_the_portal_page_asks_and_then_thanks(org: Any) -> None:
    user = requester_user()
    ticket = ticket_in_status(user.person, "resuelto")
    web = Client()
    web.force_login(user)
    page = reverse("helpdesk:portal_ticket", args=[ticket.number])
    assert "¿Qué tan satisfecho está con la atención?" in web.get(page).content.decode()
    survey_url = reverse("helpdesk:portal_survey", args=[ticket.number])
    refused = web.post(survey_url, {"rating": "9", "comment": "Lo que escribí"})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Elija una calificación del 1 al 5." in body and "Lo que escribí" in body
    assert web.post(survey_url, {"rating": "5"}).status_code == 302
    assert "Calificó la atención con 5 de 5" in web.get(page).content.decode()


def test_a_ticket_whose_case_concluded_reopens_as_a_new_linked_ticket(org: Any) -> None:
    publish_ficha("S04.03.04.02")
    user = requester_user("DIGEP")
    old = new_ticket(user)
    old.refresh_from_db()
    first_case = old.instance_id
    assert first_case is not None
    # The procedure ran to its end and closed the ticket with its solution.
    Instance.objects.filter(pk=first_case).update(status=InstanceStatus.COMPLETED)
    resolved = datetime.datetime.now(tz=LIMA) - datetime.timedelta(days=1)
    Ticket.objects.filter(pk=old.pk).update(
        status=Status.CERRADO, resolved_at=resolved, closed_at=resolved
    )
    old.refresh_from_db()

    new = actions.do_reopen_ticket(old, actor=user, reason="La impresora volvió a fallar.")

    assert new.pk != old.pk and new.reopens_id == old.pk
    assert new.requester_id == old.requester_id and new.category_id == old.category_id
    assert new.description == "La impresora volvió a fallar."
    new.refresh_from_db()
    assert new.instance_id not in (None, first_case)  # a new case
    old.refresh_from_db()
    assert old.status == Status.CERRADO
    event = AuditEvent.objects.get(action="ticket.reopen_as", object_id=str(old.pk))
    assert event.after["new_ticket"] == new.number

    api = client_for(user).get(f"/api/v1/tickets/{new.number}/").json()
    assert api["reopens"] == old.number


def test_the_reopen_window_still_applies(org: Any) -> None:
    publish_ficha("S04.03.04.02")
    user = requester_user("DIGEP")
    old = new_ticket(user)
    old.refresh_from_db()
    Instance.objects.filter(pk=old.instance_id).update(status=InstanceStatus.COMPLETED)
    long_ago = datetime.datetime.now(tz=LIMA) - datetime.timedelta(days=60)
    Ticket.objects.filter(pk=old.pk).update(
        status=Status.CERRADO, resolved_at=long_ago, closed_at=long_ago
    )
    old.refresh_from_db()
    with pytest.raises(Conflict):
        actions.do_reopen_ticket(old, actor=user, reason="Otra vez.")
    assert Ticket.objects.count() == 1
