"""``mapro seed --demo``: the demo inventory, and the printer whose page shows every one of its
maintenances across two years."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from mapro.inventory.models import Equipment, Maintenance
from mapro.inventory.seeding import HISTORY_PRINTER, PRINTER_HISTORY, seed_demo_inventory
from mapro.organization.seeding import load_demo_users, load_organization

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 6, 15, 9, tzinfo=ZoneInfo("America/Lima"))


@pytest.fixture
def seeded() -> Any:
    with time_machine.travel(TODAY, tick=False):
        load_organization()
        load_demo_users()
        line = seed_demo_inventory()
        yield line


def test_the_printers_history_shows_every_maintenance_across_two_years(seeded: str) -> None:
    printer = Equipment.objects.get(code=HISTORY_PRINTER)
    days = sorted(m.performed_on for m in Maintenance.objects.filter(equipment=printer))
    assert len(days) == len(PRINTER_HISTORY) == 7
    assert days[0] == dt.date(2024, 7, 15) and days[-1] == dt.date(2026, 5, 26)
    assert (days[-1] - days[0]).days > 365 + 300  # two years of maintenances
    assert {d.year for d in days} == {2024, 2025, 2026}

    director = get_user_model().objects.get(username="director-uo")  # demo unit DIGEP
    page = Client()
    page.force_login(director)
    html = page.get(f"/inventario-de-equipos/{printer.pk}/").content.decode()
    for day in days:
        assert day.strftime("%d/%m/%Y") in html
    assert "Con garantía" in html

    api = APIClient()
    api.force_authenticate(director)
    body = api.get(f"/api/v1/equipment/{printer.pk}/").json()
    assert sorted(m["performed_on"] for m in body["maintenances"]) == [d.isoformat() for d in days]
    recorded = [e for e in body["history"] if e["action"] == "maintenance.record"]
    assert len(recorded) == 7
    assert {e["after"]["performed_on"] for e in recorded} == {d.isoformat() for d in days}
    assert body["state"] == "operativo"  # replaced under warranty, back in service


def test_the_demo_inventory_is_idempotent_and_covers_every_kind(seeded: str) -> None:
    assert seeded.startswith("13 equipo(s)")
    kinds = set(Equipment.objects.values_list("kind", flat=True))
    assert kinds == {
        "servidor",
        "switch",
        "router",
        "central-telefonica",
        "plataforma-seguridad",
        "impresora",
        "computadora",
        "laptop",
    }
    firewall = Equipment.objects.get(code="FW-01")
    assert firewall.responsible is not None and firewall.accounts.count() == 2
    with time_machine.travel(TODAY, tick=False):
        assert seed_demo_inventory() == "0 equipo(s) de demostración, 0 mantenimiento(s)"
    assert Maintenance.objects.count() == 7
