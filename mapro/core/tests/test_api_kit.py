"""The API kit of mapro.core: the one error body (flat field paths) and keyset pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from mapro.core.api import flatten_errors, keyset_page
from mapro.core.exceptions import InvalidInput
from mapro.core.testing import ensure_unit, make_user
from mapro.organization.models import Unit


def test_nested_errors_become_dotted_paths():
    detail = {
        "people": [{}, {"dni": ["Este campo es requerido."], "full_name": ["Muy largo."]}],
        "tags": {0: ["No es texto."], 3: ["Vacío."]},
        "non_field_errors": ["Revise los datos."],
        "subject": ["Este campo es requerido.", "Este campo es requerido."],
    }
    assert flatten_errors(detail) == {
        "people.1.dni": ["Este campo es requerido."],
        "people.1.full_name": ["Muy largo."],
        "tags.0": ["No es texto."],
        "tags.3": ["Vacío."],
        "__all__": ["Revise los datos."],
        "subject": ["Este campo es requerido."],
    }
    assert flatten_errors(["Solo texto."]) == {"__all__": ["Solo texto."]}


def _client(role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role))
    return client


def _flat(errors: dict) -> bool:
    return all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages)
        for messages in errors.values()
    )


@pytest.mark.django_db
def test_a_bad_row_of_a_visit_is_named_by_its_path_not_nested():
    response = _client("coord-infraestructura").post(
        "/api/v1/datacenter/visits/",
        {
            "kind": "mantenimiento-ogtie",
            "purpose": "Cambio de baterías del UPS",
            "people": [{"full_name": "Luis Soto", "dni": "41000021"}, {"full_name": "Ana"}],
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors == {"people.1.dni": ["Este campo es requerido."]} and _flat(errors)


@pytest.mark.django_db
def test_list_fields_of_bulk_assign_and_articles_are_flat():
    ensure_unit("OGTIE")
    bulk = _client("operador-mesa").post(
        "/api/v1/tickets/bulk-assign/", {"numbers": ["MA-1", ""]}, format="json"
    )
    assert bulk.status_code == 400 and "numbers.1" in bulk.json()["errors"], bulk.content
    assert _flat(bulk.json()["errors"])
    article = _client("resp-soporte").post(
        "/api/v1/knowledge/articles/",
        {"title": "VPN", "symptoms": "No conecta", "solution": "Reinstalar", "tags": ["vpn", ""]},
        format="json",
    )
    assert article.status_code == 400 and "tags.1" in article.json()["errors"], article.content
    assert _flat(article.json()["errors"])


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", [("parent", "code"), ("-parent", "-code"), ("-name",)])
def test_keyset_pages_follow_any_column_order_with_nulls(ordering):
    root = ensure_unit("ZROOT", "Raíz")
    for n in range(5):
        ensure_unit(f"ZA{n}", f"Unidad {n % 2}", parent=root if n % 2 else None)
    qs = Unit.objects.filter(code__startswith="Z").order_by(*ordering)
    # The tie-breaker is the primary key, in the direction of the last column.
    expected = list(qs.order_by(*ordering, "-pk" if ordering[-1].startswith("-") else "pk"))
    seen, cursor = [], None
    for _ in range(10):
        rows, cursor = keyset_page(qs, cursor=cursor, limit=2)
        seen += rows
        if cursor is None:
            break
    # NULLs sort last in both directions; within the same value by primary key.
    nulls_last = sorted(
        expected, key=lambda u: ordering[0].lstrip("-") == "parent" and u.parent_id is None
    )
    assert [u.code for u in seen] == [u.code for u in nulls_last]


@pytest.mark.django_db
def test_a_cursor_from_another_order_or_garbage_is_refused():
    for n in range(3):
        ensure_unit(f"ZB{n}")
    by_code = Unit.objects.filter(code__startswith="ZB").order_by("code")
    _rows, cursor = keyset_page(by_code, cursor=None, limit=1)
    assert cursor is not None
    for bad in ("###", "eyJ4IjoxfQ", cursor):
        qs = by_code.order_by("-name") if bad == cursor else by_code
        with pytest.raises(InvalidInput) as caught:
            keyset_page(qs, cursor=bad, limit=1)
        assert set(caught.value.errors) == {"cursor"}
