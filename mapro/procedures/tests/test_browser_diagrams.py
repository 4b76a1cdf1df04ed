"""Every published ficha's BPMN is drawn by bpmn-js in a real browser, every element in place."""

from __future__ import annotations

import pytest
from django.conf import settings

from mapro.core.browser_testing import requires_browser, signed_in_context
from mapro.core.testing import make_user
from mapro.procedures.models import Procedure
from mapro.procedures.testing import publish_all

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]


def test_bpmn_js_draws_every_activity_gateway_and_lane_of_every_ficha(
    browser,
    live_server,
):
    page = _jefe_page(browser, live_server.url)
    procedures = list(Procedure.objects.select_related("current_version").order_by("code"))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The Content-Security-Policy (issue 13) must not block bpmn-js or htmx.
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
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
        # Opened fitted to the width but readable (task names at 70 % or more), zoomable.
        scale = _scale(page)
        assert 0.69 <= scale <= 1.01, (procedure.code, scale)
        page.get_by_role("button", name="Acercar").click()
        assert _scale(page) > scale, procedure.code
        page.get_by_role("button", name="Ajustar al ancho").click()
        assert abs(_scale(page) - scale) < 0.01, procedure.code
    assert errors == []


def _jefe_page(browser, base: str):
    """Every ficha published (as ``mapro procedures publish``) and a page of a jefe-ogtie.

    Neither the demo seed nor the login form: a diagram needs only the published version and
    a user who may read it (the sign-in and the demo users have tests of their own).
    """
    publish_all()
    procedures = Procedure.objects.filter(current_version__isnull=False).count()
    assert procedures == len(list((settings.BASE_DIR / "procedures").glob("S04.*.yaml")))
    return signed_in_context(browser, base, make_user("jefe-ogtie")).new_page()


def _scale(page) -> float:
    """The zoom bpmn-js applied: the x scale of its viewport group's transform."""
    return page.eval_on_selector(
        ".bpmn-diagram svg g.viewport", "g => g.transform.baseVal.consolidate().matrix.a"
    )


def test_a_diagram_in_a_container_without_size_raises_no_error_and_fits_when_shown(
    browser, live_server
):
    page = _jefe_page(browser, live_server.url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The Content-Security-Policy (issue 13) must not block bpmn-js or htmx.
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    # Hide every diagram before its script runs (like a collapsed panel or a hidden tab).
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => document.querySelectorAll("
        "'.bpmn-diagram').forEach(e => e.closest('figure').style.display = 'none'))"
    )
    page.goto(f"{live_server.url}/procedimientos/S04.03.01.01/")
    page.wait_for_selector(
        '.bpmn-diagram [data-element-id="StartEvent_1"]', state="attached", timeout=15000
    )
    page.wait_for_timeout(300)
    assert errors == []
    page.eval_on_selector(".bpmn-diagram", "e => e.closest('figure').style.display = ''")
    page.wait_for_function(
        "() => { const t = document.querySelector('.bpmn-diagram svg g.viewport')"
        ".transform.baseVal.consolidate(); return t && t.matrix.a >= 0.69; }"
    )
    assert errors == []
