"""The month and year calendar of the annual cronogramas, drawn by FullCalendar in Chromium
under the Content-Security-Policy: the dates it shows are the feed's (test_plans.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mapro.core.browser_testing import requires_browser, signed_in_context
from mapro.core.testing import make_user
from mapro.schedules.testing import ensure_test_procedure
from mapro.schedules.testing_plans import make_plan

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]


def test_month_and_year_views_draw_the_planned_dates(browser, live_server):
    ensure_test_procedure()
    today = timezone.localdate()
    first = today.replace(day=10)
    make_plan(
        year=today.year,
        items=[
            {
                "activity": "Copia de base de datos",
                "target": "SRV-BD-01",
                "starts_on": first.isoformat(),
                "rrule": "FREQ=DAILY;INTERVAL=5;COUNT=3",
                "responsible_role": "profesional-ogtie",
            }
        ],
    )
    user = make_user("profesional-ogtie")
    page = signed_in_context(browser, live_server.url, user).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/cronogramas/anuales/calendario/")
    page.wait_for_selector(".fc-daygrid-event", timeout=15000)
    titles = page.eval_on_selector_all(".fc-event-title", "els => els.map(e => e.textContent)")
    assert titles == ["Copia de base de datos — SRV-BD-01"] * 3
    page.get_by_role("button", name="Año").click()
    page.wait_for_selector(".fc-multimonth", timeout=15000)
    page.wait_for_selector(".fc-daygrid-event")
    assert page.locator(".fc-daygrid-event").count() == 3
    assert errors == []
