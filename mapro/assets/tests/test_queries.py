"""List pages, exports and API lists run the same number of queries however many rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mapro.assets import access, testing
from mapro.core import menu
from mapro.core.testing import make_user

from .helpers import API, api, web

pytestmark = pytest.mark.django_db


def _queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
        assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _grow(n: int) -> None:
    unit = testing.other_unit()
    for i in range(n):
        testing.assigned_phone(unit, holder_name=f"Usuario {i}")
        testing.held_cert_device(testing.person(f"4200{i:04d}", unit))
        testing.restore_request(unit)
        testing.block_entry()


URLS = [
    ("prof-redes", "/inventarios/equipos-telefonicos/", "web"),
    ("prof-redes", "/inventarios/equipos-telefonicos/exportar/", "web"),
    ("prof-redes", f"{API}/phones/", "api"),
    ("resp-soporte", "/inventarios/certificado-digital/", "web"),
    ("resp-soporte", "/inventarios/certificado-digital/exportar/", "web"),
    ("resp-soporte", f"{API}/certificate-devices/", "api"),
    ("profesional-ogtie", "/inventarios/copias-de-restauracion/", "web"),
    ("profesional-ogtie", "/inventarios/copias-de-restauracion/exportar/", "web"),
    ("profesional-ogtie", f"{API}/restore-requests/", "api"),
    ("tecnico-especialista", "/inventarios/bloqueos/", "web"),
    ("tecnico-especialista", "/inventarios/bloqueos/exportar/", "web"),
    ("tecnico-especialista", f"{API}/block-list/", "api"),
]


@pytest.mark.parametrize(("role", "url", "kind"), URLS)
def test_query_count_does_not_grow_with_rows(role, url, kind):
    user = make_user(role)
    client = web(user) if kind == "web" else api(user)
    _grow(2)
    client.get(url)  # warm: the API client keeps one user object (grants cached on it)
    few = _queries(lambda: client.get(url))
    _grow(6)
    many = _queries(lambda: client.get(url))
    assert many == few, (few, many)


def test_menu_shows_each_register_to_its_readers():
    wanted = {
        "assets:phone_list": access.all_readers(access.PHONE_READERS, unit_scoped=True),
        "assets:cert_list": access.all_readers(access.CERT_READERS, unit_scoped=True),
        "assets:restore_list": access.all_readers(access.RESTORE_READERS, unit_scoped=True),
        "assets:block_list": access.BLOCK_READERS,
    }
    entries = {e.url_name: e for e in menu.ENTRIES if e.url_name in wanted}
    assert set(entries) == set(wanted)
    for name, readers in wanted.items():
        assert entries[name].roles == frozenset(readers), name
