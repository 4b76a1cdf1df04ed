"""Browser tests: Playwright driving Debian's Chromium against the live server.

``.ci/run`` installs Chromium from Debian and sets ``MAPRO_CHROMIUM``; Playwright never downloads
a browser of its own. Outside CI a machine without Chromium skips these tests; in CI a missing
browser fails them. Use as::

    from mapro.core.browser_testing import browser, requires_browser, sign_in  # noqa: F401

    pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]
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

requires_browser = pytest.mark.skipif(
    not CHROMIUM and not os.environ.get("CI"), reason="Chromium no está instalado"
)


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium. Playwright's sync API runs an event loop in the test's thread, so
    Django's guard against ORM calls from async code is lifted for the test's own queries."""
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
