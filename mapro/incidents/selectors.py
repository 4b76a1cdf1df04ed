"""Read queries of the incident matrix: visibility, one incident, its timeline, export rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from mapro.core.exceptions import NotFound

from . import access
from .choices import PHASE_ORDER, Phase
from .models import Incident, IncidentAction


class IncidentNotFound(NotFound):
    default_message = "No existe ese incidente o está fuera de su ámbito."


def incidents_visible_to(user: Any) -> QuerySet[Incident]:
    """Every list, detail, export and API endpoint starts here (404 outside it)."""
    qs = Incident.objects.select_related("reporting_unit", "ticket")
    q = access.visibility_q(user)
    return qs if q is None else qs.filter(q)


def incident_of_instance(instance: Any) -> Incident | None:
    """The incident a procedure instance registered (S04.03.03.02), if any: for other apps'
    procedure steps (the knowledge base drafts its article from it)."""
    return Incident.objects.filter(instance=instance).first()


def get_incident_for_user(user: Any, code: str) -> Incident:
    incident = incidents_visible_to(user).filter(code=str(code).upper()).first()
    if incident is None:
        raise IncidentNotFound()
    return incident


@dataclass
class PhaseBlock:
    """One phase of the timeline with its actions (who and when), oldest first."""

    phase: str
    label: str
    actions: list[IncidentAction] = field(default_factory=list)

    @property
    def started_at(self) -> datetime.datetime | None:
        return self.actions[0].performed_at if self.actions else None

    @property
    def ended_at(self) -> datetime.datetime | None:
        return self.actions[-1].performed_at if self.actions else None


def timeline(incident: Incident) -> list[PhaseBlock]:
    """The six phases in their order (detección … post-incidente), each with its actions
    ordered by when they were performed; phases without actions are kept (and shown empty)."""
    blocks = {phase.value: PhaseBlock(phase.value, str(phase.label)) for phase in Phase}
    rows = incident.actions.select_related("performed_by").order_by("performed_at", "id")
    for action in rows:
        blocks[action.phase].actions.append(action)
    return sorted(blocks.values(), key=lambda b: PHASE_ORDER[b.phase])


def minutes(delta: datetime.timedelta | None) -> int | None:
    """A duration in whole minutes (the matrix's unit for its computed times)."""
    return None if delta is None else int(delta.total_seconds() // 60)


def duration_text(delta: datetime.timedelta | None) -> str:
    """ "2 d 3 h 5 min" for people; "—" when there is no duration yet."""
    total = minutes(delta)
    if total is None:
        return "—"
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    if hours or days:
        parts.append(f"{hours} h")
    parts.append(f"{mins} min")
    return sign + " ".join(parts)


EXPORT_HEADERS = [
    "Código",
    "Tipo",
    "Estado",
    "Título",
    "Descripción",
    "Origen",
    "Fuente de detección",
    "Detectado",
    "Unidad que reporta",
    "Reportado por",
    "Categoría",
    "Severidad",
    "Prioridad",
    "Activos afectados",
    "Servicios afectados",
    "Soporte externo",
    "Contenido",
    "Resuelto",
    "Tiempo para contener (min)",
    "Tiempo para resolver (min)",
    "Resolución",
    "Lecciones aprendidas",
    "Ticket",
    "Expediente",
    "Acciones por fase",
]


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    from django.utils import timezone

    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def export_row(incident: Incident, actions: list[IncidentAction]) -> list[Any]:
    """One matrix row as the XLSX shows it (times in Lima, durations in minutes)."""
    lines = [
        f"{a.get_phase_display()} · {_local(a.performed_at):%Y-%m-%d %H:%M} · "
        f"{a.performed_by_name}: {a.description}"
        for a in sorted(actions, key=lambda a: (PHASE_ORDER[a.phase], a.performed_at, a.pk))
    ]
    return [
        incident.code,
        incident.get_kind_display(),
        incident.get_status_display(),
        incident.title,
        incident.description,
        incident.get_origin_display(),
        incident.get_detection_source_display(),
        _local(incident.detected_at),
        incident.reporting_unit.code if incident.reporting_unit else None,
        incident.reported_by or None,
        incident.get_category_display() or None,
        incident.get_severity_display() or None,
        incident.get_priority_display() or None,
        incident.affected_assets or None,
        incident.affected_services or None,
        incident.external_support or None,
        _local(incident.contained_at),
        _local(incident.resolved_at),
        minutes(incident.time_to_contain),
        minutes(incident.time_to_resolve),
        incident.resolution or None,
        incident.lessons_learned or None,
        incident.ticket.number if incident.ticket else None,
        incident.instance_id,
        "\n".join(lines) or None,
    ]


def export_rows(qs: QuerySet[Incident]) -> list[list[Any]]:
    """The rows of the filtered list, with their actions (two queries)."""
    incidents = list(qs)
    by_incident: dict[int, list[IncidentAction]] = {i.pk: [] for i in incidents}
    for action in IncidentAction.objects.filter(incident__in=[i.pk for i in incidents]):
        by_incident[action.incident_id].append(action)
    return [export_row(i, by_incident[i.pk]) for i in incidents]
