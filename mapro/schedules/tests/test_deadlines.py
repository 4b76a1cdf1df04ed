"""Deadlines: the ficha's limit, the due date on the business calendar, the overdue filter, and
the reminder and escalation sent once each from the worker tick."""

from __future__ import annotations

import copy
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.testing import ensure_unit, make_user
from mapro.notifications.fanout import fan_out_notifications
from mapro.notifications.models import Notification, OutboxMessage
from mapro.procedures.actions import do_complete_task, do_start_instance
from mapro.procedures.ficha.validator import check_ficha
from mapro.procedures.models import WorkItem, WorkItemState
from mapro.procedures.tests.runtime_helpers import FICHA, publish
from mapro.schedules.choices import NoticeKind
from mapro.schedules.deadlines import do_send_deadline_notices
from mapro.schedules.limits import check_deadline
from mapro.schedules.models import DeadlineNotice

LIMA = ZoneInfo("America/Lima")
API = "/api/v1"


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LIMA)


# Friday 27 November 2026, 10:00. Two business days later is Tuesday 1 December (17:30 is the
# end of office hours); one more business day to escalate is Wednesday 2 December, 17:30.
OPENED = at(2026, 11, 27, 10, 0)
DUE = at(2026, 12, 1, 17, 30)
ESCALATE = at(2026, 12, 2, 17, 30)
DEADLINE = {
    "business_days": 2,
    "escalate_after": {"business_days": 1},
    "escalate_to": "jefe-ogtie",
}


def ficha_with(deadline: dict | None) -> dict:
    ficha = copy.deepcopy(FICHA)
    if deadline is not None:
        ficha["activities"][1]["deadline"] = deadline  # activity 2: operador-mesa, OGTIE
    return ficha


def with_mail(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def cast(db):
    publish(ficha_with(DEADLINE))
    ogtie = ensure_unit("OGTIE")
    return {
        "operador": with_mail(make_user("operador-mesa", unit=ogtie), "operador@mindef.gob.pe"),
        "operador2": with_mail(make_user("operador-mesa", unit=ogtie), "operador2@mindef.gob.pe"),
        "jefe": with_mail(make_user("jefe-ogtie", unit=ogtie), "jefe@mindef.gob.pe"),
        "coord": with_mail(make_user("coord-innovacion", unit=ogtie), "coord@mindef.gob.pe"),
    }


def _start(cast, when=OPENED):
    with time_machine.travel(when, tick=False):
        instance = do_start_instance("T.01", start="oficio", actor=cast["operador"])
    return WorkItem.objects.get(instance=instance, n=2)


def api_client(user):
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(pk=user.pk))
    return api


# --- the ficha ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "needle"),
    [
        ({"business_days": 0}, "mayor que cero"),
        ({"business_days": 2, "business_hours": 4}, "exactamente uno"),
        ({"days": 2}, "Clave desconocida 'days'"),
        ({"business_days": 2, "escalate_to": "jefe-ogtie"}, "van juntos"),
        ({"business_hours": 8, "escalate_after": {"business_days": 1}, "escalate_to": "x"}, "'x'"),
        ({"business_days": 1, "escalate_after": {"weeks": 1}, "escalate_to": "cgd"}, "es {"),
        ("3 días", "debe ser un mapeo"),
    ],
)
def test_the_validator_refuses_a_bad_deadline_and_says_where(deadline, needle):
    problems = check_ficha(ficha_with(deadline), inventory={})
    messages = [p.message for p in problems]
    assert any(needle in m and "Actividad 2" in m for m in messages), messages


def test_a_good_deadline_passes_the_validator():
    from mapro.procedures.ficha.roles import ROLE_NAMES

    assert check_deadline(DEADLINE, ROLE_NAMES) == []
    assert check_deadline({"business_hours": 8}, ROLE_NAMES) == []


# --- the due date -------------------------------------------------------------------------------


def test_a_task_stores_its_due_date_in_business_days(cast):
    item = _start(cast)
    assert item.due_at == DUE


def test_business_hours_skip_nights_and_weekends(db):
    publish(ficha_with({"business_hours": 8}))
    ogtie = ensure_unit("OGTIE")
    operador = make_user("operador-mesa", unit=ogtie)
    with time_machine.travel(at(2026, 11, 27, 16, 0), tick=False):  # Friday, 1.5 h left
        instance = do_start_instance("T.01", start="oficio", actor=operador)
    item = WorkItem.objects.get(instance=instance, n=2)
    assert item.due_at == at(2026, 11, 30, 15, 0)  # Monday 08:30 + 6.5 h


def test_an_activity_without_a_limit_has_no_due_date(db):
    publish(ficha_with(None))
    operador = make_user("operador-mesa", unit=ensure_unit("OGTIE"))
    instance = do_start_instance("T.01", start="oficio", actor=operador)
    assert WorkItem.objects.get(instance=instance, n=2).due_at is None


# --- the overdue filter -------------------------------------------------------------------------


def test_overdue_tasks_are_a_filter_of_the_api_inbox(cast):
    item = _start(cast)
    with time_machine.travel(at(2026, 12, 1, 17, 0), tick=False):  # not yet
        body = api_client(cast["operador"]).get(f"{API}/tasks/").json()
        assert [(t["id"], t["overdue"]) for t in body] == [(item.pk, False)]
        assert api_client(cast["operador"]).get(f"{API}/tasks/?overdue=true").json() == []
    with time_machine.travel(at(2026, 12, 1, 17, 31), tick=False):
        response = api_client(cast["operador"]).get(f"{API}/tasks/?overdue=true")
        assert response.status_code == 200
        assert isinstance(response.json(), list)  # the body stays a bare list
        assert [(t["id"], t["overdue"]) for t in response.json()] == [(item.pk, True)]
        # Another role sees nothing, overdue or not.
        assert api_client(cast["coord"]).get(f"{API}/tasks/?overdue=true").json() == []
        bad = api_client(cast["operador"]).get(f"{API}/tasks/?overdue=quizas")
        assert bad.status_code == 400
        assert "overdue" in bad.json()["errors"]


def test_overdue_filter_pages_with_its_link(cast):
    items = [_start(cast) for _ in range(3)]
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        response = api_client(cast["operador"]).get(f"{API}/tasks/?overdue=true&limit=2")
        assert [t["id"] for t in response.json()] == [i.pk for i in items[:2]]
        assert "overdue=true" in response["Link"]
        following = api_client(cast["operador"]).get(response["Link"].split(";")[0].strip("<>"))
        assert [t["id"] for t in following.json()] == [items[2].pk]


def test_overdue_tasks_are_a_filter_of_the_html_inbox(cast, client):
    item = _start(cast)
    with time_machine.travel(at(2026, 12, 1, 17, 0), tick=False):
        client.force_login(cast["operador"])
        page = client.get("/tareas/?vencidas=1")
        assert page.status_code == 200
        assert "No tiene tareas vencidas." in page.content.decode()
    with time_machine.travel(at(2026, 12, 1, 18, 0), tick=False):
        client.force_login(cast["operador"])
        html = client.get("/tareas/?vencidas=1").content.decode()
        assert f"/tareas/{item.pk}/" in html
        assert "task-overdue" in html


# --- reminders and escalation -------------------------------------------------------------------


def test_an_overdue_task_reminds_its_holders_once_then_escalates_once(cast):
    item = _start(cast)
    with time_machine.travel(at(2026, 12, 1, 17, 29), tick=False):
        result = do_send_deadline_notices()
        assert (result.reminders, result.escalations) == (0, 0)
    with time_machine.travel(at(2026, 12, 1, 17, 31), tick=False):
        assert do_send_deadline_notices().reminders == 1
        assert do_send_deadline_notices().reminders == 0  # the next tick, or another worker
    reminder = DeadlineNotice.objects.get(work_item=item, kind=NoticeKind.REMINDER)
    assert sorted(reminder.recipients) == sorted(
        [cast["operador"].username, cast["operador2"].username]
    )
    assert reminder.escalate_at == ESCALATE
    told = Notification.objects.filter(key=f"deadline:{item.pk}:reminder")
    assert sorted(n.recipient_id for n in told) == sorted(
        [cast["operador"].pk, cast["operador2"].pk]
    )
    assert all("Tarea vencida" in n.subject and n.url == f"/tareas/{item.pk}/" for n in told)
    assert all(n.instance_id == item.instance_id for n in told)
    fan_out_notifications()  # the worker mails them through the outbox
    mailed = sorted(a for m in OutboxMessage.objects.all() for a in m.recipients)
    assert mailed == ["operador2@mindef.gob.pe", "operador@mindef.gob.pe"]
    with time_machine.travel(at(2026, 12, 2, 17, 29), tick=False):
        assert do_send_deadline_notices().escalations == 0
    with time_machine.travel(at(2026, 12, 2, 17, 31), tick=False):
        assert do_send_deadline_notices().escalations == 1
        assert do_send_deadline_notices().escalations == 0
    escalation = DeadlineNotice.objects.get(work_item=item, kind=NoticeKind.ESCALATION)
    assert escalation.roles == ["jefe-ogtie"]
    assert escalation.recipients == [cast["jefe"].username]
    told = Notification.objects.filter(key=f"deadline:{item.pk}:escalation")
    assert [n.recipient_id for n in told] == [cast["jefe"].pk]
    assert "Escalamiento" in told[0].subject
    assert AuditEvent.objects.filter(action="task.deadline_escalation").count() == 1


def test_a_task_done_in_time_reminds_nobody(cast):
    item = _start(cast)
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        do_complete_task(item.pk, {"procede": "no"}, actor=cast["operador"])
    with time_machine.travel(at(2026, 12, 10, 9, 0), tick=False):
        result = do_send_deadline_notices()
    assert (result.reminders, result.escalations) == (0, 0)
    assert not Notification.objects.filter(key__startswith="deadline:").exists()


def test_a_task_done_after_the_reminder_is_not_escalated(cast):
    item = _start(cast)
    with time_machine.travel(at(2026, 12, 1, 18, 0), tick=False):
        do_send_deadline_notices()
        do_complete_task(item.pk, {"procede": "no"}, actor=cast["operador"])
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        assert do_send_deadline_notices().escalations == 0
    assert WorkItem.objects.get(pk=item.pk).state == WorkItemState.COMPLETED


def test_a_reminder_nobody_can_receive_is_still_recorded(db):
    publish(ficha_with(DEADLINE))
    operador = make_user("operador-mesa", unit=ensure_unit("OGTIE"))
    with time_machine.travel(OPENED, tick=False):
        instance = do_start_instance("T.01", start="oficio", actor=operador)
    operador.is_active = False
    operador.save()
    with time_machine.travel(at(2026, 12, 1, 18, 0), tick=False):
        assert do_send_deadline_notices().reminders == 1
    notice = DeadlineNotice.objects.get(work_item__instance=instance)
    assert notice.recipients == []
    assert not Notification.objects.exists()


def test_the_overdue_filter_costs_the_same_queries_however_many_tasks(
    cast, django_assert_num_queries
):
    for _ in range(5):
        _start(cast)
    user = get_user_model().objects.get(pk=cast["operador"].pk)
    api = APIClient()
    api.force_authenticate(user)
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        with django_assert_num_queries(3):  # forced auth: grants + the page + its tickets
            assert len(api.get(f"{API}/tasks/?overdue=true").json()) == 5
        for _ in range(5):
            _start(cast, at(2026, 12, 2, 8, 59))
        api.force_authenticate(get_user_model().objects.get(pk=user.pk))  # grants not cached
        with django_assert_num_queries(3):
            assert len(api.get(f"{API}/tasks/?overdue=true").json()) == 5  # new ones not due


def test_the_instance_page_says_who_was_reminded_or_that_nobody_was(cast, client):
    item = _start(cast)
    with time_machine.travel(at(2026, 12, 1, 18, 0), tick=False):
        do_send_deadline_notices()
        client.force_login(cast["jefe"])
        html = client.get(f"/procedimientos/instancias/{item.instance_id}/").content.decode()
    assert "Recordatorio (plazo vencido) del 01/12/2026 18:00: enviado a 2 personas" in html
    DeadlineNotice.objects.filter(work_item=item).update(recipients=[])
    with time_machine.travel(at(2026, 12, 1, 18, 5), tick=False):
        client.force_login(cast["jefe"])
        html = client.get(f"/procedimientos/instancias/{item.instance_id}/").content.decode()
    assert "nadie lo recibió" in html


def test_without_the_calendar_policy_a_deadline_is_refused_not_ignored(monkeypatch):
    from mapro.procedures import deadlines

    monkeypatch.setattr(deadlines, "_policy", None)
    problems = check_ficha(ficha_with({"business_days": 2}), inventory={})
    assert any("no admite plazos" in p.message for p in problems)
    with pytest.raises(RuntimeError):
        deadlines.due_at_for({"deadline": {"business_days": 2}}, OPENED)
    assert deadlines.due_at_for({}, OPENED) is None


def test_a_task_assigned_to_one_holder_reminds_only_that_person(cast):
    from mapro.procedures.models import WorkItemRole

    item = _start(cast)
    # As a per-holder task of a multi-instance activity: one row "@<user id>".
    WorkItemRole.objects.filter(work_item=item).update(role=f"@{cast['operador2'].pk}")
    with time_machine.travel(at(2026, 12, 1, 18, 0), tick=False):
        assert do_send_deadline_notices().reminders == 1
    notice = DeadlineNotice.objects.get(work_item=item)
    assert notice.recipients == [cast["operador2"].username]
    assert notice.roles == ["operador-mesa"]
    told = Notification.objects.get(key=f"deadline:{item.pk}:reminder")
    assert told.recipient_id == cast["operador2"].pk
