"""Every change to the data-center register goes through these actions (house style).

Each ``do_*`` runs in one transaction: it checks the actor's role (``access``; ``actor=None``
is the system), validates its input (``InvalidInput`` naming each field, in Spanish), writes its
rows and records an audit event. The logbook's rules live here and nowhere else:

- only a person listed in the visit enters, with an escort, never in the future;
- a contractor enters only with every required document in force on the entry date (the SCTR,
  the service's contract or order, the activity's procedure, the SST training, the
  occupational medical certificate, and the prevencionista's CV for high-risk work), and, when
  OGTIE's own equipment is serviced, after the DIPEC found the documents complete (latest review
  «conforme», activity 10) and gave the SST induction (13); a high-level visit only once the
  Jefe(a) de la OGTIE authorised it (2). The refusal names every missing or expired item;
- one open entry per person (DNI); an exit only for an open entry, never before the entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput
from mapro.organization.models import Person, RoleAssignment, Unit
from mapro.organization.permissions import has_role

from . import access
from .choices import (
    EXPIRING_DOCUMENTS,
    REQUIRED_DOCUMENTS,
    CheckKind,
    CheckOutcome,
    DocumentKind,
    VisitKind,
)
from .models import ContractorDocument, DipecCheck, LogbookEntry, Visit, VisitPerson
from .models.visits import dni_validator

#: How far in the future an entry or exit time may be (clocks of phones and servers differ).
CLOCK_SKEW = dt.timedelta(minutes=5)
DEFAULT_UNIT = "OGTIE"


# --- helpers ---------------------------------------------------------------------------------


def _check(actor: Any, roles: Iterable[str]) -> None:
    """The system (``None``) may; a user must hold one of ``roles``."""
    if actor is not None and not has_role(actor, roles):
        raise Forbidden()


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _valid_dni(value: Any) -> str | None:
    dni = _text(value)
    try:
        dni_validator(dni)
    except Exception:
        return None
    return dni


def _date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _moment_text(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def visit_snapshot(visit: Visit) -> dict[str, Any]:
    return {
        "kind": visit.kind,
        "company": visit.company,
        "purpose": visit.purpose,
        "planned_at": visit.planned_at.isoformat() if visit.planned_at else None,
        "high_risk": visit.high_risk,
        "authorized_on": visit.authorized_on.isoformat() if visit.authorized_on else None,
        "unit": visit.unit.code if visit.unit_id else None,
        "ticket_number": visit.ticket_number,
    }


def entry_snapshot(entry: LogbookEntry) -> dict[str, Any]:
    return {
        "visit": entry.visit_id,
        "full_name": entry.full_name,
        "dni": entry.dni,
        "company": entry.company,
        "escort": entry.escort_name,
        "purpose": entry.purpose,
        "entered_at": entry.entered_at.isoformat(),
        "exited_at": entry.exited_at.isoformat() if entry.exited_at else None,
    }


def _clean_people(people: Iterable[dict[str, Any]], field: str = "people") -> list[dict[str, str]]:
    """``[{full_name, dni, company}]`` checked: a name, an 8-digit DNI, no DNI twice."""
    errors: list[str] = []
    clean: list[dict[str, str]] = []
    seen: set[str] = set()
    for i, person in enumerate(people, start=1):
        name = _text(person.get("full_name"))
        dni = _valid_dni(person.get("dni"))
        if not name:
            errors.append(f"Persona {i}: indique el nombre completo.")
        if dni is None:
            errors.append(f"Persona {i}: el DNI debe tener exactamente 8 dígitos.")
        elif dni in seen:
            errors.append(f"Persona {i}: el DNI {dni} está repetido.")
        if name and dni and dni not in seen:
            seen.add(dni)
            company = _text(person.get("company"))[:200]
            clean.append({"full_name": name[:200], "dni": dni, "company": company})
    if errors:
        raise InvalidInput(errors={field: errors})
    return clean


# --- visits ----------------------------------------------------------------------------------


def do_create_visit(
    *,
    actor: Any,
    kind: str,
    purpose: str,
    company: str = "",
    planned_at: dt.datetime | None = None,
    high_risk: bool = False,
    authorized_on: dt.date | None = None,
    unit: Unit | None = None,
    people: Iterable[dict[str, Any]] = (),
    ticket_number: str = "",
    instance: Any = None,
    system: bool = False,
) -> Visit:
    """Register a visit with the people authorised to enter (coordinator, or a procedure step).

    A contractor visit (both maintenance kinds) names its company. ``unit`` defaults to the
    instance's unit, else OGTIE. Invariant: a procedure instance has at most one visit.
    ``system`` is for procedure steps, whose roles the engine already checked.
    """
    if not system:
        _check(actor, access.MANAGER_ROLES)
    errors: dict[str, list[str]] = {}
    if kind not in VisitKind.values:
        errors["kind"] = ["Elija el tipo de visita: " + ", ".join(VisitKind.values) + "."]
    purpose = _text(purpose)
    if not purpose:
        errors["purpose"] = ["Indique el motivo o los trabajos a realizar."]
    company = _text(company)
    if kind != VisitKind.VISITA_SG and not company:
        errors["company"] = ["Indique la empresa contratista."]
    try:
        clean_people = _clean_people(people)
    except InvalidInput as exc:
        errors.update(exc.errors)
        clean_people = []
    if errors:
        raise InvalidInput(errors=errors)
    if unit is None:
        unit = getattr(instance, "unit", None) or Unit.objects.filter(code=DEFAULT_UNIT).first()
    if unit is None:
        raise InvalidInput(errors={"unit": ["Indique la unidad de la visita."]})
    with transaction.atomic():
        visit = Visit.objects.create(
            kind=kind,
            company=company[:200],
            purpose=purpose,
            planned_at=_aware(planned_at) if planned_at else None,
            high_risk=bool(high_risk),
            authorized_on=authorized_on,
            unit=unit,
            instance=instance,
            ticket_number=_text(ticket_number)[:50],
            created_by=actor,
        )
        VisitPerson.objects.bulk_create(VisitPerson(visit=visit, **p) for p in clean_people)
        record_event(
            actor=actor,
            action="datacenter_visit.create",
            obj=visit,
            after={**visit_snapshot(visit), "people": [p["dni"] for p in clean_people]},
        )
    return visit


def do_add_visit_person(
    visit: Visit, *, actor: Any, full_name: str, dni: str, company: str = "", system: bool = False
) -> VisitPerson:
    """List one more person for the visit (a DNI appears once per visit)."""
    if not system:
        _check(actor, access.MANAGER_ROLES)
    (person,) = _clean_people([{"full_name": full_name, "dni": dni, "company": company}], "dni")
    if VisitPerson.objects.filter(visit=visit, dni=person["dni"]).exists():
        raise InvalidInput(errors={"dni": [f"El DNI {person['dni']} ya figura en la visita."]})
    with transaction.atomic():
        row = VisitPerson.objects.create(visit=visit, **person)
        record_event(actor=actor, action="datacenter_visit.add_person", obj=visit, after=person)
    return row


def do_record_contractor_document(
    visit: Visit,
    *,
    actor: Any,
    kind: str,
    valid_until: dt.date | None = None,
    reference: str = "",
    dni: str = "",
    activity: int | None = None,
    system: bool = False,
) -> ContractorDocument:
    """Record a contractor document with its validity (for the whole visit, or one person).

    SCTR and the occupational medical certificate expire: they are refused without their
    «vigente hasta» date (a procedure step's copy is kept, but an expiring document without a
    date never counts as in force).
    """
    if not system:
        _check(actor, access.MANAGER_ROLES)
    errors: dict[str, list[str]] = {}
    if visit.kind == VisitKind.VISITA_SG:
        errors["kind"] = ["Las visitas autorizadas por la SG no llevan documentos de contratista."]
    elif kind not in DocumentKind.values:
        errors["kind"] = ["Elija un documento de la lista."]
    elif kind in EXPIRING_DOCUMENTS and valid_until is None and not system:
        label = DocumentKind(kind).label
        errors["valid_until"] = [f"Indique hasta cuándo está vigente el documento {label}."]
    person = None
    if _text(dni):
        person = VisitPerson.objects.filter(visit=visit, dni=_text(dni)).first()
        if person is None:
            errors["dni"] = ["Esa persona no figura en la visita."]
    if errors:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        document = ContractorDocument.objects.create(
            visit=visit,
            person=person,
            kind=kind,
            reference=_text(reference)[:300],
            valid_until=valid_until,
            activity=activity,
            recorded_by=actor,
        )
        record_event(
            actor=actor,
            action="datacenter_visit.record_document",
            obj=visit,
            after={
                "document": kind,
                "valid_until": valid_until.isoformat() if valid_until else None,
                "dni": person.dni if person else None,
                "reference": document.reference,
            },
        )
    return document


def do_record_dipec_check(
    visit: Visit,
    *,
    actor: Any,
    kind: str,
    outcome: str,
    on: dt.date | None,
    observations: str = "",
    activity: int | None = None,
    system: bool = False,
) -> DipecCheck:
    """Record the DIPEC's review of the documents or its SST induction, with the outcome.

    An outcome «con observaciones» says what was observed.
    """
    if not system:
        _check(actor, access.MANAGER_ROLES)
    errors: dict[str, list[str]] = {}
    if visit.kind == VisitKind.VISITA_SG:
        errors["kind"] = ["Las visitas autorizadas por la SG no pasan por la DIPEC."]
    elif kind not in CheckKind.values:
        errors["kind"] = ["Elija revisión o inducción."]
    if outcome not in CheckOutcome.values:
        errors["outcome"] = ["Elija el resultado: conforme u observada."]
    if on is None:
        errors["on"] = ["Indique la fecha."]
    observations = _text(observations)
    if outcome == CheckOutcome.OBSERVADA and not observations:
        errors["observations"] = ["Indique las observaciones de la DIPEC."]
    if errors:
        raise InvalidInput(errors=errors)
    assert on is not None
    with transaction.atomic():
        check = DipecCheck.objects.create(
            visit=visit,
            kind=kind,
            outcome=outcome,
            on=on,
            observations=observations,
            activity=activity,
            recorded_by=actor,
        )
        record_event(
            actor=actor,
            action="datacenter_visit.record_dipec_check",
            obj=visit,
            after={
                "check": kind,
                "outcome": outcome,
                "on": on.isoformat(),
                "observations": observations,
            },
        )
    return check


# --- the entry requirements --------------------------------------------------------------------


def required_documents(visit: Visit) -> list[DocumentKind]:
    """The documents a person needs to enter with this visit (none for a high-level visit)."""
    if visit.kind == VisitKind.VISITA_SG:
        return []
    kinds = list(REQUIRED_DOCUMENTS)
    if visit.high_risk:
        kinds.append(DocumentKind.CV_PREVENCIONISTA)
    return kinds


def entry_problems(visit: Visit, person: VisitPerson, on: dt.date) -> list[str]:
    """Every reason ``person`` may not enter on day ``on``, in Spanish; empty when they may."""
    problems: list[str] = []
    if visit.kind == VisitKind.VISITA_SG:
        if visit.authorized_on is None:
            problems.append("Falta la autorización del ingreso del Jefe(a) de la OGTIE.")
        return problems
    documents = [
        d for d in visit.documents.all() if d.person_id is None or d.person_id == person.pk
    ]
    for kind in required_documents(visit):
        of_kind = [d for d in documents if d.kind == kind]
        if not of_kind:
            problems.append(f"Falta el documento: {kind.label}.")
            continue
        expires = kind in EXPIRING_DOCUMENTS
        if any(
            (d.valid_until is None and not expires)
            or (d.valid_until is not None and d.valid_until >= on)
            for d in of_kind
        ):
            continue
        dated = [d.valid_until for d in of_kind if d.valid_until is not None]
        if not dated:
            problems.append(f"Documento sin fecha de vigencia: {kind.label}.")
            continue
        problems.append(
            f"Documento vencido: {kind.label} (vigente hasta {_date_text(max(dated))})."
        )
    if visit.kind == VisitKind.MANTENIMIENTO_OGTIE:
        checks = list(visit.checks.all())
        for check_kind, missing in (
            (CheckKind.REVISION, "Falta la revisión de la documentación por la DIPEC."),
            (CheckKind.INDUCCION, "Falta la inducción en materia de SST de la DIPEC."),
        ):
            done = [c for c in checks if c.kind == check_kind]
            if not done:
                problems.append(missing)
            elif done[-1].outcome != CheckOutcome.CONFORME:
                problems.append(
                    f"{check_kind.label}: la última tiene observaciones ({done[-1].observations})."
                )
    return problems


# --- the logbook -----------------------------------------------------------------------------


def _escort_user(username: str, visit: Visit) -> Any:
    """The escort's user: someone holding an OGTIE role today or, for another unit's
    maintenance, a person of that unit (activity 14's note: "personal del equipo de
    infraestructura, … de ciberseguridad o personal de la U.O.")."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        message = "No existe un usuario activo con ese nombre."
        raise InvalidInput(errors={"escort_username": [message]})
    of_ogtie = (
        RoleAssignment.objects.current().filter(person__user=user, role__inside_ogtie=True).exists()
    )
    of_unit = (
        visit.kind == VisitKind.MANTENIMIENTO_UO
        and Person.objects.filter(user=user, unit__path__startswith=visit.unit.path).exists()
    )
    if not (of_ogtie or of_unit):
        message = "El acompañante debe ser personal de la OGTIE (o de la unidad atendida)."
        raise InvalidInput(errors={"escort_username": [message]})
    return user


def do_record_entry(
    visit: Visit,
    *,
    actor: Any,
    dni: str,
    entered_at: dt.datetime | None,
    escort: str,
    purpose: str = "",
    company: str = "",
    escort_username: str = "",
    activity: int | None = None,
) -> LogbookEntry:
    """Write one entry line of the bitácora (Formato N° 1), after the checks of the module doc.

    ``purpose`` defaults to the visit's, ``company`` to the person's or the visit's (a
    high-level visitor's entity). A refusal (400) names the field; for requirements,
    every missing or expired item under ``requisitos``.
    """
    _check(actor, access.ENTRY_ROLES)
    errors: dict[str, list[str]] = {}
    clean_dni = _valid_dni(dni)
    person = None
    if clean_dni is None:
        errors["dni"] = ["El DNI debe tener exactamente 8 dígitos."]
    else:
        person = VisitPerson.objects.filter(visit=visit, dni=clean_dni).first()
        if person is None:
            errors["dni"] = [f"El DNI {clean_dni} no figura entre las personas de la visita."]
    if entered_at is None:
        errors["entered_at"] = ["Indique la fecha y hora de ingreso."]
    else:
        entered_at = _aware(entered_at)
        if entered_at > timezone.now() + CLOCK_SKEW:
            errors["entered_at"] = ["La fecha y hora de ingreso no puede ser futura."]
    escort = _text(escort)
    if not escort:
        errors["escort"] = ["Indique el personal que acompaña al visitante."]
    purpose = _text(purpose) or visit.purpose
    try:
        escort_user = _escort_user(_text(escort_username), visit)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors=errors)
    assert person is not None and entered_at is not None
    open_entry = LogbookEntry.objects.filter(dni=person.dni, exited_at__isnull=True).first()
    if open_entry is not None:
        raise InvalidInput(
            errors={
                "dni": [
                    f"{person.full_name} (DNI {person.dni}) ya está dentro del centro de datos "
                    f"desde {_moment_text(open_entry.entered_at)} (ingreso N° {open_entry.pk}); "
                    "registre antes su salida."
                ]
            }
        )
    problems = entry_problems(visit, person, timezone.localdate(entered_at))
    if problems:
        raise InvalidInput(
            "No se puede registrar el ingreso: faltan requisitos o están vencidos.",
            errors={"requisitos": problems},
        )
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a racing twin entry fails alone
                entry = LogbookEntry.objects.create(
                    visit=visit,
                    person=person,
                    full_name=person.full_name,
                    dni=person.dni,
                    company=(_text(company) or person.company or visit.company)[:200],
                    escort_name=escort[:200],
                    escort=escort_user,
                    purpose=purpose[:300],
                    entered_at=entered_at,
                    activity=activity,
                    entry_recorded_by=actor,
                )
        except IntegrityError as exc:
            raise InvalidInput(
                errors={"dni": [f"DNI {person.dni}: ya tiene un ingreso sin salida."]}
            ) from exc
        record_event(
            actor=actor, action="logbook_entry.create", obj=entry, after=entry_snapshot(entry)
        )
    return entry


def do_record_exit(
    entry: LogbookEntry, *, actor: Any, exited_at: dt.datetime | None
) -> LogbookEntry:
    """Write the exit time of an open entry. Never before its entry, never twice (409)."""
    _check(actor, access.ENTRY_ROLES)
    if exited_at is None:
        raise InvalidInput(errors={"exited_at": ["Indique la fecha y hora de salida."]})
    exited_at = _aware(exited_at)
    if entry.exited_at is not None:
        raise Conflict(f"La salida del ingreso N° {entry.pk} ya está registrada.")
    if exited_at < entry.entered_at:
        raise InvalidInput(
            errors={
                "exited_at": [
                    f"La salida ({_moment_text(exited_at)}) no puede ser anterior al ingreso "
                    f"({_moment_text(entry.entered_at)})."
                ]
            }
        )
    if exited_at > timezone.now() + CLOCK_SKEW:
        raise InvalidInput(errors={"exited_at": ["La fecha y hora de salida no puede ser futura."]})
    with transaction.atomic():
        updated = LogbookEntry.objects.filter(pk=entry.pk, exited_at__isnull=True).update(
            exited_at=exited_at, exit_recorded_by=actor
        )
        if updated != 1:
            raise Conflict(f"La salida del ingreso N° {entry.pk} ya está registrada.")
        before = entry_snapshot(entry)
        entry.exited_at, entry.exit_recorded_by = exited_at, actor
        record_event(
            actor=actor,
            action="logbook_entry.exit",
            obj=entry,
            before={"exited_at": before["exited_at"]},
            after={"exited_at": exited_at.isoformat()},
        )
    return entry


def do_record_exit_by_dni(
    visit: Visit, *, actor: Any, dni: str, exited_at: dt.datetime | None
) -> LogbookEntry:
    """The exit of the person with ``dni`` from this visit: their open entry must exist."""
    clean = _valid_dni(dni)
    if clean is None:
        raise InvalidInput(errors={"dni": ["El DNI debe tener exactamente 8 dígitos."]})
    entry = LogbookEntry.objects.filter(visit=visit, dni=clean, exited_at__isnull=True).first()
    if entry is None:
        raise InvalidInput(
            errors={"dni": [f"El DNI {clean} no tiene un ingreso sin salida en esta visita."]}
        )
    return do_record_exit(entry, actor=actor, exited_at=exited_at)


__all__ = [
    "do_add_visit_person",
    "do_create_visit",
    "do_record_contractor_document",
    "do_record_dipec_check",
    "do_record_entry",
    "do_record_exit",
    "do_record_exit_by_dni",
    "entry_problems",
    "required_documents",
]
