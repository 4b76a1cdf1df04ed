"""Browser tests: Playwright driving Debian's Chromium against the live server.

``.ci/run`` installs Chromium from Debian and sets ``MAPRO_CHROMIUM``; Playwright never downloads
a browser of its own. Outside CI a machine without Chromium skips these tests (the run's summary
says how many and why); in CI a missing browser fails them. This module is a pytest plugin
loaded by the root ``conftest.py``: it gives every test the ``browser`` fixture. Use as::

    from mapro.core.browser_testing import requires_browser, sign_in

    pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]

    def test_something(browser, live_server): ...

Every page a browser test loads is checked by axe-core (``node_modules/axe-core``, installed by
``npm ci``; never committed): its WCAG 2.1 A and AA rules run at the end of each load, and a test
whose pages have a violation of impact "serious" or "critical" fails at teardown with the list
(page, rule, elements). See docs/accessibility.md.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("MAPRO_CHROMIUM") or shutil.which("chromium") or ""
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
SKIP_REASON = "Chromium no está instalado"

requires_browser = pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason=SKIP_REASON)


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_IMPACTS = ("serious", "critical")
# Runs in every page after axe itself (both as init scripts, which the Content-Security-Policy
# does not govern). axe yields between rules with setTimeout(0); while it runs those turns are
# microtasks, so the whole check ends inside the page's load event: before the browser reports
# the load to the test, and before the test can act on the page or leave it. Only the top frame
# of an http page (not the about:blank of a new tab). ``preload: false``: no stylesheet fetch
# (only css-orientation-lock needs it; nothing in mapro locks the orientation).
AXE_RUNNER = """
(() => {
  if (window.top !== window || !location.protocol.startsWith('http')) return;
  window.addEventListener('load', () => {
    const later = window.setTimeout;
    window.setTimeout = (fn, ms, ...args) =>
      ms ? later(fn, ms, ...args) : (queueMicrotask(() => fn(...args)), 0);
    const report = window.__maproAxe;
    const options = {runOnly: {type: 'tag', values: %(tags)s}, resultTypes: ['violations'],
                     iframes: false, preload: false};
    const started = performance.now();
    axe.run(document, options)
      .then(r => report({url: location.href, ms: performance.now() - started,
        violations: r.violations.filter(v => %(impacts)s.includes(v.impact))
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                    why: [...v.nodes[0].any, ...v.nodes[0].all, ...v.nodes[0].none]
                      .map(c => c.message).join(' ')}))}))
      .catch(e => report({url: location.href, error: String(e)}))
      .finally(() => { window.setTimeout = later; });
  });
})();
"""


# Pages checked and time spent in axe over the whole run, for the run's summary (CI time).
AXE_TOTALS = {"pages": 0, "ms": 0.0}


class AxeWatch:
    """Collects axe-core's serious and critical violations of every page of a test's contexts."""

    def __init__(self) -> None:
        self.source = AXE_SCRIPT.read_text() if AXE_SCRIPT.exists() else ""
        self.runner = AXE_RUNNER % {"tags": AXE_TAGS, "impacts": list(AXE_IMPACTS)}
        self.checked: list[str] = []
        self.found: dict[tuple[str, str], dict[str, Any]] = {}

    def watch(self, context: Any) -> Any:
        if self.source:
            context.expose_binding("__maproAxe", self._report)
            context.add_init_script(self.source + "\n" + self.runner)
        return context

    def _report(self, source: Any, result: dict[str, Any]) -> None:
        url = urlsplit(result["url"])
        path = url.path + (f"?{url.query}" if url.query else "")
        self.checked.append(path)
        AXE_TOTALS["pages"] += 1
        AXE_TOTALS["ms"] += result.get("ms", 0)
        if "error" in result:
            self.found[(path, "axe")] = {"impact": "error", "help": result["error"], "nodes": []}
        for violation in result.get("violations", []):
            self.found.setdefault((path, violation["id"]), violation)

    def problems(self) -> str:
        lines = [
            f"{path} — {rule} ({v['impact']}): {v['help']}: {', '.join(v['nodes'])}"
            + (f" [{v['why']}]" if v.get("why") else "")
            for (path, rule), v in sorted(self.found.items())
        ]
        if not lines:
            return ""
        return "axe-core (WCAG 2.1 A/AA, graves o críticas):\n  " + "\n  ".join(lines)


@pytest.fixture
def axe_watch() -> AxeWatch:
    """The axe-core watch of the test's browser (``checked`` lists the pages it examined)."""
    if not AXE_SCRIPT.exists() and os.environ.get("CI"):
        pytest.fail(f"falta {AXE_SCRIPT}: ejecute `npm ci`")
    return AxeWatch()


@pytest.fixture
def browser(axe_watch: AxeWatch) -> Iterator[Any]:
    """A headless Chromium for one test.

    One per test, not one per process: Playwright's sync API keeps its event loop marked as
    running in the main thread while it is open, which makes Django refuse ORM calls from
    every later test unless DJANGO_ALLOW_ASYNC_UNSAFE stays set, and that variable, inherited
    by the subprocesses of other tests, fails ``mapro check --deploy`` (async.E001). Starting
    Chromium costs about a second; there are few browser tests.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            new_context = chromium.new_context

            def watched(**options: Any) -> Any:
                return axe_watch.watch(new_context(**options))

            # Every context of the test, however made (sign_in, signed_in_context, the test
            # itself), checks its pages with axe-core.
            chromium.new_context = watched  # type: ignore[method-assign]
            chromium.new_page = lambda **options: watched(**options).new_page()  # type: ignore[method-assign]
            try:
                yield chromium
                # Closing is a round trip: every report sent before it has arrived.
                for context in chromium.contexts:
                    context.close()
            finally:
                chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    problems = axe_watch.problems()
    if problems:
        pytest.fail(problems, pytrace=False)


def sign_in(browser: Any, base: str, username: str, password: str = "demo") -> Any:  # noqa: S107
    """A new browser context signed in through the login page; returns its page."""
    page = browser.new_context(locale="es-PE").new_page()
    page.goto(f"{base}/cuenta/ingresar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{base}/")
    return page


def signed_in_context(browser: Any, base: str, user: Any, **options: Any) -> Any:
    """A browser context holding a session of ``user``, made without the login page.

    For tests about the pages behind the login, not about signing in (``sign_in`` drives the
    form): the form costs a password hash and three page loads per user.
    """
    context = browser.new_context(locale="es-PE", **options)
    return switch_user(context, base, user)


def switch_user(context: Any, base: str, user: Any) -> Any:
    """Make ``context`` hold a new session of ``user`` (and no other cookie); returns it.

    The pages it loads next are ``user``'s, as in a context of its own, but without opening
    one: a new context starts a new renderer process and fetches every stylesheet and script
    again (about a second a user on a busy machine), which a test visiting the pages of many
    users paid once per user.
    """
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.clear_cookies()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return context


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many browser tests were skipped for want of Chromium, so it is never silent."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_REASON in str(report.longrepr)
    ]
    if AXE_TOTALS["pages"]:
        terminalreporter.write_line(
            f"axe-core revisó {AXE_TOTALS['pages']} páginas en {AXE_TOTALS['ms'] / 1000:.1f} s."
        )
    if not AXE_SCRIPT.exists():
        terminalreporter.write_line(
            f"Las pruebas de navegador no revisaron la accesibilidad: falta {AXE_SCRIPT} "
            "(ejecute `npm ci`).",
            yellow=True,
        )
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} pruebas de navegador omitidas: {SKIP_REASON} "
            "(instale el paquete `chromium` de Debian o defina MAPRO_CHROMIUM).",
            yellow=True,
        )
