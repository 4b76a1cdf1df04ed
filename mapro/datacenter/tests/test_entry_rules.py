"""The logbook's rules, through the actions: who may enter with what, and exits.

Each refusal is checked to leave nothing behind: no logbook line, no audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput
from mapro.core.testing import make_user
from mapro.datacenter import actions
from mapro.datacenter.choices import CheckKind, CheckOutcome, DocumentKind, VisitKind
from mapro.datacenter.models import LogbookEntry
from mapro.datacenter.testing import contractor_visit, next_dni, open_entry, sg_visit
from mapro.organization.actions import do_update_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def keeper() -> Any:
    return make_user("resp-infraestructura")


def _enter(visit: Any, actor: Any, **kwargs: Any) -> LogbookEntry:
    values: dict[str, Any] = {
        "dni": visit.people.first().dni,
        "entered_at": timezone.now() - HOUR,
        "escort": "Ing. Vargas (infraestructura)",
    }
    values.update(kwargs)
    return actions.do_record_entry(visit, actor=actor, **values)


def _refused(visit: Any, actor: Any, **kwargs: Any) -> dict[str, list[str]]:
    """The errors of a refused entry, after checking that nothing was written."""
    entries, events = LogbookEntry.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as caught:
        _enter(visit, actor, **kwargs)
    assert LogbookEntry.objects.count() == entries
    assert AuditEvent.objects.count() == events
    return caught.value.errors


def test_a_contractor_in_order_enters_and_the_line_copies_the_format(keeper: Any) -> None:
    visit = contractor_visit()
    entry = _enter(visit, keeper, purpose="Cambio de baterías")
    assert (entry.full_name, entry.company, entry.escort_name, entry.purpose) == (
        "Luis Campos Díaz",
        "Energía Continua S.A.",
        "Ing. Vargas (infraestructura)",
        "Cambio de baterías",
    )
    assert entry.is_open and entry.entry_recorded_by == keeper
    event = AuditEvent.objects.get(action="logbook_entry.create", object_id=str(entry.pk))
    assert event.after["dni"] == entry.dni


def test_expired_sctr_is_refused_with_its_date(keeper: Any) -> None:
    expired = timezone.localdate() - dt.timedelta(days=1)
    visit = contractor_visit(sctr_until=expired)
    errors = _refused(visit, keeper)
    assert errors == {
        "requisitos": [f"Documento vencido: SCTR (vigente hasta {expired:%d/%m/%Y})."]
    }


def test_sctr_in_force_on_the_entry_day_counts_even_if_expired_today(keeper: Any) -> None:
    """Validity is judged on the entry's date: an entry recorded late is not refused."""
    until = timezone.localdate() - dt.timedelta(days=2)
    visit = contractor_visit(sctr_until=until)
    moment = timezone.make_aware(dt.datetime.combine(until, dt.time(9, 0)))
    assert _enter(visit, keeper, entered_at=moment).entered_at == moment


def test_a_renewed_sctr_replaces_the_expired_one(keeper: Any) -> None:
    visit = contractor_visit(sctr_until=timezone.localdate() - dt.timedelta(days=10))
    actions.do_record_contractor_document(
        visit,
        actor=make_user("coord-infraestructura"),
        kind=DocumentKind.SCTR,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    assert _enter(visit, keeper).is_open


def test_high_risk_work_needs_the_prevencionista_cv(keeper: Any) -> None:
    visit = contractor_visit(high_risk=True, documents=tuple(actions.REQUIRED_DOCUMENTS))
    errors = _refused(visit, keeper)
    assert errors["requisitos"] == [
        "Falta el documento: CV de prevencionista (actividades de alto riesgo)."
    ]
    actions.do_record_contractor_document(
        visit, actor=make_user("coord-infraestructura"), kind=DocumentKind.CV_PREVENCIONISTA
    )
    assert _enter(visit, keeper).is_open


def test_every_missing_item_is_named(keeper: Any) -> None:
    visit = contractor_visit(documents=(), review=None, induction=False)
    errors = _refused(visit, keeper)
    assert errors["requisitos"] == [
        "Falta el documento: SCTR.",
        "Falta el documento: Contrato, orden de servicio u otro documento del servicio.",
        "Falta el documento: Procedimiento de la actividad.",
        "Falta el documento: Capacitación en temas de SST y de las actividades.",
        "Falta el documento: Certificado médico ocupacional.",
        "Falta la revisión de la documentación por la DIPEC.",
        "Falta la inducción en materia de SST de la DIPEC.",
    ]


def test_a_document_for_another_worker_does_not_count(keeper: Any) -> None:
    visit = contractor_visit(documents=(DocumentKind.SCTR, DocumentKind.CONTRATO_ORDEN))
    other = actions.do_add_visit_person(
        visit, actor=make_user("coord-infraestructura"), full_name="Ana Ríos", dni=next_dni()
    )
    for kind in (DocumentKind.PROCEDIMIENTO, DocumentKind.CAPACITACION_SST):
        actions.do_record_contractor_document(visit, actor=None, kind=kind, dni=other.dni)
    actions.do_record_contractor_document(
        visit,
        actor=None,
        kind=DocumentKind.CERTIFICADO_MEDICO,
        dni=other.dni,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    first = visit.people.order_by("id").first()
    assert len(_refused(visit, keeper, dni=first.dni)["requisitos"]) == 3
    assert _enter(visit, keeper, dni=other.dni).dni == other.dni


def test_the_latest_dipec_review_must_be_conforme(keeper: Any) -> None:
    visit = contractor_visit(review=CheckOutcome.OBSERVADA)
    errors = _refused(visit, keeper)
    assert errors["requisitos"] == [
        "Revisión de la documentación (DIPEC): la última tiene observaciones (Falta firma.)."
    ]
    actions.do_record_dipec_check(
        visit,
        actor=make_user("coord-infraestructura"),
        kind=CheckKind.REVISION,
        outcome=CheckOutcome.CONFORME,
        on=timezone.localdate(),
    )
    assert _enter(visit, keeper).is_open


def test_a_unit_maintenance_needs_documents_but_not_the_dipec(keeper: Any) -> None:
    """Start "mantenimiento-uo": the U.O. dealt with DIPEC itself (activity 6's note)."""
    visit = contractor_visit(kind=VisitKind.MANTENIMIENTO_UO, review=None, induction=False)
    assert _enter(visit, keeper).is_open
    visit = contractor_visit(kind=VisitKind.MANTENIMIENTO_UO, documents=(DocumentKind.SCTR,))
    assert len(_refused(visit, keeper)["requisitos"]) == 4


def test_a_high_level_visit_needs_only_the_authorisation(keeper: Any) -> None:
    errors = _refused(sg_visit(authorized=False), keeper)
    assert errors == {"requisitos": ["Falta la autorización del ingreso del Jefe(a) de la OGTIE."]}
    entry = _enter(sg_visit(), keeper, escort="Jefe(a) de la OGTIE")
    assert entry.company == "VRD"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dni": "99999999"}, "dni"),
        ({"dni": "12AB"}, "dni"),
        ({"escort": "  "}, "escort"),
        ({"entered_at": None}, "entered_at"),
        ({"entered_at": "future"}, "entered_at"),
    ],
)
def test_bad_entries_name_the_field(keeper: Any, change: dict[str, Any], field: str) -> None:
    visit = contractor_visit()
    if change.get("entered_at") == "future":
        change = {"entered_at": timezone.now() + 2 * HOUR}
    assert field in _refused(visit, keeper, **change)


def test_no_second_open_entry_for_the_same_person(keeper: Any) -> None:
    dni = next_dni()
    first = open_entry(contractor_visit(dni=dni))
    other_visit = contractor_visit(dni=dni)
    errors = _refused(other_visit, keeper)
    assert "ya está dentro del centro de datos" in errors["dni"][0]
    actions.do_record_exit(first, actor=keeper, exited_at=timezone.now())
    assert _enter(other_visit, keeper).is_open


def test_exit_before_entry_is_refused_and_nothing_changes(keeper: Any) -> None:
    entry = open_entry()
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as caught:
        actions.do_record_exit(entry, actor=keeper, exited_at=entry.entered_at - dt.timedelta(1))
    assert "no puede ser anterior al ingreso" in caught.value.errors["exited_at"][0]
    entry.refresh_from_db()
    assert entry.exited_at is None and AuditEvent.objects.count() == events


def test_exit_once_and_never_twice(keeper: Any) -> None:
    entry = open_entry()
    moment = timezone.now()
    actions.do_record_exit(entry, actor=keeper, exited_at=moment)
    entry.refresh_from_db()
    assert entry.exited_at == moment and entry.exit_recorded_by == keeper
    with pytest.raises(Conflict):
        actions.do_record_exit(entry, actor=keeper, exited_at=moment + HOUR)
    entry.refresh_from_db()
    assert entry.exited_at == moment


def test_no_exit_without_an_entry(keeper: Any) -> None:
    visit = contractor_visit()
    with pytest.raises(InvalidInput) as caught:
        actions.do_record_exit_by_dni(
            visit, actor=keeper, dni=visit.people.first().dni, exited_at=timezone.now()
        )
    assert "no tiene un ingreso sin salida" in caught.value.errors["dni"][0]


@pytest.mark.parametrize("role", ["operador-mesa", "jefe-ogtie", "esp-seguridad-info", None])
def test_only_the_keepers_write_the_logbook(role: str | None) -> None:
    user = make_user(role) if role else make_user()
    visit = contractor_visit()
    with pytest.raises(Forbidden):
        _enter(visit, user)
    entry = open_entry()
    with pytest.raises(Forbidden):
        actions.do_record_exit(entry, actor=user, exited_at=timezone.now())
    assert LogbookEntry.objects.filter(exited_at__isnull=False).count() == 0


def test_only_the_coordinator_records_documents_and_reviews() -> None:
    visit = contractor_visit()
    for role in ("resp-infraestructura", "operador-mesa"):
        user = make_user(role)
        with pytest.raises(Forbidden):
            actions.do_record_contractor_document(visit, actor=user, kind=DocumentKind.OTRO)
        with pytest.raises(Forbidden):
            actions.do_record_dipec_check(
                visit, actor=user, kind="revision", outcome="conforme", on=timezone.localdate()
            )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "sctr"}, "valid_until"),
        ({"kind": "certificado_medico"}, "valid_until"),
        ({"kind": "carta"}, "kind"),
        ({"kind": "otro", "dni": "11111111"}, "dni"),
    ],
)
def test_bad_documents_name_the_field(values: dict[str, Any], field: str) -> None:
    visit = contractor_visit()
    count = visit.documents.count()
    with pytest.raises(InvalidInput) as caught:
        actions.do_record_contractor_document(
            visit, actor=make_user("coord-infraestructura"), **values
        )
    assert field in caught.value.errors
    assert visit.documents.count() == count


def test_an_observed_review_says_what_was_observed() -> None:
    visit = contractor_visit()
    with pytest.raises(InvalidInput) as caught:
        actions.do_record_dipec_check(
            visit,
            actor=make_user("coord-infraestructura"),
            kind="revision",
            outcome="observada",
            on=timezone.localdate(),
        )
    assert "observations" in caught.value.errors


def test_an_escort_whose_term_ended_is_refused(keeper: Any) -> None:
    """The escort must hold an OGTIE role today; a person past ``valid_until`` holds none
    (the one definition of a current assignment, ``organization.models.roles``)."""
    last_day = dt.date(2026, 3, 10)
    lima = ZoneInfo("America/Lima")
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=lima), tick=False):
        escort = make_user("resp-soporte")
        do_update_person(escort.person, actor=None, valid_until=last_day)
        visit = contractor_visit()
        entry = _enter(visit, keeper, escort_username=escort.username)
        assert entry.escort == escort
        actions.do_record_exit(entry, actor=keeper, exited_at=timezone.now())
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, tzinfo=lima), tick=False):
        errors = _refused(visit, keeper, escort_username=escort.username)
    assert errors == {
        "escort_username": [
            "El acompañante debe ser personal de la OGTIE (o de la unidad atendida)."
        ]
    }
