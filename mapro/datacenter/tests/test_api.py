"""API v1 of the data-center register: each endpoint with the right role, a wrong role,
anonymous, out of scope and bad input (400 with the field, nothing changed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.testing import ensure_unit, make_user
from mapro.datacenter.choices import VisitKind
from mapro.datacenter.models import LogbookEntry, Visit
from mapro.datacenter.testing import contractor_visit, next_dni, open_entry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

API = "/api/v1/datacenter"


def client_for(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def keeper() -> Any:
    return make_user("resp-infraestructura")


def _entry_body(visit: Visit, **kwargs: Any) -> dict[str, Any]:
    body = {
        "visit": visit.pk,
        "dni": visit.people.first().dni,
        "entered_at": _iso(timezone.now() - dt.timedelta(hours=1)),
        "escort": "Ing. Vargas",
    }
    body.update(kwargs)
    return body


def test_create_entry_then_exit(keeper: Any) -> None:
    visit = contractor_visit()
    response = client_for(keeper).post(f"{API}/entries/", _entry_body(visit), format="json")
    assert response.status_code == 201, response.content
    line = response.json()
    assert line["is_open"] and line["ticket_number"] == "MA-2026-000123"
    assert line["visit_kind"] == VisitKind.MANTENIMIENTO_OGTIE
    open_list = client_for(make_user("coord-infraestructura")).get(f"{API}/entries/open/").json()
    assert [row["id"] for row in open_list] == [line["id"]]
    response = client_for(keeper).post(
        f"{API}/entries/{line['id']}/exit/", {"exited_at": _iso(timezone.now())}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_open"] is False
    again = client_for(keeper).post(
        f"{API}/entries/{line['id']}/exit/", {"exited_at": _iso(timezone.now())}, format="json"
    )
    assert again.status_code == 409
    assert client_for(keeper).get(f"{API}/entries/open/").json() == []


def test_exit_before_entry_is_400_with_the_field(keeper: Any) -> None:
    entry = open_entry()
    before = _iso(entry.entered_at - dt.timedelta(minutes=1))
    events = AuditEvent.objects.count()
    response = client_for(keeper).post(
        f"{API}/entries/{entry.pk}/exit/", {"exited_at": before}, format="json"
    )
    assert response.status_code == 400
    assert "no puede ser anterior al ingreso" in response.json()["errors"]["exited_at"][0]
    entry.refresh_from_db()
    assert entry.exited_at is None and AuditEvent.objects.count() == events


def test_entry_with_expired_sctr_is_400_naming_it(keeper: Any) -> None:
    visit = contractor_visit(sctr_until=timezone.localdate() - dt.timedelta(days=1))
    response = client_for(keeper).post(f"{API}/entries/", _entry_body(visit), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["requisitos"][0].startswith("Documento vencido: SCTR")
    assert not LogbookEntry.objects.exists()


def test_entry_missing_cv_for_high_risk_is_400(keeper: Any) -> None:
    from mapro.datacenter.choices import REQUIRED_DOCUMENTS

    visit = contractor_visit(high_risk=True, documents=tuple(REQUIRED_DOCUMENTS))
    response = client_for(keeper).post(f"{API}/entries/", _entry_body(visit), format="json")
    assert response.status_code == 400
    assert "CV de prevencionista" in response.json()["errors"]["requisitos"][0]
    assert not LogbookEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"entered_at": "ayer"}, "entered_at"),
        ({"escort": ""}, "escort"),
        ({"dni": "123"}, "dni"),
        ({"dni": "88888888"}, "dni"),
    ],
)
def test_bad_entry_bodies(keeper: Any, change: dict[str, Any], field: str) -> None:
    visit = contractor_visit()
    response = client_for(keeper).post(
        f"{API}/entries/", _entry_body(visit, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not LogbookEntry.objects.exists()


@pytest.mark.parametrize("role", ["operador-mesa", "jefe-ogtie", "director-uo", "personal"])
def test_wrong_roles_cannot_write(role: str) -> None:
    user = make_user(role)
    visit = contractor_visit()
    response = client_for(user).post(f"{API}/entries/", _entry_body(visit), format="json")
    assert response.status_code == 403
    entry = open_entry()
    response = client_for(user).post(
        f"{API}/entries/{entry.pk}/exit/", {"exited_at": _iso(timezone.now())}, format="json"
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.exited_at is None
    assert LogbookEntry.objects.count() == 1


def test_anonymous_gets_401_everywhere() -> None:
    entry = open_entry()
    for method, url in [
        ("get", f"{API}/entries/"),
        ("post", f"{API}/entries/"),
        ("get", f"{API}/entries/open/"),
        ("get", f"{API}/entries/{entry.pk}/"),
        ("post", f"{API}/entries/{entry.pk}/exit/"),
        ("get", f"{API}/visits/"),
        ("post", f"{API}/visits/"),
        ("get", f"{API}/visits/{entry.visit_id}/"),
        ("post", f"{API}/visits/{entry.visit_id}/documents/"),
    ]:
        assert getattr(client_for(), method)(url, {}, format="json").status_code == 401, url


def test_a_unit_director_sees_only_their_units_visits() -> None:
    dga = ensure_unit("DGA", "Dirección General de Administración")
    digep = ensure_unit("DIGEP", "Dirección de Gestión Patrimonial")
    mine = open_entry(contractor_visit(kind=VisitKind.MANTENIMIENTO_UO, unit=dga))
    theirs = open_entry(contractor_visit(kind=VisitKind.MANTENIMIENTO_UO, unit=digep))
    director = client_for(make_user("director-uo", unit=dga))
    listed = director.get(f"{API}/entries/").json()
    assert [r["id"] for r in listed] == [mine.pk]
    assert director.get(f"{API}/entries/{mine.pk}/").status_code == 200
    assert director.get(f"{API}/entries/{theirs.pk}/").status_code == 404
    assert director.get(f"{API}/visits/{theirs.visit_id}/").status_code == 404
    assert len(director.get(f"{API}/entries/open/").json()) == 1
    # A global reader sees both.
    assert len(client_for(make_user("jefe-ogtie")).get(f"{API}/entries/").json()) == 2


def test_filters_of_the_list(keeper: Any) -> None:
    old = open_entry(
        contractor_visit(company="Climatización Andina S.A.C."),
        entered_at=timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0)),
    )
    new = open_entry()
    reader = client_for(make_user("esp-seguridad-info"))

    def ids(**params: Any) -> list[int]:
        response = reader.get(f"{API}/entries/", params)
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()]

    assert ids() == [new.pk, old.pk]
    assert ids(desde="2026-01-10", hasta="2026-01-10") == [old.pk]
    assert ids(empresa="andina") == [old.pk]
    assert ids(dni=new.dni) == [new.pk]
    client_for(keeper).post(
        f"{API}/entries/{old.pk}/exit/", {"exited_at": "2026-01-10T11:00:00-05:00"}, format="json"
    )
    assert ids(abiertos="true") == [new.pk]
    bad = reader.get(f"{API}/entries/", {"desde": "2026-02-01", "hasta": "2026-01-01"})
    assert bad.status_code == 400 and "hasta" in bad.json()["errors"]


def test_create_a_visit_with_documents_and_checks() -> None:
    coord = client_for(make_user("coord-infraestructura"))
    dni = next_dni()
    response = coord.post(
        f"{API}/visits/",
        {
            "kind": "mantenimiento-ogtie",
            "company": "Energía Continua S.A.",
            "purpose": "Cambio de baterías del UPS.",
            "high_risk": True,
            "people": [{"full_name": "Luis Campos Díaz", "dni": dni}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    visit = response.json()
    assert visit["unit"] == "OGTIE" and "cv_prevencionista" in visit["required_documents"]
    assert visit["entry_status"][0]["may_enter_today"] is False
    pk = visit["id"]
    today = timezone.localdate()
    for body in [
        {"kind": "sctr", "valid_until": str(today + dt.timedelta(days=30))},
        {"kind": "contrato_orden"},
        {"kind": "procedimiento"},
        {"kind": "capacitacion_sst"},
        {"kind": "cv_prevencionista"},
        {"kind": "certificado_medico", "valid_until": str(today + dt.timedelta(days=30))},
    ]:
        assert coord.post(f"{API}/visits/{pk}/documents/", body, format="json").status_code == 201
    for kind in ("revision", "induccion"):
        body = {"kind": kind, "outcome": "conforme", "on": str(today)}
        assert coord.post(f"{API}/visits/{pk}/checks/", body, format="json").status_code == 201
    detail = coord.get(f"{API}/visits/{pk}/").json()
    assert detail["entry_status"] == [
        {"dni": dni, "full_name": "Luis Campos Díaz", "may_enter_today": True, "problems": []}
    ]
    assert len(detail["documents"]) == 6 and len(detail["checks"]) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "mantenimiento-ogtie", "purpose": "x"}, "company"),
        ({"kind": "otra", "purpose": "x"}, "kind"),
        (
            {"kind": "visita-sg", "purpose": "x", "people": [{"full_name": "A", "dni": "1"}]},
            "people",
        ),
        ({"kind": "visita-sg", "purpose": "x", "unit": "NOEXISTE"}, "unit"),
    ],
)
def test_bad_visits_are_400_and_create_nothing(body: dict[str, Any], field: str) -> None:
    response = client_for(make_user("coord-infraestructura")).post(
        f"{API}/visits/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Visit.objects.exists()


def test_only_the_coordinator_creates_visits() -> None:
    body = {"kind": "visita-sg", "purpose": "Inspección."}
    for role in ("resp-infraestructura", "jefe-ogtie", "operador-mesa"):
        response = client_for(make_user(role)).post(f"{API}/visits/", body, format="json")
        assert response.status_code == 403, role
    assert not Visit.objects.exists()


def test_expired_document_body_is_400() -> None:
    visit = contractor_visit()
    count = visit.documents.count()
    response = client_for(make_user("coord-infraestructura")).post(
        f"{API}/visits/{visit.pk}/documents/", {"kind": "sctr"}, format="json"
    )
    assert response.status_code == 400 and "valid_until" in response.json()["errors"]
    assert visit.documents.count() == count


def test_the_schema_publishes_the_endpoints() -> None:
    response = client_for().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/datacenter/entries/",
        "/api/v1/datacenter/entries/open/",
        "/api/v1/datacenter/entries/{id}/",
        "/api/v1/datacenter/entries/{id}/exit/",
        "/api/v1/datacenter/visits/",
        "/api/v1/datacenter/visits/{id}/",
    ]:
        assert path in paths, path
    assert "post" in paths["/api/v1/datacenter/entries/"]


def test_the_escort_is_ogtie_staff_or_of_the_serviced_unit(keeper: Any) -> None:
    dga = ensure_unit("DGA", "Dirección General de Administración")
    staff = make_user("resp-soporte")
    outsider = make_user("personal", unit=ensure_unit("DIGEP", "DIGEP"))
    of_dga = make_user("personal", unit=dga)
    visit = contractor_visit()
    refused = client_for(keeper).post(
        f"{API}/entries/",
        _entry_body(visit, escort_username=outsider.username),
        format="json",
    )
    assert refused.status_code == 400 and "escort_username" in refused.json()["errors"]
    assert not LogbookEntry.objects.exists()
    unknown = client_for(keeper).post(
        f"{API}/entries/", _entry_body(visit, escort_username="nadie"), format="json"
    )
    assert unknown.status_code == 400 and "escort_username" in unknown.json()["errors"]
    done = client_for(keeper).post(
        f"{API}/entries/", _entry_body(visit, escort_username=staff.username), format="json"
    )
    assert done.status_code == 201 and done.json()["escort_username"] == staff.username
    unit_visit = contractor_visit(kind=VisitKind.MANTENIMIENTO_UO, unit=dga)
    done = client_for(keeper).post(
        f"{API}/entries/", _entry_body(unit_visit, escort_username=of_dga.username), format="json"
    )
    assert done.status_code == 201, done.content
