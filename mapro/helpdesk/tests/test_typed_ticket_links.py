"""A typed "N° de ticket" (assets, inventory, data center registers) links to its ticket when it
names a ticket the viewer may see: not for an unknown number, not for a ticket outside the
viewer's scope (least privilege). ``helpdesk.selectors.ticket_urls``: one statement a page.
SQLite and PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mapro.assets import actions as asset_actions
from mapro.assets import testing as asset_testing
from mapro.core.testing import make_user
from mapro.datacenter import testing as dc_testing
from mapro.helpdesk.actions import do_assign_ticket
from mapro.helpdesk.selectors import ticket_urls
from mapro.inventory import testing as inventory_testing
from mapro.inventory.actions import do_record_maintenance

from .helpers import new_ticket, requester_user, staff_user, unit

pytestmark = pytest.mark.django_db

UNKNOWN = "MA-2026-999999"


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    """An Infraestructura ticket (seen by the team), an Innovación one (not seen by it), a
    Ciberseguridad one, and viewers of the registers in those teams."""
    requester, desk = requester_user("DIGEP"), staff_user("operador-mesa", "OGTIE")
    infra = new_ticket(requester, code="publicacion-servicio-web", data={})
    innov = new_ticket(requester, code="capacitacion", data={})
    ciber = do_assign_ticket(
        new_ticket(requester, code="publicacion-servicio-web", data={}),
        actor=desk,
        team=unit("OGTIE-CIBERSEGURIDAD"),
    )
    assert infra.team.code == "OGTIE-INFRAESTRUCTURA" and innov.team.code == "OGTIE-INNOVACION"
    return {
        "infra": infra.number,
        "innov": innov.number,
        "ciber": ciber.number,
        "coord": make_user("coord-infraestructura", unit=unit("OGTIE-INFRAESTRUCTURA")),
        "soporte": make_user("resp-soporte", unit=unit("OGTIE-INFRAESTRUCTURA")),
        "ciber_coord": make_user("coord-ciberseguridad", unit=unit("OGTIE-CIBERSEGURIDAD")),
        "desk": desk,
        "requester": requester,
    }


def link(number: str) -> str:
    return f'href="{reverse("helpdesk:ticket_detail", args=[number])}"'


def page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_links(html: str, seen: list[str], unseen: list[str]) -> None:
    """``seen`` numbers are shown with their link; ``unseen`` shown as typed, without one."""
    for number in seen:
        assert number in html and link(number) in html, number
    for number in unseen:
        assert number in html, number
        assert link(number.strip().upper()) not in html, number


def test_ticket_urls_names_only_tickets_the_viewer_may_see(world: dict[str, Any]) -> None:
    coord = world["coord"]
    typed = [world["infra"], f" {world['infra'].lower()} ", world["innov"], UNKNOWN, "sin ticket"]
    with CaptureQueriesContext(connection) as queries:
        urls = ticket_urls(coord, typed)
    # Case and spaces as typed are forgiven; unknown, out of scope and free text get nothing.
    assert urls == {
        world["infra"]: reverse("helpdesk:ticket_detail", args=[world["infra"]]),
        f" {world['infra'].lower()} ": reverse("helpdesk:ticket_detail", args=[world["infra"]]),
    }
    assert len([q for q in queries.captured_queries if "helpdesk_ticket" in q["sql"]]) == 1
    # The desk sees every ticket; the requester their own; nothing looks like a ticket: no query.
    assert set(ticket_urls(world["desk"], typed)) == set(typed) - {UNKNOWN, "sin ticket"}
    assert set(ticket_urls(world["requester"], [world["innov"], UNKNOWN])) == {world["innov"]}
    with CaptureQueriesContext(connection) as none:
        assert ticket_urls(coord, ["", "  ", "sin ticket", "123"]) == {}
    assert len(none.captured_queries) == 0


def test_restore_register_links_visible_tickets_only(world: dict[str, Any]) -> None:
    coord, digep = world["coord"], unit("DIGEP")
    rows = {
        number: asset_testing.restore_request(digep, ticket=number)
        for number in (world["infra"], world["innov"], UNKNOWN)
    }
    html = page(coord, reverse("assets:restore_list"))
    assert_links(html, [world["infra"]], [world["innov"], UNKNOWN])
    detail = page(coord, reverse("assets:restore_detail", args=[rows[world["infra"]].pk]))
    assert_links(detail, [world["infra"]], [])
    for number in (world["innov"], UNKNOWN):
        detail = page(coord, reverse("assets:restore_detail", args=[rows[number].pk]))
        assert_links(detail, [], [number])


def test_block_list_links_visible_tickets_only(world: dict[str, Any]) -> None:
    viewer = world["ciber_coord"]
    rows = {}
    for number in (world["ciber"], world["innov"], UNKNOWN):
        rows[number] = asset_actions.do_add_block(
            kind="dominio",
            value=f"phish-{number.lower()}.example",
            case_kind="phishing",
            ticket=number,
            actor=None,
            check=False,
        )
    html = page(viewer, reverse("assets:block_list"))
    assert_links(html, [world["ciber"]], [world["innov"], UNKNOWN])
    detail = page(viewer, reverse("assets:block_detail", args=[rows[world["ciber"]].pk]))
    assert_links(detail, [world["ciber"]], [])
    detail = page(viewer, reverse("assets:block_detail", args=[rows[world["innov"]].pk]))
    assert_links(detail, [], [world["innov"]])


def test_phone_and_certificate_assignments_link_visible_tickets(world: dict[str, Any]) -> None:
    phone = asset_testing.new_phone()
    asset_actions.do_assign_phone(
        phone,
        holder_name="Ana Rojas",
        unit=unit("DIGEP"),
        assigned_on=dt.date(2025, 9, 8),
        ticket=world["infra"],
        actor=None,
        check=False,
    )
    other = asset_testing.new_phone()
    asset_actions.do_assign_phone(
        other,
        holder_name="Luis Paz",
        unit=unit("DIGEP"),
        ticket=world["innov"],
        actor=None,
        check=False,
    )
    coord = world["coord"]
    assert_links(page(coord, reverse("assets:phone_detail", args=[phone.pk])), [world["infra"]], [])
    assert_links(page(coord, reverse("assets:phone_detail", args=[other.pk])), [], [world["innov"]])
    device = asset_testing.new_cert_device()
    asset_actions.do_assign_cert_device(
        device,
        holder=asset_testing.person("41000001", unit("DIGEP")),
        declaracion_jurada="DJ-firmada.pdf",
        reniec_registered_on=dt.date(2025, 8, 4),
        reniec_approved_on=dt.date(2025, 8, 6),
        assigned_on=dt.date(2025, 8, 7),
        ticket=world["innov"],
        actor=None,
        check=False,
    )
    url = reverse("assets:cert_detail", args=[device.pk])
    # Soporte (Infraestructura) does not see the Innovación ticket; the desk's Jefe(a) does.
    assert_links(page(world["soporte"], url), [], [world["innov"]])
    jefe = make_user("jefe-ogtie", unit=unit("OGTIE"))
    assert_links(page(jefe, url), [world["innov"]], [])


def test_maintenances_link_visible_tickets(world: dict[str, Any]) -> None:
    coord = world["coord"]
    printer = inventory_testing.new_equipment(unit=unit("DIGEP"))
    for number in (world["infra"], world["innov"], UNKNOWN):
        do_record_maintenance(
            printer,
            kind="correctivo",
            outcome="solucionado",
            performed_on=dt.date(2025, 1, 10),
            ticket=number,
            actor=None,
            check=False,
        )
    expected = ([world["infra"]], [world["innov"], UNKNOWN])
    assert_links(page(coord, reverse("inventory:equipment_detail", args=[printer.pk])), *expected)
    assert_links(page(coord, reverse("inventory:maintenance_list")), *expected)


def test_data_center_visits_and_logbook_link_visible_tickets(world: dict[str, Any]) -> None:
    coord = world["coord"]
    visits = {
        number: dc_testing.contractor_visit(ticket_number=number)
        for number in (world["infra"], world["innov"], UNKNOWN)
    }
    entries = {number: dc_testing.open_entry(visit) for number, visit in visits.items()}
    expected = ([world["infra"]], [world["innov"], UNKNOWN])
    assert_links(page(coord, reverse("datacenter:visit_list")), *expected)
    assert_links(page(coord, reverse("datacenter:logbook_list")), *expected)
    assert_links(page(coord, reverse("datacenter:open_entries")), *expected)
    visit_html = page(coord, reverse("datacenter:visit_detail", args=[visits[world["infra"]].pk]))
    assert visit_html.count(link(world["infra"])) == 2  # the visit's data and its entry's line
    assert_links(
        page(coord, reverse("datacenter:visit_detail", args=[visits[world["innov"]].pk])),
        [],
        [world["innov"]],
    )
    for number, seen in ((world["infra"], True), (world["innov"], False)):
        html = page(coord, reverse("datacenter:entry_detail", args=[entries[number].pk]))
        assert_links(html, [number] if seen else [], [] if seen else [number])
