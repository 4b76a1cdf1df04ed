"""Every HTML list pages with ``?pagina=`` and the shared pager (``core/_pages.html``); the
registers, the inventory and the operations register used ``?page=``, still read as an alias
so that old links open the page they named. A bad number is the first page, never an error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

import mapro
from mapro.core import registers
from mapro.core.paging import page_number, query_without_page
from mapro.core.testing import ensure_unit, make_user
from mapro.inventory import views as inventory_views
from mapro.inventory.testing import make_inventory_world, new_equipment
from mapro.systems.testing import make_system


def test_pagina_wins_and_page_is_its_alias() -> None:
    rf = RequestFactory()
    assert page_number(rf.get("/x/", {"pagina": "3", "page": "2"})) == "3"
    assert page_number(rf.get("/x/", {"page": "2"})) == "2"
    assert page_number(rf.get("/x/")) is None
    request = rf.get("/x/", {"pagina": "3", "page": "2", "q": "a b", "estado": "activo"})
    assert query_without_page(request) == "q=a+b&estado=activo"


def _pages(html: str) -> list[str]:
    """The hrefs of the pager's links."""
    nav = html[html.index('<nav aria-label="Páginas"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'href="([^"]+)"', nav)


def _shown(page_context) -> int:  # type: ignore[no-untyped-def]
    return int(page_context.number)


@pytest.mark.django_db
def test_a_register_pages_with_pagina_keeps_its_filters_and_reads_page(monkeypatch) -> None:
    monkeypatch.setattr(registers, "PAGE_SIZE", 1)
    owner = ensure_unit("OGTIE")
    for code in ("SIS-A", "SIS-B", "SIS-C"):
        make_system(code, unit=owner, name=f"Sistema {code}")
    web = Client()
    web.force_login(make_user("jefe-ogtie", unit=owner))
    first = web.get("/sistemas/", {"q": "Sistema"})
    assert first.status_code == 200 and _shown(first.context["page"]) == 1
    assert _pages(first.content.decode()) == ["?q=Sistema&amp;pagina=2"]
    second = web.get("/sistemas/", {"q": "Sistema", "pagina": "2"})
    assert _shown(second.context["page"]) == 2
    assert _pages(second.content.decode()) == ["?q=Sistema&amp;pagina=1", "?q=Sistema&amp;pagina=3"]
    old_link = web.get("/sistemas/", {"q": "Sistema", "page": "3"})
    assert _shown(old_link.context["page"]) == 3
    assert "page=" not in " ".join(_pages(old_link.content.decode())).replace("pagina=", "")
    # Bad input: the first page (or the last past the end), never an error.
    assert _shown(web.get("/sistemas/", {"pagina": "x"}).context["page"]) == 1
    assert _shown(web.get("/sistemas/", {"pagina": "99"}).context["page"]) == 3
    # Someone who may not read the catalogue gets no page at all.
    web.force_login(make_user("personal", unit=ensure_unit("DIGEP")))
    assert web.get("/sistemas/", {"pagina": "2"}).status_code in (403, 404)


@pytest.mark.django_db
def test_the_inventory_pages_with_pagina_and_reads_page(monkeypatch) -> None:
    monkeypatch.setattr(inventory_views, "PAGE_SIZE", 1)
    world = make_inventory_world()
    for _ in range(2):
        new_equipment("impresora")
    web = Client()
    web.force_login(world.soporte)
    first = web.get("/inventario-de-equipos/", {"kind": "impresora"})
    assert first.status_code == 200
    assert _pages(first.content.decode()) == ["?kind=impresora&amp;pagina=2"]
    assert _shown(web.get("/inventario-de-equipos/", {"pagina": "2"}).context["page"]) == 2
    assert _shown(web.get("/inventario-de-equipos/", {"page": "2"}).context["page"]) == 2
    web.force_login(world.outsider)
    assert web.get("/inventario-de-equipos/", {"pagina": "2"}).status_code in (403, 404)


def test_no_template_writes_a_page_parameter() -> None:
    """The pager writes ``pagina`` only: no template links ``?page=`` / ``&page=``."""
    root = Path(mapro.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"(?<![\w-])page=(\{\{|\d)", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
