"""Log of restore requests through API v1, and the informe semestral (page and XLSX)."""

from __future__ import annotations

import datetime as dt

import pytest

from mapro.assets import testing
from mapro.assets.models import RestoreRequest
from mapro.assets.selectors import RESTORE_HEADERS, restore_requests_for_user, restore_rows
from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx

from .helpers import API, api, blank, errors, events, web

pytestmark = pytest.mark.django_db

REQUEST = {
    "information_kind": "base_datos",
    "system": "LEGAJOS_PRD",
    "period": "1 al 15 de marzo de 2025",
    "requester_name": "Ana Rojas",
    "unit": "DGRRHH",
    "ticket": "MA-2025-005120",
}


@pytest.fixture
def profesional():
    testing.other_unit()
    return make_user("profesional-ogtie")


def test_record_a_request(profesional):
    url = f"{API}/restore-requests/"
    assert api().post(url, REQUEST, format="json").status_code == 401
    assert api(make_user("resp-soporte")).post(url, REQUEST, format="json").status_code == 403
    response = api(make_user("operador-mesa")).post(url, REQUEST, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["outcome"] == "pendiente"
    assert response.json()["unit"] == "DGRRHH"


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        (("system",), {"system"}),
        (("period",), {"period"}),
        (("system", "period"), {"system", "period"}),
    ],
)
def test_a_request_without_system_or_period_is_refused(profesional, missing, named):
    body = {k: v for k, v in REQUEST.items() if k not in missing}
    before = events("restore_request.record")
    response = api(profesional).post(f"{API}/restore-requests/", body, format="json")
    assert response.status_code == 400
    assert set(errors(response)) == named
    assert not RestoreRequest.objects.exists()
    assert events("restore_request.record") == before
    blank_system = api(profesional).post(
        f"{API}/restore-requests/", {**REQUEST, "system": "   "}, format="json"
    )
    assert "system" in errors(blank_system)


def test_outcome_roles_and_rules(profesional):
    request = testing.restore_request(testing.other_unit())
    url = f"{API}/restore-requests/{request.pk}/outcome/"
    restored = {"outcome": "restaurada", "action": "restauracion", "result": "42 registros."}
    desk = make_user("operador-mesa")
    # The help desk records returned requests only; restoring is the Profesional's.
    assert api(desk).post(url, restored, format="json").status_code == 403
    assert (
        api(make_user("coord-infraestructura")).post(url, restored, format="json").status_code
        == 403
    )
    missing = api(profesional).post(url, {"outcome": "restaurada", "result": "ok"}, format="json")
    assert missing.status_code == 400 and "action" in errors(missing)
    no_result = api(profesional).post(url, {"outcome": "fallida"}, format="json")
    assert no_result.status_code == 400 and "result" in errors(no_result)
    request.refresh_from_db()
    assert request.outcome == "pendiente"
    done = api(profesional).post(url, {**restored, "closed_on": "2025-03-19"}, format="json")
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["outcome"] == "restaurada" and body["closed_on"] == "2025-03-19"
    assert body["restored_by_name"] == f"{profesional.username} ({profesional.get_full_name()})"
    assert api(profesional).post(url, restored, format="json").status_code == 409
    other = testing.restore_request(testing.other_unit())
    returned = api(desk).post(
        f"{API}/restore-requests/{other.pk}/outcome/",
        {"outcome": "rechazada", "result": "Fuera del periodo de retención."},
        format="json",
    )
    assert returned.status_code == 200


def test_director_sees_their_units_requests_only(profesional):
    mine = testing.restore_request(testing.other_unit())
    theirs = testing.restore_request(testing.far_unit())
    director = make_user("director-uo", unit=testing.other_unit())
    assert [r["id"] for r in api(director).get(f"{API}/restore-requests/").json()] == [mine.pk]
    assert api(director).get(f"{API}/restore-requests/{theirs.pk}/").status_code == 404
    outcome = {"outcome": "rechazada", "result": "x"}
    assert (
        api(director).post(f"{API}/restore-requests/{theirs.pk}/outcome/", outcome, format="json")
    ).status_code == 404
    assert (
        api(director).post(f"{API}/restore-requests/{mine.pk}/outcome/", outcome, format="json")
    ).status_code == 403
    assert web(director).get("/inventarios/copias-de-restauracion/informe/").status_code == 403


def _close(request, day, outcome="restaurada"):
    from mapro.assets.actions import do_record_restore_outcome

    return do_record_restore_outcome(
        request,
        outcome=outcome,
        action="restauracion" if outcome == "restaurada" else "",
        result="Hecho.",
        closed_on=day,
        actor=None,
        check=False,
    )


def test_semiannual_report_lists_the_restores_of_the_semester(profesional):
    unit = testing.other_unit()
    march = _close(testing.restore_request(unit, system="LEGAJOS"), dt.date(2025, 3, 19))
    june = _close(testing.restore_request(unit, system="SIGA"), dt.date(2025, 6, 30), "rechazada")
    july = _close(testing.restore_request(unit, system="SISTRADOC"), dt.date(2025, 7, 1))
    testing.restore_request(unit, system="PENDIENTE")
    client = web(profesional)
    page = client.get(
        "/inventarios/copias-de-restauracion/informe/", {"anio": 2025, "semestre": "1"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "LEGAJOS" in text and "SIGA" in text and "SISTRADOC" not in text
    assert "2 requerimiento(s): 1 restaurado(s), 0 fallido(s), 1 devuelto(s)" in text
    export = client.get(
        "/inventarios/copias-de-restauracion/informe/exportar/", {"anio": 2025, "semestre": "1"}
    )
    _, rows = read_xlsx(export.content)
    assert [r[0] for r in rows] == [march.pk, june.pk]
    second = client.get(
        "/inventarios/copias-de-restauracion/informe/exportar/", {"anio": 2025, "semestre": "2"}
    )
    assert [r[0] for r in read_xlsx(second.content)[1]] == [july.pk]
    bad = client.get("/inventarios/copias-de-restauracion/informe/exportar/", {"anio": "x"})
    assert bad.status_code == 400 and "semestre" in bad.content.decode()


def test_register_export_reads_back_equal(profesional):
    unit = testing.other_unit()
    _close(testing.restore_request(unit), dt.date(2025, 3, 19))
    testing.restore_request(unit, period="+2025")
    response = web(profesional).get("/inventarios/copias-de-restauracion/exportar/")
    headers, rows = read_xlsx(response.content)
    assert headers == RESTORE_HEADERS
    expected = list(restore_rows(restore_requests_for_user(profesional)))
    assert [[blank(v) for v in r] for r in rows] == expected
    filtered = web(profesional).get(
        "/inventarios/copias-de-restauracion/exportar/", {"outcome": "pendiente"}
    )
    assert len(read_xlsx(filtered.content)[1]) == 1
    detail = web(profesional).get(f"/inventarios/copias-de-restauracion/{rows[0][0]}/")
    assert detail.status_code == 200 and "Historial de cambios" in detail.content.decode()


def test_the_requester_may_be_a_registered_person(profesional):
    person = testing.person("40000031", testing.far_unit())
    body = {"system": "SIGA", "period": "2025-05", "requester_dni": person.dni}
    response = api(profesional).post(f"{API}/restore-requests/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["requester_name"] == person.full_name
    assert response.json()["unit"] == "DIGEP"
    unknown = api(profesional).post(
        f"{API}/restore-requests/", {**body, "requester_dni": "49999999"}, format="json"
    )
    assert unknown.status_code == 400 and "requester" in errors(unknown)
    nobody = api(profesional).post(
        f"{API}/restore-requests/", {"system": "SIGA", "period": "2025-05"}, format="json"
    )
    assert nobody.status_code == 400 and {"requester_name", "unit"} <= set(errors(nobody))
    assert RestoreRequest.objects.count() == 1


def test_the_export_names_who_attended_as_every_register_does(profesional):
    # "usuario (Nombre Apellido)", audit.actions.actor_name: the form every history keeps.
    from mapro.assets.actions import do_record_restore_outcome

    request = testing.restore_request(testing.other_unit())
    do_record_restore_outcome(
        request,
        outcome="restaurada",
        action="restauracion",
        result="Hecho.",
        closed_on=dt.date(2025, 3, 19),
        actor=profesional,
        check=False,
    )
    _close(testing.restore_request(testing.other_unit()), dt.date(2025, 3, 20))
    headers, rows = read_xlsx(
        web(profesional).get("/inventarios/copias-de-restauracion/exportar/").content
    )
    by_pk = {row[0]: row[headers.index("Atendido por")] for row in rows}
    assert by_pk[request.pk] == f"{profesional.username} ({profesional.get_full_name()})"
    assert "sistema" in by_pk.values()  # the one closed by no one
