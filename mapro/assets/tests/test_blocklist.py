"""The block list through API v1: validation per type (sender account, domain, URL, public
IPv4/IPv6 only), one active entry per value, deactivation with a reason."""

from __future__ import annotations

import pytest

from mapro.assets import testing
from mapro.assets.actions import normalize_block_value
from mapro.assets.models import BlockEntry
from mapro.assets.selectors import BLOCK_HEADERS, block_entries_for_user, block_rows
from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx

from .helpers import API, api, blank, errors, events, web

pytestmark = pytest.mark.django_db


@pytest.fixture
def tecnico():
    return make_user("tecnico-especialista")


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("cuenta", "Soporte@Mindef-Gob.pe.example", "soporte@mindef-gob.pe.example"),
        ("dominio", "Mindef-Gob.PE.example.", "mindef-gob.pe.example"),
        ("dominio", "correos.xn--mnchen-3ya.de", "correos.xn--mnchen-3ya.de"),
        ("enlace", "HTTPS://Phish.Example/Login?x=1", "https://phish.example/Login?x=1"),
        ("ip", "185.220.101.45", "185.220.101.45"),
        ("ip", "2a00:1450:4001:0829:0000:0000:0000:200e", "2a00:1450:4001:829::200e"),
    ],
)
def test_valid_values_are_normalized(kind, value, stored):
    assert normalize_block_value(kind, value) == stored


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("cuenta", "no-es-correo"),
        ("dominio", "sin_punto"),
        ("dominio", "-malo.example"),
        ("dominio", "mindef.gob.pe"),
        ("dominio", "correo.mindef.gob.pe"),
        ("enlace", "javascript:alert(1)"),
        ("enlace", "phish.example/login"),
        ("ip", "10.1.2.3"),
        ("ip", "192.168.0.10"),
        ("ip", "127.0.0.1"),
        ("ip", "203.0.113.45"),
        ("ip", "fe80::1"),
        ("ip", "fd00::1"),
        ("ip", "999.1.1.1"),
        ("ip", ""),
    ],
)
def test_invalid_values_are_refused_naming_the_value(tecnico, kind, value):
    body = {"kind": kind, "value": value, "ticket": "MA-2025-000777"}
    response = api(tecnico).post(f"{API}/block-list/", body, format="json")
    assert response.status_code == 400
    assert "value" in errors(response)
    assert not BlockEntry.objects.exists()


def test_add_requires_the_case_and_a_known_kind(tecnico):
    no_case = api(tecnico).post(
        f"{API}/block-list/", {"kind": "ip", "value": "185.220.101.45"}, format="json"
    )
    assert no_case.status_code == 400 and "ticket" in errors(no_case)
    bad_kind = api(tecnico).post(
        f"{API}/block-list/", {"kind": "telefono", "value": "1", "ticket": "T"}, format="json"
    )
    assert bad_kind.status_code == 400 and "kind" in errors(bad_kind)
    no_instance = api(tecnico).post(
        f"{API}/block-list/",
        {"kind": "ip", "value": "185.220.101.45", "instance": 999999},
        format="json",
    )
    assert no_instance.status_code == 400 and "instance" in errors(no_instance)
    assert not BlockEntry.objects.exists()


def test_no_duplicate_active_entry_and_deactivation(tecnico):
    url = f"{API}/block-list/"
    body = {
        "kind": "cuenta",
        "value": "Soporte@phish.example",
        "case_kind": "phishing",
        "ticket": "T-1",
    }
    first = api(tecnico).post(url, body, format="json")
    assert first.status_code == 201, first.content
    entry = first.json()
    dup = api(tecnico).post(url, {**body, "value": "soporte@PHISH.example"}, format="json")
    assert dup.status_code == 409
    assert "ya está bloqueado" in dup.json()["detail"]
    assert BlockEntry.objects.count() == 1
    deactivate = f"{API}/block-list/{entry['id']}/deactivate/"
    no_reason = api(tecnico).post(deactivate, {}, format="json")
    assert no_reason.status_code == 400 and "reason" in errors(no_reason)
    assert BlockEntry.objects.get().active
    assert (
        api(make_user("esp-seguridad-info"))
        .post(deactivate, {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert api().post(deactivate, {"reason": "x"}, format="json").status_code == 401
    done = api(make_user("coord-ciberseguridad")).post(
        deactivate, {"reason": "Falso positivo confirmado."}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["active"] is False
    assert [e["action"] for e in done.json()["history"]] == ["block.add", "block.deactivate"]
    assert api(tecnico).post(deactivate, {"reason": "otra vez"}, format="json").status_code == 409
    # Once lifted, the value may be blocked again (a new entry, the old one kept).
    assert api(tecnico).post(url, body, format="json").status_code == 201
    assert BlockEntry.objects.count() == 2


def test_readers_and_wrong_roles(tecnico):
    entry = testing.block_entry()
    for role in ("jefe-ogtie", "oficial-seguridad-digital", "esp-seguridad-info"):
        assert api(make_user(role)).get(f"{API}/block-list/{entry.pk}/").status_code == 200
        body = {"kind": "ip", "value": "185.220.101.46", "ticket": "T"}
        assert (
            api(make_user(role)).post(f"{API}/block-list/", body, format="json").status_code == 403
        )
    for role in ("personal", "director-uo", "operador-mesa"):
        assert api(make_user(role)).get(f"{API}/block-list/").status_code == 403, role
    assert events("block.add") == 1


def test_list_filters_and_export(tecnico):
    testing.block_entry("phish-a.example")
    old = testing.block_entry("phish-b.example")
    from mapro.assets.actions import do_deactivate_block

    do_deactivate_block(old, reason="Dominio dado de baja.", actor=None, check=False)
    active = api(tecnico).get(f"{API}/block-list/", {"active": "si"}).json()
    assert [e["value"] for e in active] == ["phish-a.example"]
    response = web(tecnico).get("/inventarios/bloqueos/exportar/")
    headers, rows = read_xlsx(response.content)
    assert headers == BLOCK_HEADERS
    assert [[blank(v) for v in r] for r in rows] == list(
        block_rows(block_entries_for_user(tecnico))
    )
    page = web(tecnico).get("/inventarios/bloqueos/", {"q": "phish-b"})
    assert "phish-b.example" in page.content.decode()
    assert "phish-a.example" not in page.content.decode()
    detail = web(tecnico).get(f"/inventarios/bloqueos/{old.pk}/").content.decode()
    assert "Dominio dado de baja." in detail and "Bloqueo levantado" in detail
