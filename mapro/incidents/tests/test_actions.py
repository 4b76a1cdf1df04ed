"""The actions of the incident matrix: roles, validation (nothing changes on bad input),
correlative codes, computed times and the timeline order."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition
from mapro.core.testing import make_user
from mapro.incidents import actions
from mapro.incidents.choices import Kind, Phase, Status
from mapro.incidents.models import Incident, IncidentAction
from mapro.incidents.selectors import minutes, timeline
from mapro.incidents.testing import make_incident

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _open(actor, kind=Kind.SEGURIDAD, **changes):
    values = {
        "title": "Troyano en PC de secretaría",
        "description": "El antivirus alertó un troyano.",
        "origin": "unidad",
        "detection_source": "reporte_usuario",
        "detected_at": NOW - datetime.timedelta(hours=5),
        "reported_by": "Secretaría de DGA",
    }
    values.update(changes)
    return actions.do_open_incident(actor=actor, kind=kind, **values)


def test_open_gives_correlative_codes_per_year_and_audits(units):
    tech = make_user("tecnico-especialista")
    first = _open(tech)
    second = _open(make_user("resp-infraestructura"), kind=Kind.INFRAESTRUCTURA, category="caida")
    year = timezone.localdate().year
    assert (first.code, second.code) == (f"INC-{year}-0001", f"INC-{year}-0002")
    assert first.status == Status.ABIERTO and first.created_by == tech
    event = AuditEvent.objects.get(action="incident.open", object_id=str(first.pk))
    assert event.after["kind"] == "seguridad"


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("resp-infraestructura", Kind.SEGURIDAD),
        ("tecnico-especialista", Kind.INFRAESTRUCTURA),
        ("operador-mesa", Kind.SEGURIDAD),
        ("personal", Kind.INFRAESTRUCTURA),
        ("director-uo", Kind.SEGURIDAD),
    ],
)
def test_open_with_the_wrong_role_is_forbidden(units, role, kind):
    with pytest.raises(Forbidden):
        _open(make_user(role), kind=kind)
    assert not Incident.objects.exists()


def test_open_names_every_missing_item_and_creates_nothing(units):
    with pytest.raises(InvalidInput) as exc:
        _open(
            make_user("coord-ciberseguridad"),
            title=" ",
            description="",
            origin="unidad",
            detection_source="",
            detected_at=None,
            reported_by="",
            category="caida",  # an infrastructure category on a security incident
            severity="altisima",
        )
    assert set(exc.value.errors) == {
        "title",
        "description",
        "detection_source",
        "detected_at",
        "reporting_unit",
        "category",
        "severity",
    }
    assert not Incident.objects.exists()
    assert not AuditEvent.objects.filter(action="incident.open").exists()


def test_open_refuses_a_detection_in_the_future(units):
    with pytest.raises(InvalidInput) as exc:
        _open(make_user("jefe-ogtie"), detected_at=NOW + datetime.timedelta(hours=2))
    assert list(exc.value.errors) == ["detected_at"]
    assert not Incident.objects.exists()


def test_containment_sets_time_to_contain(units):
    incident = make_incident(detected_at=NOW - datetime.timedelta(hours=4))
    tech = make_user("tecnico-especialista")
    assert incident.time_to_contain is None
    actions.do_add_incident_action(
        incident,
        actor=tech,
        phase=Phase.CONTENCION,
        description="Aislamiento de la red.",
        performed_at=NOW - datetime.timedelta(hours=3, minutes=30),
    )
    actions.do_add_incident_action(
        incident,
        actor=tech,
        phase=Phase.CONTENCION,
        description="Bloqueo de la cuenta comprometida.",
        performed_at=NOW - datetime.timedelta(hours=2),
    )
    incident.refresh_from_db()
    assert incident.contained_at == NOW - datetime.timedelta(hours=2)
    assert minutes(incident.time_to_contain) == 120
    action = incident.actions.order_by("performed_at").first()
    assert action.performed_by == tech and action.performed_by_name


def test_add_action_bad_input_changes_nothing(units):
    incident = make_incident()
    for data, field in (
        ({"phase": "preparacion", "description": "x"}, "phase"),
        ({"phase": Phase.ANALISIS, "description": "  "}, "description"),
        (
            {
                "phase": Phase.ANALISIS,
                "description": "x",
                "performed_at": NOW + datetime.timedelta(days=1),
            },
            "performed_at",
        ),
        ({"phase": Phase.ANALISIS, "description": "x", "performed_at": "ayer"}, "performed_at"),
    ):
        with pytest.raises(InvalidInput) as exc:
            actions.do_add_incident_action(incident, actor=make_user("jefe-ogtie"), **data)
        assert field in exc.value.errors
    assert not IncidentAction.objects.exists()


def test_add_action_wrong_role_is_forbidden(units):
    incident = make_incident(Kind.SEGURIDAD)
    for role in ("resp-infraestructura", "resp-soporte", "director-uo"):
        with pytest.raises(Forbidden):
            actions.do_add_incident_action(
                incident, actor=make_user(role), phase=Phase.ANALISIS, description="x"
            )
    assert not IncidentAction.objects.exists()


def test_close_requires_the_resolution(units):
    incident = make_incident(Kind.INFRAESTRUCTURA)
    with pytest.raises(InvalidInput) as exc:
        actions.do_close_incident(incident, actor=make_user("resp-infraestructura"), resolution="")
    assert list(exc.value.errors) == ["resolution"]
    incident.refresh_from_db()
    assert incident.status == Status.ABIERTO and incident.resolved_at is None


def test_a_security_incident_needs_lessons_learned_to_close(units):
    incident = make_incident(Kind.SEGURIDAD)
    with pytest.raises(InvalidInput) as exc:
        actions.do_close_incident(
            incident, actor=make_user("coord-ciberseguridad"), resolution="Reinstalado."
        )
    assert list(exc.value.errors) == ["lessons_learned"]
    incident.refresh_from_db()
    assert incident.status == Status.ABIERTO and incident.resolution == ""
    assert not AuditEvent.objects.filter(action="incident.close").exists()


def test_an_infrastructure_incident_closes_without_lessons(units):
    incident = make_incident(Kind.INFRAESTRUCTURA, detected_at=NOW - datetime.timedelta(hours=6))
    closed = actions.do_close_incident(
        incident,
        actor=make_user("coord-infraestructura"),
        resolution="Se reinició el servicio de aplicaciones.",
        resolved_at=NOW - datetime.timedelta(hours=1, minutes=15),
    )
    assert closed.status == Status.CERRADO and closed.closed_at is not None
    assert minutes(closed.time_to_resolve) == 4 * 60 + 45


def test_close_checks_times_and_is_once(units):
    incident = make_incident(Kind.SEGURIDAD, detected_at=NOW - datetime.timedelta(hours=2))
    boss = make_user("jefe-ogtie")
    with pytest.raises(InvalidInput) as exc:
        actions.do_close_incident(
            incident,
            actor=boss,
            resolution="Ok.",
            lessons_learned="Ok.",
            resolved_at=NOW - datetime.timedelta(hours=3),
        )
    assert list(exc.value.errors) == ["resolved_at"]
    actions.do_close_incident(incident, actor=boss, resolution="Ok.", lessons_learned="Ok.")
    with pytest.raises(InvalidTransition):
        actions.do_close_incident(incident, actor=boss, resolution="Otra.", lessons_learned="x")
    incident.refresh_from_db()
    assert incident.resolution == "Ok."


def test_a_closed_incident_takes_only_post_incident_actions(units):
    incident = make_incident(Kind.SEGURIDAD)
    boss = make_user("oficial-seguridad-digital")
    actions.do_close_incident(incident, actor=boss, resolution="Ok.", lessons_learned="Ok.")
    with pytest.raises(InvalidTransition):
        actions.do_add_incident_action(
            incident, actor=boss, phase=Phase.CONTENCION, description="Tarde."
        )
    actions.do_add_incident_action(
        incident, actor=boss, phase=Phase.POST_INCIDENTE, description="Charla de concienciación."
    )
    assert list(incident.actions.values_list("phase", flat=True)) == [Phase.POST_INCIDENTE]


def test_classify_validates_the_kind_and_required_levels(units):
    incident = make_incident(Kind.INFRAESTRUCTURA)
    chief = make_user("coord-infraestructura")
    with pytest.raises(InvalidInput) as exc:
        actions.do_classify_incident(
            incident, actor=chief, category="fraude-phishing", severity="", priority="alta"
        )
    assert set(exc.value.errors) == {"category", "severity"}
    done = actions.do_classify_incident(
        incident, actor=chief, category="lentitud", severity="media", priority="alta"
    )
    assert (done.category, done.severity, done.priority) == ("lentitud", "media", "alta")
    event = AuditEvent.objects.get(action="incident.classify")
    assert event.after["category"] == "lentitud"
    with pytest.raises(Forbidden):
        actions.do_classify_incident(
            incident,
            actor=make_user("tecnico-especialista"),
            category="caida",
            severity="alta",
            priority="alta",
        )


def test_timeline_lists_phases_in_order_and_actions_by_time(units):
    incident = make_incident(Kind.SEGURIDAD, detected_at=NOW - datetime.timedelta(hours=10))
    tech, coord = make_user("tecnico-especialista"), make_user("coord-ciberseguridad")
    entries = [
        (coord, Phase.RECUPERACION, "Restauración desde respaldo.", 3),
        (tech, Phase.DETECCION, "Alerta del EDR.", 9),
        (tech, Phase.CONTENCION, "Aislamiento.", 6),
        (coord, Phase.ANALISIS, "Correlación de eventos.", 8),
        (tech, Phase.ANALISIS, "Muestra enviada al sandbox.", 7),
        (coord, Phase.ERRADICACION, "Formateo.", 5),
    ]
    for who, phase, text, hours_ago in entries:
        actions.do_add_incident_action(
            incident,
            actor=who,
            phase=phase,
            description=text,
            performed_at=NOW - datetime.timedelta(hours=hours_ago),
        )
    blocks = timeline(incident)
    assert [b.phase for b in blocks] == [p.value for p in Phase]
    analysis = blocks[1]
    assert [a.description for a in analysis.actions] == [
        "Correlación de eventos.",
        "Muestra enviada al sandbox.",
    ]
    assert analysis.actions[0].performed_by == coord
    assert analysis.started_at == NOW - datetime.timedelta(hours=8)
    assert analysis.ended_at == NOW - datetime.timedelta(hours=7)
    assert blocks[-1].actions == []  # post-incidente: nothing yet
