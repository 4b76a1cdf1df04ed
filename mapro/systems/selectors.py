"""Reading the catalogue and its registers in the user's scope; the XLSX rows; the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mapro.procedures.models import Instance, TaskRecord

from .access import get_or_404, ogtie_scope, systems_scope
from .choices import SEVERITIES
from .models import (
    ChangeRecord,
    InformationSystem,
    QualityGate,
    QualityReport,
    QualityReview,
    Release,
    SystemEnvironment,
)


def systems_for_user(user: Any) -> QuerySet[InformationSystem]:
    qs = InformationSystem.objects.select_related("owner_unit").prefetch_related(
        Prefetch("environments", queryset=SystemEnvironment.objects.order_by("kind")), "hosts"
    )
    return systems_scope(qs, user)


def get_system_for_user(user: Any, pk: Any) -> InformationSystem:
    return get_or_404(systems_for_user(user), pk)  # type: ignore[return-value]


def releases_for_user(user: Any) -> QuerySet[Release]:
    qs = Release.objects.select_related("system").prefetch_related("closes")
    return systems_scope(qs, user, field="system__owner_unit")


def get_release_for_user(user: Any, pk: Any) -> Release:
    return get_or_404(releases_for_user(user), pk)  # type: ignore[return-value]


def changes_for_user(user: Any) -> QuerySet[ChangeRecord]:
    return ogtie_scope(
        ChangeRecord.objects.select_related("system", "requesting_unit", "instance"), user
    )


def get_change_for_user(user: Any, pk: Any) -> ChangeRecord:
    return get_or_404(changes_for_user(user), pk)  # type: ignore[return-value]


def reports_for_user(user: Any) -> QuerySet[QualityReport]:
    return ogtie_scope(QualityReport.objects.select_related("system"), user)


def get_report_for_user(user: Any, pk: Any) -> QualityReport:
    return get_or_404(reports_for_user(user), pk)  # type: ignore[return-value]


def gates_for_user(user: Any) -> QuerySet[QualityGate]:
    return ogtie_scope(QualityGate.objects.all(), user)


def severity_rows(report: QualityReport) -> list[tuple[str, int, int | None]]:
    """(severity label, count, maximum of the gate or None) in the tool's order."""
    return [
        (label, int(report.counts.get(key, 0)), report.gate.get(key))
        for key, label in SEVERITIES[report.tool]
    ]


# --- XLSX -------------------------------------------------------------------------------------

#: The columns of the Matriz de gestión de cambios de sistemas y aplicaciones (Formato N° 1).
MATRIX_HEADERS = [
    "N°",
    "Fecha de registro",
    "Sistema o aplicación",
    "Versión",
    "Tipo de cambio",
    "Descripción del cambio",
    "Unidad solicitante",
    "Procedimiento",
    "Expediente",
    "Responsable",
    "Estado",
    "Fecha de implementación o cierre",
    "Backup / ubicación",
    "Observaciones",
]


def matrix_rows(changes: Iterable[ChangeRecord]) -> Iterator[list[Any]]:
    for c in changes:
        yield [
            c.number,
            c.registered_on,
            c.system_name,
            c.system_version,
            c.get_kind_display(),
            c.description,
            c.requesting_unit.code if c.requesting_unit else "",
            c.procedure_code,
            c.instance_id or "",
            c.responsible_name,
            c.get_status_display(),
            c.closed_on,
            c.backup_location,
            c.observations,
        ]


CATALOG_HEADERS = [
    "Código",
    "Nombre",
    "Unidad propietaria",
    "Equipo responsable",
    "Estado",
    "Criticidad",
    "Propósito",
    "Ambientes y URL",
    "Repositorio",
    "Tecnologías",
    "Servidores",
    "Fecha de baja",
    "Destino de los datos",
    "Destino del código fuente",
]


def catalog_rows(systems: Iterable[InformationSystem]) -> Iterator[list[Any]]:
    for s in systems:
        yield [
            s.code,
            s.name,
            s.owner_unit.code,
            s.team,
            s.get_state_display(),
            s.get_criticality_display(),
            s.purpose,
            "; ".join(f"{e.get_kind_display()}: {e.url}" for e in s.environments.all()),
            s.repository,
            s.technologies,
            ", ".join(s.servers or []),
            s.decommissioned_on,
            s.data_location,
            s.backup_location,
        ]


RELEASE_HEADERS = [
    "Sistema",
    "Versión",
    "Fecha de pase a producción",
    "Qué cambió",
    "Cambios que cierra (N° de la matriz)",
    "Commit o tag",
    "Evidencia de calidad",
    "Conformidad de",
    "Desplegado por",
]


def release_rows(releases: Iterable[Release]) -> Iterator[list[Any]]:
    for r in releases:
        yield [
            r.system.code,
            r.version,
            r.released_on,
            r.changes,
            ", ".join(str(c.number) for c in r.closes.all()),
            r.commit_ref,
            r.quality_evidence,
            r.accepted_by_name,
            r.deployed_by_name,
        ]


REPORT_HEADERS = [
    "N°",
    "Sistema",
    "Herramienta",
    "Archivo",
    "Hallazgos",
    "Propuesta del umbral",
    "Subido por",
    "Fecha",
]


def report_rows(reports: Iterable[QualityReport]) -> Iterator[list[Any]]:
    for r in reports:
        yield [
            r.pk,
            r.system.code,
            r.get_tool_display(),
            r.filename,
            r.total,
            r.get_proposed_display(),
            r.uploaded_by_name,
            r.uploaded_at,
        ]


# --- timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One moment of a system's life: a step of one of its procedures, a release, a review."""

    at: dt.datetime
    title: str
    detail: str
    procedure: str
    instance_id: int | None
    kind: str  # "inicio", "paso", "version", "calidad", "baja"


def _midday(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def timeline(system: InformationSystem) -> list[TimelineEntry]:
    """From the requirement to production (and retirement): every completed step of the
    instances that concern the system (S04.02.00.01 that created it, each S04.02.00.02 and
    S04.02.00.03 that changed it), its quality reviews and releases, oldest first."""
    instance_ids = set(
        ChangeRecord.objects.filter(system=system, instance__isnull=False).values_list(
            "instance_id", flat=True
        )
    )
    for extra in (system.origin_instance_id, system.git_access_instance_id):
        if extra:
            instance_ids.add(extra)
    codes = dict(
        Instance.objects.filter(pk__in=instance_ids).values_list(
            "pk", "procedure_version__procedure__code"
        )
    )
    entries: list[TimelineEntry] = []
    for record in TaskRecord.objects.filter(instance_id__in=instance_ids).order_by(
        "completed_at", "id"
    ):
        entries.append(
            TimelineEntry(
                record.completed_at,
                f"{record.n}. {record.name}",
                record.completed_by_name,
                codes.get(record.instance_id, ""),
                record.instance_id,
                "paso",
            )
        )
    for started in Instance.objects.filter(pk__in=instance_ids).only("pk", "started_at"):
        code = codes.get(started.pk, "")
        if started.pk == system.git_access_instance_id:
            title = "Solicitud de acceso al servidor Git para el analista programador"
        else:
            title = "Expediente iniciado"
        entries.append(TimelineEntry(started.started_at, title, "", code, started.pk, "inicio"))
    for review in QualityReview.objects.filter(system=system):
        entries.append(
            TimelineEntry(
                review.created_at,
                "Revisión de código (SonarQube / OWASP ZAP): "
                + ("cumple" if review.decided == "si" else "no cumple"),
                (f"Acta {review.acta_number}. " if review.acta_number else "")
                + (
                    f"Decisión distinta a la propuesta: {review.override_reason}"
                    if review.overridden
                    else ""
                ),
                "",
                review.instance_id,
                "calidad",
            )
        )
    for release in Release.objects.filter(system=system):
        entries.append(
            TimelineEntry(
                release.created_at,
                f"Versión {release.version} registrada",
                release.changes[:200],
                "",
                release.instance_id,
                "version",
            )
        )
        if release.released_on:
            entries.append(
                TimelineEntry(
                    release.deployed_at or _midday(release.released_on),
                    f"Versión {release.version} en producción",
                    f"Pase a producción del {release.released_on:%d/%m/%Y}, desplegada por "
                    f"{release.deployed_by_name}",
                    "",
                    release.instance_id,
                    "version",
                )
            )
    if system.decommissioned_on:
        entries.append(
            TimelineEntry(
                _midday(system.decommissioned_on),
                "Sistema dado de baja",
                f"Datos: {system.data_location}. Código fuente: {system.backup_location}.",
                "",
                None,
                "baja",
            )
        )
    entries.sort(key=lambda e: e.at)
    return entries
