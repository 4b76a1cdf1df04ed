"""Every change to the incident matrix (SGSI-FOR-006): open, record a phase action, classify,
close. Each runs in one transaction, checks the role (``access``), validates (all problems at
once, in Spanish, by field) and writes its audit event.

``engine_checked=True`` is for the procedure steps (``procedure_effects``): the engine already
checked that the user holds the activity's role, so the role check is skipped, the actor is
still the one recorded; and the data comes from the step's validated form, so the checks meant
for hand-typed input (future times, a closed incident) are relaxed as documented below.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition
from mapro.organization.models import Unit

from . import access
from .choices import (
    CATEGORIES_BY_KIND,
    DetectionSource,
    Kind,
    Level,
    Origin,
    Phase,
    Status,
)
from .models import Incident, IncidentAction, IncidentSequence

#: Tolerated clock difference for times typed by people ("not in the future").
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _check_handler(actor: Any, kind: str, engine_checked: bool) -> None:
    if engine_checked or access.can_handle_kind(actor, kind):
        return
    raise Forbidden("Su rol no permite gestionar incidentes de este tipo.")


def _next_code(year: int) -> str:
    """``INC-<year>-<n:04d>``, correlative per year (row locked until commit)."""
    IncidentSequence.objects.get_or_create(year=year)
    IncidentSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = IncidentSequence.objects.get(year=year).last
    return f"INC-{year}-{last:04d}"


def _aware(value: Any) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(value)
        value = parsed
    if not isinstance(value, datetime.datetime):
        raise ValueError(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _time(
    errors: dict[str, list[str]], name: str, value: Any, label: str, *, future_ok: bool
) -> datetime.datetime | None:
    try:
        parsed = _aware(value)
    except ValueError:
        errors.setdefault(name, []).append(f"{label}: no es una fecha y hora válida.")
        return None
    if parsed is not None and not future_ok and parsed > timezone.now() + CLOCK_SKEW:
        errors.setdefault(name, []).append(f"{label}: no puede estar en el futuro.")
    return parsed


def _choice(errors: dict[str, list[str]], name: str, value: str, allowed: Any, label: str) -> str:
    value = (value or "").strip()
    if value and value not in {str(v) for v in allowed}:
        errors.setdefault(name, []).append(f"{label}: elija un valor de la lista.")
    return value


def _unit_by_code(errors: dict[str, list[str]], code: str) -> Any:
    code = code.strip()
    if not code:
        return None
    unit = Unit.objects.filter(code__iexact=code).first()
    if unit is None:
        errors["reporting_unit"] = ["No existe una unidad de organización con esa sigla."]
    return unit


def _snapshot(incident: Incident, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(incident, f) for f in fields}


def do_open_incident(
    *,
    actor: Any,
    kind: str,
    title: str,
    description: str,
    origin: str,
    detection_source: str,
    detected_at: Any,
    reporting_unit: Any = None,
    reported_by: str = "",
    category: str = "",
    severity: str = "",
    priority: str = "",
    affected_assets: str = "",
    affected_services: str = "",
    ticket: Any = None,
    instance: Any = None,
    engine_checked: bool = False,
) -> Incident:
    """Register an incident in the matrix, with its detection as the first timeline line.

    Requires the title, the description, the origin, the detection source and time (not in the
    future) and, for a unit's report, the unit (or who reported it); the category must be one of
    the incident's kind. The code is the next correlative of the year.
    """
    errors: dict[str, list[str]] = {}
    kind = (kind or "").strip()
    if kind not in Kind.values:
        if not engine_checked and not any(access.can_handle_kind(actor, k) for k in Kind):
            raise Forbidden("Su rol no permite registrar incidentes.")
        errors["kind"] = ["Indique el tipo de incidente (infraestructura o seguridad)."]
    else:
        _check_handler(actor, kind, engine_checked)
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        errors["title"] = ["Indique el título del incidente."]
    elif len(title) > 200:
        errors["title"] = ["El título no puede pasar de 200 caracteres."]
    if not description:
        errors["description"] = ["Describa el incidente."]
    if (origin or "") not in Origin.values:
        errors["origin"] = ["Indique el origen: reportado por una unidad o detectado por la OGTIE."]
    if (detection_source or "") not in DetectionSource.values:
        errors["detection_source"] = ["Indique la fuente de detección."]
    when = _time(
        errors, "detected_at", detected_at, "Fecha y hora de detección", future_ok=engine_checked
    )
    if when is None and "detected_at" not in errors:
        errors["detected_at"] = ["Indique la fecha y hora de detección."]
    if isinstance(reporting_unit, str):
        reporting_unit = _unit_by_code(errors, reporting_unit)
    reported_by = (reported_by or "").strip()[:200]
    if (
        origin == Origin.UNIDAD
        and reporting_unit is None
        and not reported_by
        and ("reporting_unit" not in errors)
    ):
        errors["reporting_unit"] = ["Indique la unidad de organización que reporta."]
    allowed = CATEGORIES_BY_KIND.get(Kind(kind), ()) if kind in Kind.values else ()
    category = _choice(errors, "category", category, allowed, "Categoría")
    severity = _choice(errors, "severity", severity, Level.values, "Severidad")
    priority = _choice(errors, "priority", priority, Level.values, "Prioridad")
    if errors:
        raise InvalidInput(errors=errors)
    assert when is not None
    with transaction.atomic():
        incident = Incident.objects.create(
            code=_next_code(timezone.localdate().year),
            kind=kind,
            title=title,
            description=description,
            origin=origin,
            detection_source=detection_source,
            detected_at=when,
            reporting_unit=reporting_unit,
            reported_by=reported_by,
            category=category,
            severity=severity,
            priority=priority,
            affected_assets=(affected_assets or "").strip(),
            affected_services=(affected_services or "").strip(),
            ticket=ticket,
            instance=instance,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="incident.open",
            obj=incident,
            after={
                "code": incident.code,
                "kind": kind,
                "origin": origin,
                "detection_source": detection_source,
                "detected_at": when.isoformat(),
                "reporting_unit": reporting_unit.code if reporting_unit else None,
                "category": category,
                "severity": severity,
                "priority": priority,
                "ticket": ticket.number if ticket else None,
                "instance": instance.pk if instance else None,
            },
        )
    return incident


def do_add_incident_action(
    incident: Incident,
    *,
    actor: Any,
    phase: str,
    description: str,
    performed_at: Any = None,
    performed_by: Any = None,
    record: Any = None,
    engine_checked: bool = False,
) -> IncidentAction:
    """Record an action of a phase (who and when) on the incident's timeline.

    ``performed_at`` defaults to now and may not be in the future (hand-typed input);
    ``performed_by`` defaults to the actor. A closed incident takes only post-incident actions
    (409 otherwise), except from a procedure step, whose history is the source of truth. A
    containment action moves ``contained_at`` to the latest containment time.
    """
    _check_handler(actor, incident.kind, engine_checked)
    errors: dict[str, list[str]] = {}
    if phase not in Phase.values:
        errors["phase"] = [
            "Indique la fase (detección, análisis, contención, erradicación, "
            "recuperación o post-incidente)."
        ]
    description = (description or "").strip()
    if not description:
        errors["description"] = ["Describa la acción realizada."]
    when = _time(
        errors, "performed_at", performed_at, "Fecha y hora de la acción", future_ok=engine_checked
    )
    if errors:
        raise InvalidInput(errors=errors)
    who = performed_by if performed_by is not None else actor
    when = when or timezone.now()
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        closed = locked.status == Status.CERRADO
        if closed and phase != Phase.POST_INCIDENTE and not engine_checked:
            raise InvalidTransition(
                "El incidente está cerrado: solo admite acciones de la fase post-incidente."
            )
        action = IncidentAction.objects.create(
            incident=locked,
            phase=phase,
            description=description,
            performed_by=who,
            performed_by_name=actor_name(who),
            performed_at=when,
            record=record,
        )
        if phase == Phase.CONTENCION:
            latest = locked.actions.filter(phase=Phase.CONTENCION).aggregate(m=Max("performed_at"))
            if latest["m"] != locked.contained_at:
                locked.contained_at = latest["m"]
                locked.save(update_fields=["contained_at", "updated_at"])
                incident.contained_at = locked.contained_at
        record_event(
            actor=actor,
            action="incident.add_action",
            obj=locked,
            after={
                "phase": phase,
                "description": description,
                "performed_by": action.performed_by_name,
                "performed_at": when.isoformat(),
                "record": record.pk if record is not None else None,
            },
        )
    return action


CLASSIFY_FIELDS = ["category", "severity", "priority", "affected_assets", "affected_services"]


def do_classify_incident(
    incident: Incident,
    *,
    actor: Any,
    category: str,
    severity: str,
    priority: str,
    affected_assets: str | None = None,
    affected_services: str | None = None,
    engine_checked: bool = False,
) -> Incident:
    """Set the classification (S04.04.00.03 act. 7: "evaluar, clasificar y priorizar"): the
    category of the incident's kind, severity and priority (alta/media/baja) are required;
    affected assets and services are replaced when given. Not on a closed incident (409)."""
    _check_handler(actor, incident.kind, engine_checked)
    errors: dict[str, list[str]] = {}
    allowed = CATEGORIES_BY_KIND[Kind(incident.kind)]
    category = _choice(errors, "category", category, allowed, "Categoría")
    severity = _choice(errors, "severity", severity, Level.values, "Severidad")
    priority = _choice(errors, "priority", priority, Level.values, "Prioridad")
    for name, value, label in (
        ("category", category, "la categoría"),
        ("severity", severity, "la severidad"),
        ("priority", priority, "la prioridad"),
    ):
        if not value and name not in errors:
            errors[name] = [f"Indique {label} del incidente."]
    if errors:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.status == Status.CERRADO and not engine_checked:
            raise InvalidTransition("El incidente está cerrado: ya no se reclasifica.")
        before = _snapshot(locked, CLASSIFY_FIELDS)
        locked.category, locked.severity, locked.priority = category, severity, priority
        if affected_assets is not None:
            locked.affected_assets = affected_assets.strip()
        if affected_services is not None:
            locked.affected_services = affected_services.strip()
        locked.save()
        after = _snapshot(locked, CLASSIFY_FIELDS)
        record_event(
            actor=actor,
            action="incident.classify",
            obj=locked,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return locked


def do_record_external_support(
    incident: Incident, *, actor: Any, text: str, engine_checked: bool = False
) -> Incident:
    """Add what the provider or external support did (S04.03.01.05 act. 10-11, S04.04.00.03
    act. 11) to the incident's "soporte externo" (appended, one paragraph per contact)."""
    _check_handler(actor, incident.kind, engine_checked)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(errors={"external_support": ["Describa el soporte externo."]})
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        before = locked.external_support
        locked.external_support = f"{before}\n\n{text}".strip() if before else text
        locked.save(update_fields=["external_support", "updated_at"])
        record_event(
            actor=actor,
            action="incident.external_support",
            obj=locked,
            before={"external_support": before},
            after={"external_support": locked.external_support},
        )
    return locked


def do_close_incident(
    incident: Incident,
    *,
    actor: Any,
    resolution: str,
    lessons_learned: str = "",
    resolved_at: Any = None,
    engine_checked: bool = False,
) -> Incident:
    """Close the incident with its resolution (required) and, for a security incident, the
    lessons learned (required: S04.04.00.03 act. 12, "la generación de lecciones aprendidas").

    ``resolved_at`` (default now) may not precede the detection nor lie in the future; the time
    to resolve is counted to it. Closing twice is a 409.
    """
    _check_handler(actor, incident.kind, engine_checked)
    if incident.status == Status.CERRADO:
        raise InvalidTransition("El incidente ya está cerrado.")
    errors: dict[str, list[str]] = {}
    resolution = (resolution or "").strip()
    lessons_learned = (lessons_learned or "").strip()
    if not resolution:
        errors["resolution"] = ["Indique la resolución del incidente."]
    if incident.kind == Kind.SEGURIDAD and not lessons_learned:
        errors["lessons_learned"] = [
            "Registre las lecciones aprendidas: son parte de la actividad post-incidente."
        ]
    when = _time(
        errors, "resolved_at", resolved_at, "Fecha y hora de resolución", future_ok=engine_checked
    )
    when = when or (None if "resolved_at" in errors else timezone.now())
    if when is not None and when < incident.detected_at and not engine_checked:
        errors.setdefault("resolved_at", []).append(
            "La resolución no puede ser anterior a la detección."
        )
    if errors:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.status == Status.CERRADO:
            raise InvalidTransition("El incidente ya está cerrado.")
        locked.status = Status.CERRADO
        locked.resolution = resolution
        locked.lessons_learned = lessons_learned
        locked.resolved_at = when
        locked.closed_at = timezone.now()
        locked.save()
        record_event(
            actor=actor,
            action="incident.close",
            obj=locked,
            before={"status": Status.ABIERTO},
            after={
                "status": Status.CERRADO,
                "resolution": resolution,
                "lessons_learned": lessons_learned,
                "resolved_at": when.isoformat() if when else None,
            },
        )
    return locked


def do_link_incident_ticket(incident: Incident, ticket: Any, *, actor: Any) -> Incident:
    """Link the help-desk ticket of the incident (the procedure's ticket, created after the
    matrix row in S04.04.00.03 act. 2). System use only: called by the procedure effects."""
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(ticket=ticket)
        incident.ticket = ticket
        record_event(
            actor=actor,
            action="incident.link_ticket",
            obj=incident,
            after={"ticket": ticket.number},
        )
    return incident
