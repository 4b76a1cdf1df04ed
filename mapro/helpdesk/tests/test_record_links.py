"""A page that names a ticket or an expediente of another scope through a foreign key links to it
only when its viewer may open it (least privilege): otherwise it shows the bare number, without
the ticket's subject, and the target page itself still refuses that viewer (404).

``helpdesk.selectors.visible_ticket_urls`` and ``procedures.selectors.instance_urls``: no
statement for a viewer who sees every ticket / instance, one for a page otherwise.
SQLite and PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mapro.assets import testing as asset_testing
from mapro.assets.models import RestoreRequest
from mapro.core.testing import make_user
from mapro.datacenter import testing as dc_testing
from mapro.datacenter.models import Visit
from mapro.govdigital import testing as gd_testing
from mapro.govdigital.models import Plan
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.selectors import visible_ticket_urls
from mapro.iam import testing as iam_testing
from mapro.incidents.choices import Kind
from mapro.incidents.testing import make_incident
from mapro.knowledge.actions import do_link_article_to_ticket
from mapro.knowledge.testing import make_article
from mapro.procedures.actions import do_start_instance
from mapro.procedures.selectors import instance_urls
from mapro.procedures.testing import publish_ficha
from mapro.systems import actions as system_actions
from mapro.systems import testing as system_testing
from mapro.systems.models import InformationSystem, Release

from .helpers import new_ticket, requester_user, unit

pytestmark = pytest.mark.django_db

SUBJECT = "Asunto reservado de la solicitud"


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    """A ticket requested from DIGEP (team Infraestructura) and an expediente concerning DIGEP
    started by the OGTIE; the director of DIGEP may open both, the director of OGAJ neither."""
    requester = requester_user("DIGEP")
    ticket = new_ticket(requester, code="publicacion-servicio-web", data={}, subject=SUBJECT)
    assert ticket.team.code == "OGTIE-INFRAESTRUCTURA"
    publish_ficha("S04.02.00.03")
    instance = do_start_instance(
        "S04.02.00.03",
        actor=make_user("coord-innovacion", unit=unit("OGTIE-INNOVACION")),
        unit=unit("DIGEP"),
    )
    return {
        "ticket": ticket,
        "instance": instance,
        "start": lambda: do_start_instance(
            "S04.02.00.03",
            actor=make_user("coord-innovacion", unit=unit("OGTIE-INNOVACION")),
            unit=unit("DIGEP"),
        ),
        "requester": requester,
        "inside": make_user("director-uo", unit=unit("DIGEP")),
        "outside": make_user("director-uo", unit=unit("OGAJ")),
    }


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def page(user: Any, url: str) -> str:
    response = client(user).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def ticket_href(ticket: Ticket) -> str:
    return f'href="{reverse("helpdesk:ticket_detail", args=[ticket.number])}"'


def instance_href(instance: Any) -> str:
    return f'href="{reverse("procedures:instance_detail", args=[instance.pk])}"'


def assert_linked(html: str, world: dict[str, Any], *, ticket: bool, instance: bool) -> None:
    if ticket:
        assert ticket_href(world["ticket"]) in html
    if instance:
        assert instance_href(world["instance"]) in html


def assert_plain(html: str, world: dict[str, Any], *, ticket: bool, instance: bool) -> None:
    """The references are there as numbers, without links or the ticket's subject; and the
    viewer may indeed not open them."""
    viewer = world["viewer"]
    if ticket:
        assert world["ticket"].number in html
        assert ticket_href(world["ticket"]) not in html
        assert SUBJECT not in html
        target = reverse("helpdesk:ticket_detail", args=[world["ticket"].number])
        assert client(viewer).get(target).status_code == 404
    if instance:
        assert f"{world['instance'].pk}" in html
        assert instance_href(world["instance"]) not in html
        target = reverse("procedures:instance_detail", args=[world["instance"].pk])
        assert client(viewer).get(target).status_code == 404


# --- the selectors ------------------------------------------------------------------------------


def test_the_selectors_name_only_what_the_viewer_may_open(world: dict[str, Any]) -> None:
    ticket, instance = world["ticket"], world["instance"]
    assert set(visible_ticket_urls(world["inside"], [ticket, None])) == {ticket.pk}
    assert visible_ticket_urls(world["outside"], [ticket]) == {}
    assert instance_urls(world["inside"], [instance.pk, None]) == {
        instance.pk: reverse("procedures:instance_detail", args=[instance.pk])
    }
    assert instance_urls(world["outside"], [instance.pk]) == {}


def test_no_statement_for_who_sees_everything_one_for_anyone_else(world: dict[str, Any]) -> None:
    ticket, instance = world["ticket"], world["instance"]
    boss, desk, director = make_user("jefe-ogtie"), make_user("operador-mesa"), world["inside"]
    for user in (boss, desk, director):  # the viewer's grants and Person, read once per request
        instance_urls(user, [instance.pk])
        visible_ticket_urls(user, [ticket])
    with CaptureQueriesContext(connection) as ctx:
        assert instance.pk in instance_urls(boss, [instance.pk])
        assert ticket.pk in visible_ticket_urls(desk, [ticket])
        assert instance_urls(director, []) == {} and visible_ticket_urls(director, []) == {}
    assert ctx.captured_queries == []
    with CaptureQueriesContext(connection) as ctx:
        assert list(instance_urls(director, [instance.pk, instance.pk + 1000])) == [instance.pk]
        assert list(visible_ticket_urls(director, [ticket])) == [ticket.pk]
    assert len(ctx.captured_queries) == 2


# --- the pages ----------------------------------------------------------------------------------


def test_incident_page(world: dict[str, Any]) -> None:
    ticket, instance = world["ticket"], world["instance"]
    # An incident has its own expediente: the director of DIGEP's is another of DIGEP's.
    mine = world["start"]()
    own = make_incident(Kind.SEGURIDAD, unit=unit("DIGEP"), ticket=ticket, instance=mine)
    other = make_incident(Kind.SEGURIDAD, unit=unit("OGAJ"), ticket=ticket, instance=instance)
    html = page(world["inside"], reverse("incidents:incident_detail", args=[own.code]))
    assert_linked(html, world, ticket=True, instance=False)
    assert SUBJECT not in html  # the incident page never showed the subject
    assert instance_href(mine) in html
    world["viewer"] = world["outside"]
    html = page(world["outside"], reverse("incidents:incident_detail", args=[other.code]))
    assert_plain(html, world, ticket=True, instance=True)


def test_account_page(world: dict[str, Any]) -> None:
    pages = {}
    for key, code in (("inside", "DIGEP"), ("outside", "OGAJ")):
        account = iam_testing.make_account(iam_testing.make_person(unit=unit(code)))
        account.tickets.add(world["ticket"])
        account.instances.add(world["instance"])
        pages[key] = page(world[key], reverse("iam:account_detail", args=[account.pk]))
    assert_linked(pages["inside"], world, ticket=True, instance=True)
    assert SUBJECT in pages["inside"]
    world["viewer"] = world["outside"]
    assert_plain(pages["outside"], world, ticket=True, instance=True)


def test_knowledge_article_page(world: dict[str, Any]) -> None:
    article = make_article()
    do_link_article_to_ticket(world["ticket"], article, actor=None)
    url = reverse("knowledge:article_detail", args=[article.pk])
    same_team = make_user("coord-infraestructura", unit=unit("OGTIE-INFRAESTRUCTURA"))
    html = page(same_team, url)
    assert_linked(html, world, ticket=True, instance=False)
    assert SUBJECT in html
    world["viewer"] = make_user("coord-innovacion", unit=unit("OGTIE-INNOVACION"))
    assert_plain(page(world["viewer"], url), world, ticket=True, instance=False)


def test_ticket_page_links_its_expediente_only_for_who_may_open_it(world: dict[str, Any]) -> None:
    ticket = world["ticket"]
    Ticket.objects.filter(pk=ticket.pk).update(instance=world["instance"])
    url = reverse("helpdesk:portal_ticket", args=[ticket.number])
    assert_linked(page(world["inside"], url), world, ticket=False, instance=True)
    world["viewer"] = world["requester"]  # requested the ticket, did not start the expediente
    html = page(world["requester"], url)
    assert SUBJECT in html  # their own ticket
    assert_plain(html, world, ticket=False, instance=True)


def _instances(world: dict[str, Any]) -> dict[str, Any]:
    """The expediente each director's record names (a record has its own): one of DIGEP's for
    the director of DIGEP, the world's for the director of OGAJ (who may open neither)."""
    return {"inside": world["start"](), "outside": world["instance"]}


def _compare(world: dict[str, Any], instances: dict[str, Any], pages: dict[str, list[str]]) -> None:
    world["viewer"] = world["outside"]
    for inside, outside in zip(pages["inside"], pages["outside"], strict=True):
        assert instance_href(instances["inside"]) in inside
        assert_plain(outside, world, ticket=False, instance=True)


def test_restore_request_page(world: dict[str, Any]) -> None:
    instances, pages = _instances(world), {}
    for key, code in (("inside", "DIGEP"), ("outside", "OGAJ")):
        restore = asset_testing.restore_request(unit(code))
        RestoreRequest.objects.filter(pk=restore.pk).update(instance=instances[key])
        pages[key] = [page(world[key], reverse("assets:restore_detail", args=[restore.pk]))]
    _compare(world, instances, pages)


def test_data_center_visit_and_entry_pages(world: dict[str, Any]) -> None:
    instances, pages = _instances(world), {}
    for key, code in (("inside", "DIGEP"), ("outside", "OGAJ")):
        visit = dc_testing.contractor_visit(unit=unit(code))
        Visit.objects.filter(pk=visit.pk).update(instance=instances[key])
        entry = dc_testing.open_entry(Visit.objects.get(pk=visit.pk))
        pages[key] = [
            page(world[key], reverse("datacenter:visit_detail", args=[visit.pk])),
            page(world[key], reverse("datacenter:entry_detail", args=[entry.pk])),
        ]
    _compare(world, instances, pages)


def test_system_and_release_pages(world: dict[str, Any]) -> None:
    instances, pages = _instances(world), {}
    # A release has its own expediente too (one of DIGEP's each: OGAJ's director sees neither).
    releases = {"inside": world["start"](), "outside": world["start"]()}
    for key, code in (("inside", "DIGEP"), ("outside", "OGAJ")):
        system = system_testing.make_system(f"SIS-{code}", unit=unit(code))
        InformationSystem.objects.filter(pk=system.pk).update(git_access_instance=instances[key])
        release = system_actions.do_register_release(
            system, version="1.0.0", actor=None, check=False
        )
        Release.objects.filter(pk=release.pk).update(instance=releases[key])
        pages[key] = [
            page(world[key], reverse("systems:system_detail", args=[system.pk])),
            page(world[key], reverse("systems:release_detail", args=[release.pk])),
        ]
    _compare(world, instances, {key: found[:1] for key, found in pages.items()})
    assert instance_href(releases["inside"]) in pages["inside"][1]
    world["instance"] = releases["outside"]
    assert_plain(pages["outside"][1], world, ticket=False, instance=True)


def test_digital_government_plan_page(world: dict[str, Any]) -> None:
    plan = gd_testing.make_plan()
    Plan.objects.filter(pk=plan.pk).update(instance=world["instance"])
    url = reverse("govdigital:plan_detail", args=[plan.code])
    assert_linked(page(make_user("jefe-ogtie"), url), world, ticket=False, instance=True)
    world["viewer"] = make_user("cgd")  # reads the PGD, takes no task of this expediente
    assert_plain(page(world["viewer"], url), world, ticket=False, instance=True)


def test_schedule_and_cronograma_pages(world: dict[str, Any]) -> None:
    """Their readers hold OGTIE roles (every expediente) or are superusers without a role."""
    from mapro.schedules.models import Plan as SchedulePlan
    from mapro.schedules.models import ScheduleOccurrence
    from mapro.schedules.testing import make_schedule
    from mapro.schedules.testing_plans import make_plan as make_schedule_plan

    instance = world["instance"]
    schedule = make_schedule()
    ScheduleOccurrence.objects.create(
        schedule=schedule,
        occurs_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        instance=instance,
        handled_at=dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC),
    )
    plan = make_schedule_plan()
    SchedulePlan.objects.filter(pk=plan.pk).update(instance=instance)
    urls = [
        reverse("schedules:schedule_detail", args=[schedule.pk]) + "?anio=2026",
        reverse("schedules:plan_detail", args=[plan.pk]),
    ]
    world["viewer"] = make_user(is_superuser=True)
    for url in urls:
        html = page(make_user("jefe-ogtie"), url)
        assert_linked(html, world, ticket=False, instance=True)
        assert_plain(page(world["viewer"], url), world, ticket=False, instance=True)


def test_equipment_page_links_a_maintenance_document_only_for_who_may_read_it(
    world: dict[str, Any],
) -> None:
    from mapro.documents.testing import issued_oficio
    from mapro.inventory.actions import do_record_maintenance
    from mapro.inventory.models import Maintenance
    from mapro.inventory.testing import new_equipment

    oficio = issued_oficio()
    printer = new_equipment(unit=unit("DIGEP"))
    maintenance = do_record_maintenance(
        printer,
        kind="correctivo",
        outcome="solucionado",
        performed_on=dt.date(2025, 1, 10),
        scheduled_on=dt.date(2025, 1, 10),
        actor=None,
        check=False,
    )
    Maintenance.objects.filter(pk=maintenance.pk).update(oficio=oficio)
    url = reverse("inventory:equipment_detail", args=[printer.pk])
    href = f'href="{reverse("documents:document_detail", args=[oficio.pk])}"'
    html = page(make_user("coord-infraestructura", unit=unit("OGTIE-INFRAESTRUCTURA")), url)
    assert href in html and oficio.number in html
    director = world["inside"]  # reads DIGEP's equipment, not the OGTIE's oficios
    html = page(director, url)
    assert oficio.number in html and href not in html
    target = reverse("documents:document_detail", args=[oficio.pk])
    assert client(director).get(target).status_code == 404
