"""A deep page for people: the console queue and "Mis solicitudes" jump to a date
(``?fecha=``, keyset paging kept: the page starts at that day and "Más recientes" walks back
up), the API list filters by ``desde``/``hasta``; a bad date is a Spanish field error (HTML)
or a JSON field error (API) and changes nothing else."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from mapro.core.exceptions import InvalidInput
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.paging import cursor_at_day, parse_day

from .helpers import new_ticket, requester_user, staff_user

pytestmark = pytest.mark.django_db
LIMA = zoneinfo.ZoneInfo("America/Lima")
TODAY = datetime.datetime(2025, 3, 20, 10, 0, tzinfo=LIMA)
#: When each ticket is registered (Lima). Two on the 12th, one of them at 23:30 (the 13th in
#: UTC): it belongs to the 12th.
WHEN = [
    "2025-03-10T09:00",
    "2025-03-11T09:00",
    "2025-03-12T08:00",
    "2025-03-12T23:30",
    "2025-03-13T09:00",
    "2025-03-14T09:00",
]


@pytest.fixture
def tickets(org: Any) -> dict[str, Any]:
    requester = requester_user("DIGEP")
    made = []
    for i, when in enumerate(WHEN):
        moment = datetime.datetime.fromisoformat(when).replace(tzinfo=LIMA)
        with time_machine.travel(moment, tick=False):
            made.append(new_ticket(requester, code="capacitacion", data={}, subject=f"Pedido {i}"))
    return {"requester": requester, "desk": staff_user("operador-mesa", "OGTIE"), "made": made}


def numbers_in(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"MA-\d{4}-\d{6}", html)))


def get(client: Any, url: str, **params: Any) -> Any:
    with time_machine.travel(TODAY, tick=False):
        return client.get(url, params)


def test_parse_day_reads_iso_and_peruvian_dates() -> None:
    assert parse_day("2025-03-12") == datetime.date(2025, 3, 12)
    assert parse_day("12/03/2025") == datetime.date(2025, 3, 12)
    assert parse_day(" ") is None
    for bad in ("31/02/2025", "2025-13-01", "ayer", "12/03/25x", "0001-01-01"):
        with pytest.raises(InvalidInput) as caught:
            parse_day(bad)
        assert caught.value.errors == {
            "fecha": ["Escriba una fecha válida, por ejemplo 12/03/2025."]
        }
    # Today or later: the first page.
    assert cursor_at_day(datetime.date(2025, 3, 20), today=datetime.date(2025, 3, 20)) is None


@pytest.mark.parametrize("value", ["2025-03-12", "12/03/2025"])
def test_console_jumps_to_the_day_and_walks_back_up(
    client: Any, tickets: dict[str, Any], value: str
) -> None:
    made = tickets["made"]
    client.force_login(tickets["desk"])
    url = reverse("helpdesk:console_queue")
    response = get(client, url, fecha=value, size=2)
    assert response.status_code == 200
    html = response.content.decode()
    # The page starts with the newest ticket of the 12th (23:30) and goes back.
    assert numbers_in(html) == [made[3].number, made[2].number]
    assert "Desde los registrados el 12/03/2025 hacia atrás" in html
    assert 'value="2025-03-12"' in html  # the field keeps the date
    # "Más antiguos" follows the keyset; "Más recientes" walks back up to the 13th and 14th.
    older = re.search(r'href="[^"]*\?([^"]*cursor=[^"]*)" rel="next"', html)
    newer = re.search(r'href="[^"]*\?([^"]*antes=[^"]*)" rel="prev"', html)
    assert older and newer
    page = get(client, url + "?" + older.group(1).replace("&amp;", "&"))
    assert numbers_in(page.content.decode()) == [made[1].number, made[0].number]
    page = get(client, url + "?" + newer.group(1).replace("&amp;", "&"))
    assert numbers_in(page.content.decode()) == [made[5].number, made[4].number]


def test_console_jump_keeps_the_filters(client: Any, tickets: dict[str, Any]) -> None:
    made = tickets["made"]
    client.force_login(tickets["desk"])
    response = get(client, reverse("helpdesk:console_queue"), fecha="2025-03-12", q=made[2].number)
    assert numbers_in(response.content.decode()) == [made[2].number]
    # A later date than every ticket, or today: the first page.
    response = get(client, reverse("helpdesk:console_queue"), fecha="2025-03-30", size=2)
    assert numbers_in(response.content.decode()) == [made[5].number, made[4].number]


def test_console_bad_date_is_a_spanish_field_error_and_nothing_else_changes(
    client: Any, tickets: dict[str, Any]
) -> None:
    client.force_login(tickets["desk"])
    url = reverse("helpdesk:console_queue")
    plain = numbers_in(get(client, url, size=3).content.decode())
    response = get(client, url, fecha="31/02/2025", size=3)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ir a la fecha: Escriba una fecha válida, por ejemplo 12/03/2025." in html
    assert 'id="f-fecha-error"' in html and "is-invalid" in html
    assert numbers_in(html) == plain  # the first page, as without the date
    assert Ticket.objects.count() == len(WHEN)


def test_portal_jumps_to_the_day(client: Any, tickets: dict[str, Any]) -> None:
    made = tickets["made"]
    client.force_login(tickets["requester"])
    url = reverse("helpdesk:my_tickets")
    html = get(client, url, fecha="11/03/2025").content.decode()
    assert numbers_in(html) == [made[1].number, made[0].number]
    assert "Desde las registradas el 11/03/2025 hacia atrás" in html
    assert 'rel="prev"' in html  # "Más recientes" leads back to the newer ones
    html = get(client, url, fecha="no-es-fecha").content.decode()
    assert 'id="fecha-error"' in html and "Escriba una fecha válida" in html
    assert numbers_in(html) == [t.number for t in reversed(made)]


def test_api_list_filters_by_date_and_names_a_bad_one(tickets: dict[str, Any]) -> None:
    made = tickets["made"]
    api = APIClient()
    api.force_authenticate(tickets["desk"])
    url = reverse("helpdesk-api:ticket-list")
    with time_machine.travel(TODAY, tick=False):
        rows = api.get(url, {"hasta": "2025-03-12", "limit": 2})
        assert [r["number"] for r in rows.json()] == [made[3].number, made[2].number]
        assert "cursor=" in rows["Link"] and "hasta=2025-03-12" in rows["Link"]
        rows = api.get(url, {"desde": "12/03/2025", "hasta": "2025-03-13"})
        assert [r["number"] for r in rows.json()] == [m.number for m in made[4:1:-1]]
        bad = api.get(url, {"hasta": "2025-02-31"})
        assert bad.status_code == 400
        assert list(bad.json()["errors"]) == ["hasta"]
        reversed_range = api.get(url, {"desde": "2025-03-13", "hasta": "2025-03-12"})
        assert reversed_range.status_code == 400
        assert "hasta" in reversed_range.json()["errors"]
