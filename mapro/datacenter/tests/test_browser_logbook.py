"""End to end in a real browser: the coordinator registers an entry on a visit's page, sees the
person among the open visits, and records the exit; an entry with an expired SCTR is refused
with the document named."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from mapro.core.browser_testing import requires_browser, sign_in
from mapro.core.testing import seed_demo
from mapro.datacenter.models import LogbookEntry
from mapro.datacenter.testing import contractor_visit

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]

SHOTS = os.environ.get("MAPRO_SCREENSHOTS", "")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_entry_and_exit_through_the_pages(browser, live_server):
    seed_demo()
    base = live_server.url
    expired = contractor_visit(sctr_until=timezone.localdate() - dt.timedelta(days=1))
    visit = contractor_visit()
    now = timezone.localtime() - dt.timedelta(minutes=10)

    page = sign_in(browser, base, "coord-infraestructura")
    page.get_by_role("link", name="Centro de datos").first.click()
    page.wait_for_url(f"{base}/centro-de-datos/")

    page.goto(f"{base}/centro-de-datos/visitas/{expired.pk}/")
    page.locator("#dni").select_option(index=1)
    page.get_by_label(re.compile("^Fecha y hora de ingreso")).fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile("^Acompañante")).fill("Ing. Vargas")
    page.get_by_role("button", name="Registrar ingreso").click()
    alert = page.get_by_role("alert")
    assert "Documento vencido: SCTR" in alert.inner_text()
    _shot(page, "visita-negada")
    assert not LogbookEntry.objects.exists()

    page.goto(f"{base}/centro-de-datos/visitas/{visit.pk}/")
    page.locator("#dni").select_option(index=1)
    page.get_by_label(re.compile("^Fecha y hora de ingreso")).fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile("^Acompañante")).fill("Ing. Vargas")
    page.get_by_role("button", name="Registrar ingreso").click()
    page.wait_for_url(re.compile(r"/centro-de-datos/ingresos/\d+/$"))
    entry = LogbookEntry.objects.get()

    page.goto(f"{base}/centro-de-datos/abiertos/")
    assert "1 persona dentro" in page.get_by_role("status").first.inner_text()
    _shot(page, "abiertos")

    page.goto(f"{base}/centro-de-datos/ingresos/{entry.pk}/")
    later = now + dt.timedelta(minutes=5)
    page.get_by_label(re.compile("^Fecha y hora de salida")).fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Registrar salida").click()
    page.wait_for_url(f"{base}/centro-de-datos/ingresos/{entry.pk}/")
    _shot(page, "ingreso")
    entry.refresh_from_db()
    assert entry.exited_at is not None and not entry.is_open

    page.goto(f"{base}/centro-de-datos/")
    _shot(page, "bitacora")
    assert "1 ingreso." in page.content()
