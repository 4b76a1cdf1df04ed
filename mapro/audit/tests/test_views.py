"""The audit viewer: who may read it, filters, CSV, verification, and a constant query count."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mapro.audit.models import AuditEvent
from mapro.core.context import change_context

from .helpers import add_event, add_events

pytestmark = pytest.mark.django_db

LIST = reverse("audit:event_list")
EXPORT = reverse("audit:event_export")
VERIFY = reverse("audit:chain_verify")


@pytest.fixture
def jefe(make_user):
    return make_user("jefe-ogtie")


@pytest.fixture
def jefe_client(client, jefe):
    client.force_login(jefe)
    return client


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# --- permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [LIST, EXPORT, reverse("audit:event_detail", args=[1])],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["operador-mesa", "coord-ciberseguridad", None])
def test_other_roles_are_forbidden(client, make_user, role):
    event = add_event()
    client.force_login(make_user(role))
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.get(reverse("audit:event_detail", args=[event.pk])).status_code == 403
    assert client.post(VERIFY).status_code == 403


@pytest.mark.parametrize("role", ["jefe-ogtie", "esp-seguridad-info"])
def test_viewer_roles_may_read(client, make_user, role):
    event = add_event(action="ticket.close")
    client.force_login(make_user(role))
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Ticket cerrado" in response.content.decode()
    assert b'href="/auditoria/"' in response.content  # the nav link is shown to them
    assert client.get(reverse("audit:event_detail", args=[event.pk])).status_code == 200
    assert client.get(EXPORT).status_code == 200


def test_nav_link_hidden_from_other_roles(client, make_user):
    client.force_login(make_user("operador-mesa"))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert b'href="/auditoria/"' not in response.content


# --- list and filters --------------------------------------------------------------------------


def test_list_is_newest_first_and_paginates_by_keyset(jefe_client):
    events = add_events(120)
    newest_first = [e.pk for e in reversed(events)]
    only = {"action": "ticket.update"}  # signing in may audit a login of its own
    page1 = jefe_client.get(LIST, only).context["page"]
    assert [e.pk for e in page1.events] == newest_first[:50]
    assert page1.newer_than is None
    page2 = jefe_client.get(LIST, {**only, "antes": page1.older_than}).context["page"]
    assert [e.pk for e in page2.events] == newest_first[50:100]
    page3 = jefe_client.get(LIST, {**only, "antes": page2.older_than}).context["page"]
    assert [e.pk for e in page3.events] == newest_first[100:]
    assert page3.older_than is None
    back = jefe_client.get(LIST, {**only, "despues": page2.newer_than}).context["page"]
    assert [e.pk for e in back.events] == [e.pk for e in page1.events]
    unfiltered = jefe_client.get(LIST).context["page"]
    assert unfiltered.events[0].pk == AuditEvent.objects.latest("id").pk


def test_filters_by_actor_object_action_source_and_dates(jefe_client, make_user):
    ana = make_user("operador-mesa", username="ana")
    make_user("operador-mesa", username="anabel")
    add_event(actor=ana, action="ticket.assign", object_type="helpdesk.ticket", object_id="7")
    add_event(actor=ana, action="ticket.close", object_type="helpdesk.ticket", object_id="8")
    add_event(action="inventory.sync", object_type="inventory.asset", object_id="7")
    with change_context(source="worker"):
        add_event(action="ticket.remind", object_type="helpdesk.ticket", object_id="7")

    def actions(**params):
        response = jefe_client.get(LIST, params)
        assert response.status_code == 200
        return sorted(e.action for e in response.context["page"].events)

    assert actions(actor="ana") == ["ticket.assign", "ticket.close"]
    assert actions(actor="anabel") == []
    # make_user's people and assignments are audited as the system too; leave them aside.
    by_system = [a for a in actions(actor="sistema") if a.startswith(("inventory.", "ticket."))]
    assert by_system == ["inventory.sync", "ticket.remind"]
    assert actions(object_type="helpdesk.ticket", object_id="7") == [
        "ticket.assign",
        "ticket.remind",
    ]
    assert actions(action="ticket.close") == ["ticket.close"]
    assert actions(action="ticket.") == ["ticket.assign", "ticket.close", "ticket.remind"]
    assert actions(source="worker") == ["ticket.remind"]
    today = timezone.localdate()
    assert len(actions(date_from=today.isoformat(), date_to=today.isoformat())) == len(actions())
    tomorrow = today + datetime.timedelta(days=1)
    assert actions(date_from=tomorrow.isoformat()) == []
    yesterday = today - datetime.timedelta(days=1)
    assert actions(date_to=yesterday.isoformat()) == []


def test_date_range_is_in_lima_time(jefe_client, monkeypatch):
    """03:00 UTC on 2 March is still 1 March in Lima (UTC-5)."""
    instant = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    add_event(action="ticket.late")
    monkeypatch.undo()

    def found(**dates):
        response = jefe_client.get(LIST, {"action": "ticket.late", **dates})
        return len(response.context["page"].events)

    assert found(date_from="2026-03-01", date_to="2026-03-01") == 1
    assert found(date_from="2026-03-02") == 0
    assert found(date_to="2026-02-28") == 0


def test_invalid_date_range_shows_an_error(jefe_client):
    add_event()
    response = jefe_client.get(LIST, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert response.context["page"].events == []
    assert "La fecha final no puede ser anterior a la inicial." in response.content.decode()
    assert jefe_client.get(EXPORT, {"date_from": "no-es-fecha"}).status_code == 400


def test_list_query_count_does_not_grow_with_events(jefe_client, django_assert_num_queries):
    add_events(3)
    jefe_client.get(LIST)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert jefe_client.get(LIST).status_code == 200
    add_events(80)
    with django_assert_num_queries(len(few.captured_queries)):
        response = jefe_client.get(LIST, {"action": "ticket.update"})
    assert len(response.context["page"].events) == 50


# --- detail, CSV and verification ---------------------------------------------------------------


def test_detail_shows_before_and_after(jefe_client):
    event = add_event(
        action="ticket.assign",
        object_type="helpdesk.ticket",
        object_id="12",
        before={"asignado": "ana", "estado": "abierto"},
        after={"asignado": "luis", "estado": "abierto"},
    )
    response = jefe_client.get(reverse("audit:event_detail", args=[event.pk]))
    rows = {row["field"]: row for row in response.context["diff"]}
    assert rows["asignado"]["before"] == "ana" and rows["asignado"]["after"] == "luis"
    assert rows["asignado"]["changed"] and not rows["estado"]["changed"]
    assert response.context["hash_ok"]
    assert jefe_client.get(reverse("audit:event_detail", args=[999999])).status_code == 404


def test_csv_export_follows_the_filters(jefe_client, make_user):
    ana = make_user("operador-mesa", username="ana")
    with change_context(source="web", client_address="10.0.0.5", request_id="req-1"):
        add_event(
            actor=ana,
            action="ticket.assign",
            object_type="helpdesk.ticket",
            object_id="7",
            object_repr="=HYPERLINK(malicioso)",
            after={"asignado": "luis"},
        )
    add_event(action="inventory.sync")
    response = jefe_client.get(EXPORT, {"action": "ticket.assign"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:4] == ["ID", "Fecha y hora (America/Lima)", "Usuario", "Acción"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    event = AuditEvent.objects.get(action="ticket.assign")
    assert row["ID"] == str(event.pk)
    assert row["Usuario"].startswith("ana (")
    assert row["Origen"] == "Web"
    assert row["Dirección del cliente"] == "10.0.0.5"
    assert row["ID de solicitud"] == "req-1"
    assert row["Objeto"] == "'=HYPERLINK(malicioso)"  # not run as a formula
    assert row["Después"] == '{"asignado": "luis"}'
    assert row["Hash"] == event.hash
    # People read it as the page shows it: Spanish names, the date as dd/mm/aaaa…
    assert row["Acción"] == "Ticket asignado"
    assert row["Tipo de objeto"] == "Ticket"
    local = timezone.localtime(event.occurred_at)
    assert row["Fecha y hora (America/Lima)"] == local.strftime("%d/%m/%Y %H:%M:%S")
    # … and programs find the codes and the ISO 8601 time in their own columns.
    assert row["Código de la acción"] == "ticket.assign"
    assert row["Código del tipo de objeto"] == "helpdesk.ticket"
    assert row["Fecha y hora (ISO 8601)"] == local.isoformat()


def test_the_action_and_object_filters_offer_spanish_names(jefe_client):
    add_event(action="ticket.close", object_type="helpdesk.ticket", object_id="8")
    add_event(action="session.login")
    page = jefe_client.get(LIST).content.decode()
    # The codes are the values; people choose by the names they read in the list.
    assert '<option value="ticket.close">Ticket cerrado</option>' in page
    assert '<option value="ticket.">Ticket: todas</option>' in page
    assert '<optgroup label="Sesiones">' in page
    assert '<option value="helpdesk.ticket">Ticket</option>' in page
    assert ">ticket.close<" not in page
    chosen = jefe_client.get(LIST, {"action": "ticket.close"}).content.decode()
    assert '<option value="ticket.close" selected>Ticket cerrado</option>' in chosen
    events = jefe_client.get(LIST, {"action": "ticket."}).context["page"].events
    assert {e.action for e in events} == {"ticket.close"}
    # A code the list does not offer still filters (a link kept from before), and one that
    # is too long is refused with the field's error, not a server error.
    assert jefe_client.get(LIST, {"action": "ticket.desconocida"}).status_code == 200
    too_long = jefe_client.get(LIST, {"action": "x" * 101})
    assert too_long.status_code == 200
    assert "Asegúrese de que este valor tenga menos de 100 caracteres" in (
        too_long.content.decode()
    )


def test_verify_button_reports_the_chain(jefe_client):
    add_events(3)
    response = jefe_client.post(VERIFY, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    total = AuditEvent.objects.count()
    assert total >= 3
    assert f"Cadena de auditoría íntegra: {total} eventos" in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment for htmx
    assert jefe_client.get(VERIFY).status_code == 405


def test_verify_button_names_the_altered_event(jefe_client):
    events = add_events(3)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("UPDATE audit_auditevent SET action = 'otra' WHERE id = %s", [events[1].pk])
    response = jefe_client.post(VERIFY)
    content = response.content.decode()
    assert f"evento {events[1].pk}" in content and "contenido alterado" in content
    detail = jefe_client.get(reverse("audit:event_detail", args=[events[1].pk]))
    assert not detail.context["hash_ok"]
