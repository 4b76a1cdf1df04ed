"""HTML pages and API of the matrix: roles, scope, bad input, filters, the timeline page and the
XLSX export that reads back equal."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx
from mapro.incidents import actions
from mapro.incidents.choices import Kind, Phase, Status
from mapro.incidents.models import Incident, IncidentAction
from mapro.incidents.selectors import EXPORT_HEADERS, export_rows, incidents_visible_to
from mapro.incidents.testing import make_incident

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def web(user):
    client = Client()
    client.force_login(user)
    return client


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_security_incidents_are_hidden_from_the_infrastructure_side(units):
    security = make_incident(Kind.SEGURIDAD)
    infra = make_incident(Kind.INFRAESTRUCTURA)
    seen = {
        role: set(incidents_visible_to(make_user(role)).values_list("code", flat=True))
        for role in ("resp-infraestructura", "tecnico-especialista", "esp-seguridad-info")
    }
    assert seen["resp-infraestructura"] == {infra.code}
    assert seen["tecnico-especialista"] == {security.code}
    assert seen["esp-seguridad-info"] == {security.code, infra.code}
    url = reverse("incidents:incident_detail", args=[security.code])
    assert web(make_user("resp-infraestructura")).get(url).status_code == 404
    response = api(make_user("resp-soporte")).get(f"/api/v1/incidents/{security.code}/")
    assert response.status_code == 404


def test_a_director_sees_only_their_units_incidents_and_cannot_handle_them(units):
    own = make_incident(Kind.SEGURIDAD, unit=units["DGA"])
    other = make_incident(Kind.SEGURIDAD, unit=units["DIGEP"])
    director = make_user("director-uo", unit=units["DGA"])
    client = web(director)
    assert client.get(reverse("incidents:incident_detail", args=[own.code])).status_code == 200
    assert client.get(reverse("incidents:incident_detail", args=[other.code])).status_code == 404
    listing = client.get(reverse("incidents:incident_list")).content.decode()
    assert own.code in listing and other.code not in listing
    response = client.post(
        reverse("incidents:incident_close", args=[own.code]),
        {"resolution": "Ok.", "lessons_learned": "Ok."},
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == Status.ABIERTO
    response = api(director).post(
        f"/api/v1/incidents/{other.code}/close/", {"resolution": "x"}, format="json"
    )
    assert response.status_code == 404


def test_pages_need_sign_in_and_a_role(units):
    incident = make_incident()
    url = reverse("incidents:incident_timeline", args=[incident.code])
    response = Client().get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert web(make_user("personal")).get(url).status_code == 403
    assert api().get("/api/v1/incidents/").status_code == 401
    assert api(make_user("operador-mesa")).get("/api/v1/incidents/").status_code == 403


def test_register_by_hand_and_bad_input(units):
    coord = make_user("coord-ciberseguridad")
    client = web(coord)
    url = reverse("incidents:incident_new")
    bad = client.post(url, {"kind": "seguridad", "title": "", "origin": "ogtie"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Indique el título del incidente." in page
    assert "Indique la fecha y hora de detección." in page
    assert not Incident.objects.exists()
    good = client.post(
        url,
        {
            "kind": "seguridad",
            "title": "Acceso no autorizado al correo",
            "description": "Inicio de sesión desde una IP extranjera.",
            "origin": "unidad",
            "detection_source": "reporte_usuario",
            "detected_at": (timezone.localtime(NOW) - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "reporting_unit": "DGA",
            "severity": "alta",
        },
    )
    incident = Incident.objects.get()
    assert good.status_code == 302
    assert good["Location"] == reverse("incidents:incident_detail", args=[incident.code])
    assert incident.reporting_unit == units["DGA"] and incident.created_by == coord
    # The infrastructure side may not register a security incident.
    response = web(make_user("resp-infraestructura")).post(url, {"kind": "seguridad"})
    assert response.status_code == 403


def test_close_without_lessons_from_the_page_changes_nothing(units):
    incident = make_incident(Kind.SEGURIDAD)
    response = web(make_user("tecnico-especialista")).post(
        reverse("incidents:incident_close", args=[incident.code]),
        {"resolution": "Equipo reinstalado.", "lessons_learned": ""},
    )
    assert response.status_code == 400
    assert "Registre las lecciones aprendidas" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Status.ABIERTO and incident.resolution == ""


def test_api_close_and_actions(units):
    incident = make_incident(Kind.SEGURIDAD, detected_at=NOW - datetime.timedelta(hours=3))
    client = api(make_user("coord-ciberseguridad"))
    base = f"/api/v1/incidents/{incident.code}"
    bad = client.post(f"{base}/close/", {"resolution": ""}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"resolution", "lessons_learned"}
    response = client.post(
        f"{base}/actions/",
        {
            "phase": "contencion",
            "description": "Bloqueo de la IP en el firewall.",
            "performed_at": (NOW - datetime.timedelta(hours=2)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["time_to_contain_minutes"] == 60
    done = client.post(
        f"{base}/close/",
        {"resolution": "IP bloqueada.", "lessons_learned": "Geobloqueo en el correo."},
        format="json",
    )
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "cerrado" and body["time_to_resolve_minutes"] >= 180
    phases = {p["phase"]: p["actions"] for p in body["timeline"]}
    assert phases["contencion"][0]["performed_by_name"]
    again = client.post(
        f"{base}/close/", {"resolution": "x", "lessons_learned": "y"}, format="json"
    )
    assert again.status_code == 409


def test_api_create_and_list_filters(units):
    client = api(make_user("jefe-ogtie"))
    bad = client.post(
        "/api/v1/incidents/",
        {
            "kind": "seguridad",
            "title": "",
            "description": "",
            "origin": "",
            "detection_source": "",
            "detected_at": "",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert {"title", "description", "origin", "detection_source", "detected_at"} <= set(
        bad.json()["errors"]
    )
    created = client.post(
        "/api/v1/incidents/",
        {
            "kind": "infraestructura",
            "title": "Caída del servidor de planillas",
            "description": "El servicio no responde.",
            "origin": "ogtie",
            "detection_source": "herramienta_monitoreo",
            "detected_at": (NOW - datetime.timedelta(days=2)).isoformat(),
            "category": "caida",
            "severity": "alta",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    make_incident(Kind.SEGURIDAD, severity="baja", unit=units["DIGEP"])
    codes = lambda q: [row["code"] for row in client.get(f"/api/v1/incidents/{q}").json()]  # noqa: E731
    assert codes("?kind=infraestructura") == [created.json()["code"]]
    assert codes("?severity=alta") == [created.json()["code"]]
    assert len(codes("?unit=DIGEP")) == 1
    assert len(codes("?status=abierto")) == 2
    day = timezone.localdate(NOW - datetime.timedelta(days=2)).isoformat()
    assert codes(f"?desde={day}&hasta={day}") == [created.json()["code"]]
    assert client.get("/api/v1/incidents/?unit=NOEXISTE").status_code == 400


def test_the_timeline_page_shows_each_phase_with_who_and_when(units):
    incident = make_incident(Kind.SEGURIDAD, detected_at=NOW - datetime.timedelta(hours=9))
    tech, coord = make_user("tecnico-especialista"), make_user("coord-ciberseguridad")
    plan = [
        (Phase.POST_INCIDENTE, tech, "Lecciones registradas.", 1),
        (Phase.DETECCION, tech, "Alerta del EDR.", 8),
        (Phase.ERRADICACION, coord, "Eliminación del malware.", 4),
        (Phase.ANALISIS, coord, "Correlación de eventos.", 7),
        (Phase.RECUPERACION, coord, "Restauración.", 3),
        (Phase.CONTENCION, tech, "Aislamiento del equipo.", 6),
    ]
    for phase, who, text, hours in plan:
        actions.do_add_incident_action(
            incident,
            actor=who,
            phase=phase,
            description=text,
            performed_at=NOW - datetime.timedelta(hours=hours),
        )
    page = (
        web(make_user("oficial-seguridad-digital"))
        .get(reverse("incidents:incident_timeline", args=[incident.code]))
        .content.decode()
    )
    texts = [
        "Alerta del EDR.",
        "Correlación de eventos.",
        "Aislamiento del equipo.",
        "Eliminación del malware.",
        "Restauración.",
        "Lecciones registradas.",
    ]
    positions = [page.index(t) for t in texts]
    assert positions == sorted(positions)
    order = [p.value for p in Phase]
    for phase, who, text, hours in plan:
        start = page.index(f'id="fase-{phase}"')
        following = order[order.index(phase) + 1 :]
        end = page.index(f'id="fase-{following[0]}"') if following else len(page)
        block = page[start:end]
        when = timezone.localtime(NOW - datetime.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")
        assert text in block and when in block and who.get_full_name() in block, phase
    assert "Tiempo para contener: <strong>3 h 0 min</strong>" in page


def test_the_export_reads_back_equal_with_the_filters_applied(units):
    boss = make_user("jefe-ogtie")
    security = make_incident(
        Kind.SEGURIDAD,
        detected_at=NOW - datetime.timedelta(hours=5),
        severity="alta",
        title='=HYPERLINK("http://x")',  # formula-looking text stays text
    )
    actions.do_add_incident_action(
        security,
        actor=boss,
        phase=Phase.CONTENCION,
        description="Aislamiento.",
        performed_at=NOW - datetime.timedelta(hours=4),
    )
    actions.do_close_incident(
        security,
        actor=boss,
        resolution="Reinstalado.",
        lessons_learned="Bloquear macros.",
        resolved_at=NOW - datetime.timedelta(hours=1),
    )
    make_incident(Kind.INFRAESTRUCTURA, severity="baja")
    response = web(boss).get(reverse("incidents:incident_export") + "?severity=alta")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="matriz-incidentes')
    headers, rows = read_xlsx(response.content)
    assert headers == EXPORT_HEADERS
    expected = export_rows(incidents_visible_to(boss).filter(severity="alta"))
    assert rows == expected
    (row,) = rows
    cell = dict(zip(headers, row, strict=True))
    assert cell["Código"] == security.code
    assert cell["Título"] == '=HYPERLINK("http://x")'
    assert cell["Tiempo para contener (min)"] == 60
    assert cell["Tiempo para resolver (min)"] == 240
    assert cell["Detectado"] == timezone.localtime(NOW - datetime.timedelta(hours=5)).replace(
        tzinfo=None
    )
    assert "Contención" in cell["Acciones por fase"] and "Aislamiento." in cell["Acciones por fase"]
    assert cell["Lecciones aprendidas"] == "Bloquear macros."


def test_detail_shows_history_and_closed_incidents_offer_no_close(units):
    incident = make_incident(Kind.INFRAESTRUCTURA)
    chief = make_user("resp-infraestructura")
    actions.do_close_incident(incident, actor=chief, resolution="Servicio restaurado.")
    page = web(chief).get(reverse("incidents:incident_detail", args=[incident.code]))
    content = page.content.decode()
    assert "Historial de cambios" in content and "Incidente cerrado" in content
    assert reverse("incidents:incident_close", args=[incident.code]) not in content
    response = web(chief).post(
        reverse("incidents:incident_add_action", args=[incident.code]),
        {"phase": "contencion", "description": "Tarde."},
    )
    assert response.status_code == 409
    assert not IncidentAction.objects.exists()


def test_list_and_export_queries_do_not_grow_with_the_rows(units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss = make_user("jefe-ogtie")
    client = web(boss)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_incident(Kind.SEGURIDAD)
    small = (count(reverse("incidents:incident_list")), count(reverse("incidents:incident_export")))
    for i in range(6):
        incident = make_incident(Kind.INFRAESTRUCTURA if i % 2 else Kind.SEGURIDAD)
        actions.do_add_incident_action(
            incident, actor=boss, phase=Phase.ANALISIS, description=f"Análisis {i}."
        )
    large = (count(reverse("incidents:incident_list")), count(reverse("incidents:incident_export")))
    assert large == small


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("incident_add_action", {"phase": "contencion", "description": "Aislamiento."}),
        (
            "incident_classify",
            {"category": "codigo-malicioso", "severity": "alta", "priority": "alta"},
        ),
        ("incident_close", {"resolution": "Ok.", "lessons_learned": "Ok."}),
    ],
)
def test_actions_on_an_incident_out_of_scope_are_404_and_change_nothing(units, name, data):
    incident = make_incident(Kind.SEGURIDAD)
    before = Incident.objects.filter(pk=incident.pk).values().get()
    for role in ("resp-infraestructura", "resp-soporte"):
        response = web(make_user(role)).post(
            reverse(f"incidents:{name}", args=[incident.code]), data
        )
        assert response.status_code == 404, role
    other_director = make_user("director-uo", unit=units["DIGEP"])
    response = web(other_director).post(reverse(f"incidents:{name}", args=[incident.code]), data)
    assert response.status_code == 404
    assert Incident.objects.filter(pk=incident.pk).values().get() == before
    assert not IncidentAction.objects.exists()


def test_an_unknown_unit_is_named_with_the_other_problems(units):
    response = api(make_user("tecnico-especialista")).post(
        "/api/v1/incidents/",
        {
            "kind": "seguridad",
            "title": "",
            "description": "Correo sospechoso.",
            "origin": "unidad",
            "detection_source": "reporte_usuario",
            "detected_at": NOW.isoformat(),
            "reporting_unit": "NOEXISTE",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title", "reporting_unit"}
    assert not Incident.objects.exists()
