"""Browser tests: Playwright driving Debian's Chromium against the live server.

``.ci/run`` installs Chromium from Debian and sets ``MAPRO_CHROMIUM``; Playwright never downloads
a browser of its own. Outside CI a machine without Chromium skips these tests (the run's summary
says how many and why); in CI a missing browser fails them. This module is a pytest plugin
loaded by the root ``conftest.py``: it gives every test the ``browser`` fixture. Use as::

    from mapro.core.browser_testing import requires_browser, sign_in

    pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]

    def test_something(browser, live_server): ...
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

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


@pytest.fixture
def browser() -> Iterator[Any]:
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
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


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
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="es-PE", **options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return context


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many browser tests were skipped for want of Chromium, so it is never silent."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_REASON in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} pruebas de navegador omitidas: {SKIP_REASON} "
            "(instale el paquete `chromium` de Debian o defina MAPRO_CHROMIUM).",
            yellow=True,
        )
