"""Actions of the catalogue of information systems and its registers (docs/registers/systems.md).

Each ``do_*`` runs in one transaction: checks the role (``check=False`` when a procedure step
calls it: the engine already checked the activity's role, the audit still names the real
actor), validates (``InvalidInput`` naming the field, nothing written), writes, records an
audit event on the system (or the row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event, snapshot
from mapro.core.exceptions import Conflict, InvalidInput

from . import quality
from .access import (
    CATALOG_MANAGERS,
    GATE_MANAGERS,
    RELEASE_MANAGERS,
    REPORT_UPLOADERS,
    check_manager,
)
from .choices import (
    SEVERITIES,
    ChangeKind,
    ChangeStatus,
    Criticality,
    EnvironmentKind,
    QualityTool,
    SystemState,
    Verdict,
)
from .models import (
    DEFAULT_TEAM,
    ChangeRecord,
    InformationSystem,
    QualityGate,
    QualityReport,
    QualityReview,
    Release,
    SystemEnvironment,
)

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{1,39}$")
SYSTEM_FIELDS = (
    "code",
    "name",
    "purpose",
    "owner_unit",
    "team",
    "state",
    "criticality",
    "repository",
    "technologies",
    "servers",
)


def _text(value: Any, n: int | None = None) -> str:
    result = "" if value is None else str(value).strip()
    return result[:n] if n else result


def _servers(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InvalidInput(
            errors={"servers": ["Indique los servidores como una lista de nombres."]}
        )
    return [s for s in (_text(i, 100) for i in items) if s]


def _choice(value: Any, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        options = ", ".join(f"«{v}»" for v in choices.values)
        raise InvalidInput(errors={field: [f"{label} no válido(a): {options}."]})
    return str(value)


def _link_hosts(system: InformationSystem) -> None:
    """Link the servers named in ``servers`` that the equipment inventory knows (by código de
    inventario or hostname); a name it does not know stays a name."""
    from mapro.inventory.models import Equipment  # declared seam (pyproject)

    found = []
    for name in system.servers or []:
        equipment = Equipment.objects.filter(Q(code__iexact=name) | Q(name__iexact=name)).first()
        if equipment is not None:
            found.append(equipment)
    system.hosts.set(found)


def _environments(system: InformationSystem, envs: dict[str, str] | None) -> None:
    for kind, url in (envs or {}).items():
        _choice(kind, EnvironmentKind, "environments", "Ambiente")
        url = _text(url, 300)
        if url:
            SystemEnvironment.objects.update_or_create(
                system=system, kind=kind, defaults={"url": url}
            )
        else:
            SystemEnvironment.objects.filter(system=system, kind=kind).delete()


# --- catalogue --------------------------------------------------------------------------------


@transaction.atomic
def do_register_system(
    *,
    code: str,
    name: str,
    owner_unit: Any,
    purpose: str = "",
    team: str = "",
    criticality: str = Criticality.MEDIA,
    state: str = SystemState.EN_DESARROLLO,
    repository: str = "",
    technologies: str = "",
    servers: Any = None,
    environments: dict[str, str] | None = None,
    origin_instance: Any = None,
    actor: Any,
    check: bool = True,
) -> InformationSystem:
    """Add a system to the catalogue (code unique, uppercase letters, digits, ``-_.``)."""
    check_manager(actor, CATALOG_MANAGERS, check=check)
    code, name = _text(code, 40).upper(), _text(name, 200)
    errors: dict[str, list[str]] = {}
    if not code:
        errors["code"] = ["Indique el código del sistema."]
    elif not _CODE.match(code):
        errors["code"] = ["Código no válido: letras, dígitos, «-», «_» o «.» (2 a 40)."]
    elif InformationSystem.objects.filter(code=code).exists():
        errors["code"] = [f"Ya hay un sistema con el código {code} en el catálogo."]
    if not name:
        errors["name"] = ["Indique el nombre del sistema."]
    if owner_unit is None:
        errors["owner_unit"] = ["Indique la unidad propietaria."]
    if errors:
        raise InvalidInput(errors=errors)
    system = InformationSystem.objects.create(
        code=code,
        name=name,
        purpose=_text(purpose),
        owner_unit=owner_unit,
        team=_text(team, 200) or DEFAULT_TEAM,
        criticality=_choice(criticality, Criticality, "criticality", "Criticidad"),
        state=_choice(state, SystemState, "state", "Estado"),
        repository=_text(repository, 300),
        technologies=_text(technologies, 300),
        servers=_servers(servers),
        origin_instance=origin_instance,
    )
    _environments(system, environments)
    _link_hosts(system)
    record_event(
        actor=actor,
        action="information_system.register",
        obj=system,
        after=snapshot(system, SYSTEM_FIELDS),
    )
    return system


UPDATABLE = (
    "name",
    "purpose",
    "owner_unit",
    "team",
    "criticality",
    "state",
    "repository",
    "technologies",
    "servers",
)


@transaction.atomic
def do_update_system(
    system: InformationSystem,
    *,
    changes: dict[str, Any],
    environments: dict[str, str] | None = None,
    git_access_instance: Any = None,
    actor: Any,
    check: bool = True,
) -> InformationSystem:
    """Change the catalogue entry's data. A system dado de baja is only changed by its
    retirement (409); the state ``dado de baja`` is given by ``do_retire_system`` only."""
    check_manager(actor, CATALOG_MANAGERS, check=check)
    system = InformationSystem.objects.select_for_update().get(pk=system.pk)
    if system.is_retired:
        raise Conflict(f"El sistema {system.code} está dado de baja: no se modifica.")
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise InvalidInput(errors={f: ["Campo no modificable."] for f in sorted(unknown)})
    before = snapshot(system, SYSTEM_FIELDS)
    for field, value in changes.items():
        if field == "criticality":
            value = _choice(value, Criticality, field, "Criticidad")
        elif field == "state":
            value = _choice(value, SystemState, field, "Estado")
            if value == SystemState.DADO_DE_BAJA:
                raise InvalidInput(
                    errors={"state": ["La baja se registra con el procedimiento S04.02.00.03."]}
                )
        elif field == "servers":
            value = _servers(value)
        elif field == "owner_unit":
            if value is None:
                raise InvalidInput(errors={"owner_unit": ["Indique la unidad propietaria."]})
        elif field == "name":
            value = _text(value, 200)
            if not value:
                raise InvalidInput(errors={"name": ["Indique el nombre del sistema."]})
        else:
            value = _text(value, 300 if field != "purpose" else None)
        setattr(system, field, value)
    if git_access_instance is not None:
        system.git_access_instance = git_access_instance
    system.save()
    _environments(system, environments)
    if "servers" in changes:
        _link_hosts(system)
    after = snapshot(system, SYSTEM_FIELDS)
    record_event(
        actor=actor,
        action="information_system.update",
        obj=system,
        before={k: v for k, v in before.items() if after[k] != v},
        after={
            **{k: v for k, v in after.items() if before[k] != v},
            **({"environments": environments} if environments else {}),
        },
    )
    return system


@transaction.atomic
def do_retire_system(
    system: InformationSystem,
    *,
    decommissioned_on: dt.date,
    data_location: str,
    backup_location: str,
    actor: Any,
    check: bool = True,
) -> InformationSystem:
    """Mark the system dado de baja, with where its data and its source code went."""
    check_manager(actor, CATALOG_MANAGERS, check=check)
    system = InformationSystem.objects.select_for_update().get(pk=system.pk)
    if system.is_retired:
        raise Conflict(f"El sistema {system.code} ya está dado de baja.")
    before = snapshot(system, ("state",))
    system.state = SystemState.DADO_DE_BAJA
    system.decommissioned_on = decommissioned_on
    system.data_location = _text(data_location, 300)
    system.backup_location = _text(backup_location, 300)
    system.save()
    record_event(
        actor=actor,
        action="information_system.retire",
        obj=system,
        before=before,
        after=snapshot(system, ("state", "decommissioned_on", "data_location", "backup_location")),
    )
    return system


def set_state(system: InformationSystem, state: str, *, actor: Any) -> None:
    """A procedure step moves the system along its life (en mantenimiento, en producción)."""
    system.refresh_from_db(fields=["state"])
    if system.state in (state, SystemState.DADO_DE_BAJA):
        return
    before = system.state
    system.state = state
    system.save(update_fields=["state", "updated_at"])
    record_event(
        actor=actor,
        action="information_system.state",
        obj=system,
        before={"state": before},
        after={"state": state},
    )


# --- matrix of changes ------------------------------------------------------------------------


def _next_number() -> int:
    return int(ChangeRecord.objects.aggregate(m=Max("number"))["m"] or 0) + 1


@transaction.atomic
def do_open_change(
    *,
    system: InformationSystem | None,
    system_name: str = "",
    kind: str,
    description: str,
    requesting_unit: Any = None,
    procedure_code: str = "",
    instance: Any = None,
    responsible_name: str = "",
    system_version: str = "",
    status: str = ChangeStatus.EN_CURSO,
    closed_on: dt.date | None = None,
    backup_location: str = "",
    observations: str = "",
    registered_on: dt.date | None = None,
    actor: Any,
) -> ChangeRecord:
    """Add a row to the matrix (next correlative); one row per instance and system."""
    name = _text(system.name if system else system_name, 200)
    description = _text(description)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["system"] = ["Indique el sistema o aplicación."]
    if not description:
        errors["description"] = ["Describa el cambio."]
    if errors:
        raise InvalidInput(errors=errors)
    _choice(kind, ChangeKind, "kind", "Tipo de cambio")
    _choice(status, ChangeStatus, "status", "Estado")
    for _attempt in range(3):  # two steps numbering at once: the loser takes the next number
        try:
            with transaction.atomic():
                change = ChangeRecord.objects.create(
                    number=_next_number(),
                    registered_on=registered_on or timezone.localdate(),
                    system=system,
                    system_name=name,
                    system_version=_text(system_version, 50),
                    kind=kind,
                    description=description,
                    requesting_unit=requesting_unit,
                    procedure_code=procedure_code,
                    instance=instance,
                    responsible_name=_text(responsible_name, 200) or actor_name(actor),
                    status=status,
                    closed_on=closed_on,
                    backup_location=_text(backup_location, 300),
                    observations=_text(observations),
                    created_by=actor,
                )
            break
        except IntegrityError as exc:
            if (
                instance is not None
                and ChangeRecord.objects.filter(instance=instance, system_name=name).exists()
            ):
                raise Conflict("El expediente ya registró ese cambio en la matriz.") from exc
    else:  # pragma: no cover - three concurrent clashes in a row
        raise Conflict("No se pudo numerar el cambio; intente de nuevo.")
    record_event(
        actor=actor,
        action="change_record.open",
        obj=change,
        after=snapshot(change, ("number", "system_name", "kind", "status", "procedure_code")),
    )
    return change


@transaction.atomic
def do_close_change(
    change: ChangeRecord,
    *,
    status: str,
    closed_on: dt.date | None = None,
    observations: str = "",
    system_version: str = "",
    actor: Any,
) -> ChangeRecord:
    """Close a row: implemented (in production / retired) or turned down."""
    change = ChangeRecord.objects.select_for_update().get(pk=change.pk)
    _choice(status, ChangeStatus, "status", "Estado")
    if change.status != ChangeStatus.EN_CURSO:
        return change
    change.status = status
    change.closed_on = closed_on or timezone.localdate()
    if observations:
        change.observations = "\n".join(filter(None, [change.observations, _text(observations)]))
    if system_version:
        change.system_version = _text(system_version, 50)
    change.save()
    record_event(
        actor=actor,
        action="change_record.close",
        obj=change,
        after=snapshot(change, ("status", "closed_on", "system_version")),
    )
    return change


# --- releases ---------------------------------------------------------------------------------


@transaction.atomic
def do_register_release(
    system: InformationSystem,
    *,
    version: str,
    changes: str = "",
    commit_ref: str = "",
    closes: Iterable[ChangeRecord] = (),
    reviews: Iterable[QualityReview] = (),
    quality_evidence: str = "",
    accepted_by_name: str = "",
    accepted_on: dt.date | None = None,
    instance: Any = None,
    actor: Any,
    check: bool = True,
    field: str = "version",
) -> Release:
    """A new version of ``system``: the version is required and unique per system (400 naming
    ``field``, nothing saved); a system dado de baja takes no release (409)."""
    check_manager(actor, RELEASE_MANAGERS, check=check)
    version = _text(version, 50)
    if not version:
        raise InvalidInput(errors={field: ["Indique la versión."]})
    system = InformationSystem.objects.select_for_update().get(pk=system.pk)
    if system.is_retired:
        raise Conflict(f"El sistema {system.code} está dado de baja: no admite versiones.")
    if Release.objects.filter(system=system, version=version).exists():
        raise InvalidInput(errors={field: [f"La versión {version} ya existe para {system.code}."]})
    closes = list(closes)
    foreign = [c for c in closes if c.system_id not in (None, system.pk)]
    if foreign:
        raise InvalidInput(
            errors={"closes": [f"El cambio N° {foreign[0].number} es de otro sistema."]}
        )
    release = Release.objects.create(
        system=system,
        version=version,
        changes=_text(changes),
        commit_ref=_text(commit_ref, 100),
        quality_evidence=_text(quality_evidence, 300),
        accepted_by_name=_text(accepted_by_name, 200),
        accepted_on=accepted_on,
        instance=instance,
        created_by=actor,
    )
    release.closes.set(closes)
    release.reviews.set(list(reviews))
    record_event(
        actor=actor,
        action="release.register",
        obj=release,
        after={
            "system": system.code,
            **snapshot(release, ("version", "commit_ref", "accepted_by_name")),
            "closes": [c.number for c in closes],
        },
    )
    return release


@transaction.atomic
def do_deploy_release(
    release: Release, *, released_on: dt.date | None = None, actor: Any, check: bool = True
) -> Release:
    """Record the pase a producción: date and who deployed; the system is en producción and
    the matrix rows the release closes are implemented."""
    check_manager(actor, RELEASE_MANAGERS, check=check)
    release = Release.objects.select_for_update().select_related("system").get(pk=release.pk)
    if release.deployed:
        raise Conflict(f"La versión {release.version} ya pasó a producción.")
    release.released_on = released_on or timezone.localdate()
    release.deployed_by = actor
    release.deployed_by_name = actor_name(actor)
    release.deployed_at = timezone.now()
    release.save()
    set_state(release.system, SystemState.EN_PRODUCCION, actor=actor)
    for change in release.closes.all():
        do_close_change(
            change,
            status=ChangeStatus.IMPLEMENTADO,
            closed_on=release.released_on,
            system_version=release.version,
            actor=actor,
        )
    record_event(
        actor=actor,
        action="release.deploy",
        obj=release,
        after={
            "system": release.system.code,
            "version": release.version,
            "released_on": release.released_on.isoformat(),
            "deployed_by": release.deployed_by_name,
        },
    )
    return release


# --- quality evidence -------------------------------------------------------------------------


def gate_for(team: str, tool: str) -> dict[str, int]:
    gate = QualityGate.objects.filter(team=team, tool=tool).first()
    return dict(gate.thresholds) if gate else quality.default_gate(tool)


@transaction.atomic
def do_set_quality_gate(
    *, team: str, tool: str, thresholds: dict[str, Any], actor: Any
) -> QualityGate:
    """Configure the team's gate for one tool: the most findings allowed per severity."""
    check_manager(actor, GATE_MANAGERS)
    team = _text(team, 200) or DEFAULT_TEAM
    _choice(tool, QualityTool, "tool", "Herramienta")
    known = [key for key, _ in SEVERITIES[tool]]
    clean: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    if not isinstance(thresholds, dict):
        raise InvalidInput(errors={"thresholds": ["Indique un máximo por severidad."]})
    for key, value in thresholds.items():
        if key not in known:
            errors[f"thresholds.{key}"] = [f"Severidad desconocida: {', '.join(known)}."]
        elif value is None or value == "":
            continue
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[f"thresholds.{key}"] = ["Debe ser un número entero mayor o igual a 0."]
        else:
            clean[key] = value
    if errors:
        raise InvalidInput(errors=errors)
    gate, _ = QualityGate.objects.update_or_create(
        team=team, tool=tool, defaults={"thresholds": clean, "updated_by": actor}
    )
    record_event(
        actor=actor,
        action="quality_gate.set",
        obj=gate,
        after={"team": team, "tool": tool, "thresholds": clean},
    )
    return gate


@transaction.atomic
def do_upload_quality_report(
    system: InformationSystem,
    *,
    tool: str,
    filename: str,
    raw: bytes,
    actor: Any,
    check: bool = True,
) -> QualityReport:
    """Read a SonarQube or OWASP ZAP report (``quality``), store its counts and findings and
    what the team's gate proposes. A file that is not such a report: 400 on ``file``."""
    check_manager(actor, REPORT_UPLOADERS, check=check)
    if tool not in QualityTool.values:
        raise InvalidInput(errors={"tool": ["Herramienta no válida: «sonarqube» o «zap»."]})
    if system.is_retired:
        raise Conflict(f"El sistema {system.code} está dado de baja.")
    parsed = quality.parse_report(tool, raw)
    gate = gate_for(system.team, tool)
    report = QualityReport.objects.create(
        system=system,
        tool=tool,
        filename=_text(filename, 200) or f"{tool}.json",
        sha256=hashlib.sha256(raw).hexdigest(),
        content=raw.decode("utf-8-sig"),
        source=parsed.source,
        tool_version=parsed.tool_version,
        counts=parsed.counts,
        total=parsed.total,
        findings=parsed.findings,
        gate=gate,
        proposed=quality.judge(parsed.counts, gate),
        uploaded_by=actor,
        uploaded_by_name=actor_name(actor),
    )
    record_event(
        actor=actor,
        action="quality_report.upload",
        obj=report,
        after={
            "system": system.code,
            "tool": tool,
            "counts": parsed.counts,
            "proposed": report.proposed,
            "sha256": report.sha256,
        },
    )
    return report


def proposal(reports: Iterable[QualityReport | None]) -> str:
    """The gate's proposal over several reports: «no cumple» if any report does not."""
    verdicts = [r.proposed for r in reports if r is not None]
    return Verdict.NO_CUMPLE if Verdict.NO_CUMPLE in verdicts else Verdict.CUMPLE


@transaction.atomic
def do_review_quality(
    system: InformationSystem,
    *,
    sonar: QualityReport | None,
    zap: QualityReport | None,
    decided: str = "",
    reason: str = "",
    instance: Any = None,
    activity_n: int | None = None,
    fields: tuple[str, str] = ("cumple", "motivo"),
    actor: Any,
) -> QualityReview:
    """Record the «¿cumple?» of a code review: empty takes the gate's proposal; a decision
    other than the proposal needs its reason (400 on the reason's field)."""
    proposed = proposal([sonar, zap])
    decided = decided or proposed
    verdict_field, reason_field = fields
    _choice(decided, Verdict, verdict_field, "Respuesta")
    reason = _text(reason)
    if decided != proposed and not reason:
        label = Verdict(proposed).label.lower()
        raise InvalidInput(
            errors={
                reason_field: [
                    f"Los reportes proponen «{label}» según el umbral del equipo: para decidir "
                    "otra cosa indique el motivo."
                ]
            }
        )
    review = QualityReview.objects.create(
        system=system,
        instance=instance,
        activity_n=activity_n,
        sonar_report=sonar,
        zap_report=zap,
        proposed=proposed,
        decided=decided,
        override_reason=reason if decided != proposed else "",
        decided_by=actor,
        decided_by_name=actor_name(actor),
    )
    record_event(
        actor=actor,
        action="quality_review.decide",
        obj=system,
        after={
            "review": review.pk,
            "proposed": proposed,
            "decided": decided,
            "reason": review.override_reason,
            "reports": [r.pk for r in (sonar, zap) if r is not None],
        },
    )
    return review


def set_acta_number(review: QualityReview, number: str) -> None:
    review.acta_number = _text(number, 80)
    review.save(update_fields=["acta_number"])
