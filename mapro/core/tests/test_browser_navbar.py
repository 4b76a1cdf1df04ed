"""The navigation bar fits one line at 1366 px for every demo user (every role), the key pages
fit 375 and 1366 px without scrolling sideways, and every page names its favicon. Set
``MAPRO_SCREENSHOTS`` to a directory to keep a screenshot per role."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from mapro.core.browser_testing import requires_browser, switch_user
from mapro.core.testing import seed_demo
from mapro.organization import data

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]

ONE_LINE = """() => {
  const bar = document.querySelector('nav.navbar');
  const items = [...bar.querySelectorAll(
    '.navbar-brand, .navbar-nav > .nav-item, #usuario-actual > button, #avisos')];
  const boxes = items.map(e => e.getBoundingClientRect());
  return {
    height: bar.getBoundingClientRect().height,
    centres: boxes.map(b => Math.round(b.top + b.height / 2)),
    right: Math.max(...boxes.map(b => b.right)),
    scroll: document.documentElement.scrollWidth,
  };
}"""

SCROLL = "() => document.documentElement.scrollWidth"


def test_the_navbar_is_one_line_at_1366_px_for_every_role(browser, live_server):
    seed_demo()
    shots = os.environ.get("MAPRO_SCREENSHOTS")
    too_tall = {}
    no_sign_out = []
    usernames = ["admin", *sorted({p.role for p in data.DEMO_PEOPLE})]
    viewport = {"width": 1366, "height": 768}
    # A session per user without the login form (the sign-in has tests of its own), all in one
    # context and page: a context per user started a renderer and fetched the assets each time.
    context = browser.new_context(locale="es-PE", viewport=viewport)
    page = context.new_page()
    for username in usernames:
        switch_user(context, live_server.url, get_user_model().objects.get(username=username))
        page.goto(f"{live_server.url}/")
        # The page is this user's, not the previous one's: the person's menu lists the role.
        if username != "admin":
            assert username in page.locator("#usuario-actual .dropdown-menu").text_content()
        found = page.evaluate(ONE_LINE)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=f"{shots}/navbar-{username}.png",
                clip={"x": 0, "y": 0, "width": 1366, "height": max(80, found["height"])},
            )
        # One line: the bar is as tall as one row of links, every item is centred on it, and
        # the last one (the person's menu) ends inside the window.
        centres = found["centres"]
        if (
            found["height"] > 64
            or max(centres) - min(centres) > 6
            or found["right"] > 1366
            or found["scroll"] > 1366
        ):
            too_tall[username] = found
        # Signing out is in the person's menu (and, for the last user, signs out).
        page.locator("#usuario-actual > button").click()
        sign_out = page.get_by_role("button", name="Cerrar sesión")
        if not sign_out.is_visible():
            no_sign_out.append(username)
        elif username == usernames[-1]:
            sign_out.click()
            page.wait_for_url("**/cuenta/ingresar/**")
    context.close()
    assert too_tall == {}
    assert no_sign_out == []


def _menu_pages() -> dict[str, list[str]]:
    """Every page of the menu, visited by the first demo user whose role has it; not the
    Django admin nor the API's reference page, pages of third-party libraries."""
    menu = json.loads((Path(__file__).parent / "menu_by_role.json").read_text())
    pages: dict[str, list[str]] = {}
    seen = {"/admin/", "/api/v1/docs/"}
    for role, row in menu["by_role"].items():
        for name in row["menu"]:
            url = menu["entries"][name]["url"]
            if url not in seen:
                seen.add(url)
                pages.setdefault(role, []).append(url)
    return pages


def test_every_page_names_the_favicon(browser, live_server):
    page = browser.new_context().new_page()
    for path in ("/cuenta/ingresar/", "/no-existe/"):
        page.goto(f"{live_server.url}{path}")
        href = page.eval_on_selector('link[rel="icon"]', "e => e.href")
        assert href.endswith(".svg"), href
        assert page.request.get(href).status == 200


def test_the_key_pages_never_scroll_sideways_at_375_or_1366_px(browser, live_server):
    """The key pages (the portal's form, the console, "Mis tareas", a task page, a register
    list), the home page and every page of the menu fit a phone (375 px) and a laptop (1366
    px) without a horizontal scroll of the document, and at 1366 px the navbar stays on one
    line. Each page is loaded once and resized; axe-core checks each on the way."""
    from .browser_pages import key_pages, user

    wide, phone = {"width": 1366, "height": 768}, {"width": 375, "height": 740}
    problems = {}
    pages = key_pages()
    for username, paths in _menu_pages().items():
        pages.setdefault(username, []).extend(p for p in paths if p not in pages[username])
    # One context and page for every user (a context each started a renderer each time).
    context = browser.new_context(locale="es-PE", viewport=wide)
    page = context.new_page()
    for username, paths in pages.items():
        switch_user(context, live_server.url, user(username))
        for path in ["/", *paths]:
            page.set_viewport_size(wide)
            page.goto(f"{live_server.url}{path}")
            found = page.evaluate(ONE_LINE)
            centres = found["centres"]
            if found["height"] > 64 or max(centres) - min(centres) > 6 or found["right"] > 1366:
                problems[f"{path} 1366 px (barra)"] = found
            page.set_viewport_size(phone)
            for width, size in ((1366, found["scroll"]), (375, page.evaluate(SCROLL))):
                if size > width:
                    problems[f"{path} {width} px"] = size
    assert problems == {}
