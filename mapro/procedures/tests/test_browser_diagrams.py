"""Every published ficha's BPMN is drawn by bpmn-js in a real browser, every element in place."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mapro.core.browser_testing import requires_browser, sign_in
from mapro.procedures.models import Procedure

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]


def test_bpmn_js_draws_every_activity_gateway_and_lane_of_every_ficha(
    browser,
    live_server,
):
    call_command("seed", "--demo")
    call_command("procedures", "publish")
    procedures = list(Procedure.objects.select_related("current_version").order_by("code"))
    assert len(procedures) >= 3
    page = sign_in(browser, live_server.url, "jefe-ogtie")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for procedure in procedures:
        ficha = procedure.current_version.ficha
        page.goto(f"{live_server.url}/procedimientos/{procedure.code}/")
        page.wait_for_selector('.bpmn-diagram [data-element-id="StartEvent_1"]', timeout=15000)
        drawn = set(
            page.eval_on_selector_all(
                ".bpmn-diagram [data-element-id]",
                "els => els.map(e => e.getAttribute('data-element-id'))",
            )
        )
        expected = {f"Activity_{a['n']}" for a in ficha["activities"]}
        expected |= {f"Gateway_decision_{a['n']}" for a in ficha["activities"] if "decision" in a}
        expected |= {f"Gateway_split_{a['n']}" for a in ficha["activities"] if "parallel" in a}
        missing = expected - drawn
        assert not missing, (procedure.code, sorted(missing))
        # A multi-instance activity ("cada …") carries the parallel marker (three bars).
        for act in ficha["activities"]:
            marker = (
                f'.bpmn-diagram [data-element-id="Activity_{act["n"]}"] [data-marker="parallel"]'
            )
            assert page.locator(marker).count() == (1 if "each" in act else 0), (
                procedure.code,
                act["n"],
            )
        assert any(e.startswith("Lane_") for e in drawn), procedure.code
        assert page.locator(".bpmn-diagram-status").count() == 0, procedure.code
    assert errors == []
