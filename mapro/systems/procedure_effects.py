"""The steps of S04.02.00.01, S04.02.00.02 and S04.02.00.03 that write this app's registers.

Registered in ``SystemsConfig.ready``; each handler runs inside the step's transaction, so an
``InvalidInput`` (naming the step's form field) rolls the whole step back and nothing is saved.
The engine already checked the activity's role: actions run with ``check=False`` and the real
actor.

``{register: Catálogo de sistemas de información}``
  - S04.02.00.01 act. 6 (project charter): the new system enters the catalogue *en
    desarrollo*, owned by the requesting unit, and the matrix gets its row (nuevo, en curso).
  - S04.02.00.01 act. 14 / S04.02.00.02 act. 6 (preparar ambientes): repository, development
    URL and the S04.03.01.01 account request that grants the analyst access to Git (its
    number, checked); S04.02.00.02 puts the system *en mantenimiento*.
  - S04.02.00.01 act. 43 / S04.02.00.02 act. 36 (actualizar inventario): criticality,
    technologies, servers, production URL.
  - S04.02.00.03 act. 9: every system communicated in act. 3 that is in the catalogue is
    marked *dado de baja*, with where its data (act. 6) and source code (act. 7) went.
``{register: Matriz de gestión de cambios de sistemas y aplicaciones}``
  - S04.02.00.02 act. 1: the maintenance request's row; the system must be in the catalogue
    and not dado de baja (400 on ``sistema``).
  - S04.02.00.03 act. 7: one row per system retired (kind baja), with the code backup.
``{register: Evidencia de calidad}`` (S04.02.00.01 act. 15, S04.02.00.02 act. 7): the
  SonarQube and ZAP reports uploaded for the system, the gate's proposal and the «¿cumple?»
  (confirmed, or overridden with a reason).
``{document: Acta de revisión de código mediante SonarQube y OWASP ZAP}`` (same steps): the
  official acta, numbered by the documents register, written from the reports' figures.
``{register: Versiones del sistema}``: S04.02.00.01 act. 27 / S04.02.00.02 act. 19 register
  the release (version unique per system, closes the instance's matrix row, carries the review
  and the acta de conformidad of act. 26 / 18); act. 29 / 22 record the deployment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mapro.core.exceptions import InvalidInput
from mapro.organization.models import Unit
from mapro.procedures.effects import EffectCall, Outcome
from mapro.procedures.models import Instance

from . import actions
from .choices import SEVERITIES, ChangeKind, ChangeStatus, QualityTool, SystemState
from .models import ChangeRecord, InformationSystem, QualityReport, QualityReview, Release

CATALOG = "Catálogo de sistemas de información"
MATRIX = "Matriz de gestión de cambios de sistemas y aplicaciones"
QUALITY = "Evidencia de calidad"
RELEASES = "Versiones del sistema"
ACTA = "Acta de revisión de código mediante SonarQube y OWASP ZAP"
DEV, MAINT, RETIRE = "S04.02.00.01", "S04.02.00.02", "S04.02.00.03"
ACCOUNTS_PROCEDURE = "S04.03.01.01"
ACTA_STEPS = ((DEV, 15), (MAINT, 7))

#: Where each step's numbers are (procedure → activity).
REQUIREMENT = {DEV: 1, MAINT: 1}
ACCEPTANCE = {DEV: 26, MAINT: 18}
QA_CLOSE = {DEV: 23, MAINT: 15}


def _text(value: Any, n: int | None = None) -> str:
    return actions._text(value, n)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _renamed(exc: InvalidInput, mapping: dict[str, str]) -> InvalidInput:
    """The action's field errors under the step form's field names."""
    errors = {mapping.get(k, k): v for k, v in (exc.errors or {}).items()}
    return InvalidInput(errors=errors)


def system_of(instance: Instance) -> InformationSystem | None:
    """The system an instance of S04.02.00.01/02 concerns (its matrix row's system)."""
    change = (
        ChangeRecord.objects.filter(instance=instance, system__isnull=False)
        .select_related("system")
        .order_by("id")
        .first()
    )
    if change is not None:
        return change.system
    return InformationSystem.objects.filter(origin_instance=instance).first()


def _require_system(call: EffectCall) -> InformationSystem:
    system = system_of(call.instance)
    if system is None:  # only if the ficha were edited out of order
        raise InvalidInput(
            errors={"__all__": ["El expediente aún no tiene un sistema del catálogo."]}
        )
    return system


# --- catalogue --------------------------------------------------------------------------------


def handle_catalog(call: EffectCall) -> Outcome:
    code, n = call.instance.procedure_code, call.record.n
    if code == DEV and n == 6:
        return _new_system(call)
    if (code, n) in ((DEV, 14), (MAINT, 6)):
        return _environments(call)
    if (code, n) in ((DEV, 43), (MAINT, 36)):
        return _inventory(call)
    if code == RETIRE:
        return _retire(call)
    return Outcome.skipped(f"El catálogo no tiene acción para {code} actividad {n}.")


def _new_system(call: EffectCall) -> Outcome:
    existing = InformationSystem.objects.filter(origin_instance=call.instance).first()
    if existing is not None:  # a second charter of the same instance (never: 6 runs once)
        return Outcome.applied(system=existing.code, existing=True)
    data, requirement = call.data, call.step_data(1)
    try:
        system = actions.do_register_system(
            code=_text(data.get("codigo_sistema")),
            name=_text(data.get("nombre_sistema")),
            purpose=_text(data.get("proposito")) or _text(requirement.get("problematica")),
            owner_unit=call.instance.unit,
            criticality=_text(data.get("criticidad")) or "media",
            origin_instance=call.instance,
            actor=call.actor,
            check=False,
        )
    except InvalidInput as exc:
        raise _renamed(
            exc,
            {"code": "codigo_sistema", "name": "nombre_sistema", "criticality": "criticidad"},
        ) from exc
    change = actions.do_open_change(
        system=system,
        kind=ChangeKind.NUEVO,
        description=_text(requirement.get("problematica"))
        or _text(data.get("proposito"))
        or f"Desarrollo del sistema {system.name}",
        requesting_unit=call.instance.unit,
        procedure_code=DEV,
        instance=call.instance,
        actor=call.actor,
    )
    return Outcome.applied(system=system.code, change=change.number)


def _git_access(call: EffectCall) -> Instance | None:
    number = call.data.get("expediente_acceso_git")
    if number in (None, ""):
        return None
    request = Instance.objects.filter(pk=number).first()
    if request is None or request.procedure_code != ACCOUNTS_PROCEDURE:
        raise InvalidInput(
            errors={
                "expediente_acceso_git": [
                    f"El expediente {number} no es una solicitud de cuentas y accesos "
                    f"({ACCOUNTS_PROCEDURE})."
                ]
            }
        )
    return request


def _environments(call: EffectCall) -> Outcome:
    system = _require_system(call)
    data = call.data
    changes: dict[str, Any] = {}
    if _text(data.get("repositorio")):
        changes["repository"] = data["repositorio"]
    envs = {"desarrollo": _text(data.get("url_desarrollo"))} if data.get("url_desarrollo") else {}
    git = _git_access(call)
    actions.do_update_system(
        system,
        changes=changes,
        environments=envs,
        git_access_instance=git,
        actor=call.actor,
        check=False,
    )
    if call.instance.procedure_code == MAINT:
        actions.set_state(system, SystemState.EN_MANTENIMIENTO, actor=call.actor)
    return Outcome.applied(system=system.code, git_access=git.pk if git else None)


def _inventory(call: EffectCall) -> Outcome:
    system = _require_system(call)
    data = call.data
    changes: dict[str, Any] = {}
    for field, key in (
        ("criticality", "criticidad"),
        ("technologies", "tecnologias"),
        ("purpose", "proposito"),
    ):
        if _text(data.get(key)):
            changes[field] = data[key]
    servers = [
        _text(r.get("servidor")) for r in data.get("servidores") or [] if isinstance(r, dict)
    ]
    if servers:
        changes["servers"] = servers
    envs = {"produccion": _text(data.get("url_produccion"))} if data.get("url_produccion") else {}
    try:
        actions.do_update_system(
            system, changes=changes, environments=envs, actor=call.actor, check=False
        )
    except InvalidInput as exc:
        raise _renamed(exc, {"criticality": "criticidad", "servers": "servidores"}) from exc
    return Outcome.applied(system=system.code)


def _retired_systems(call: EffectCall) -> list[dict[str, Any]]:
    """Every system the units communicated in activity 3 (one answer per unit)."""
    rows: list[dict[str, Any]] = []
    for record in call.records:
        if record.n == 3:
            rows += [r for r in (record.data or {}).get("sistemas") or [] if isinstance(r, dict)]
    return rows


def _find(name: str) -> InformationSystem | None:
    name = " ".join(name.split())
    return (
        InformationSystem.objects.filter(code__iexact=name).first()
        or InformationSystem.objects.filter(name__iexact=name).first()
    )


def _retire(call: EffectCall) -> Outcome:
    db, code = call.step_data(6), call.step_data(7)
    day = _date(db.get("fecha_baja")) or timezone.localdate()
    retired, unknown = [], []
    for row in _retired_systems(call):
        system = _find(_text(row.get("nombre")))
        if system is None:
            unknown.append(_text(row.get("nombre")))
            continue
        if system.is_retired:
            continue
        actions.do_retire_system(
            system,
            decommissioned_on=day,
            data_location=_text(db.get("ubicacion_backup_bd")),
            backup_location=_text(code.get("ubicacion_backup_codigo")),
            actor=call.actor,
            check=False,
        )
        retired.append(system.code)
    return Outcome.applied(retired=retired, not_in_catalogue=unknown)


# --- matrix -----------------------------------------------------------------------------------


def handle_matrix(call: EffectCall) -> Outcome:
    code, n = call.instance.procedure_code, call.record.n
    if code == MAINT and n == 1:
        return _maintenance_request(call)
    if code == RETIRE and n == 7:
        return _retirement_rows(call)
    return Outcome.skipped(f"La matriz no tiene acción para {code} actividad {n}.")


def _maintenance_request(call: EffectCall) -> Outcome:
    key = _text(call.data.get("sistema"))
    system = InformationSystem.objects.filter(code__iexact=key).first() if key else None
    if system is None:
        raise InvalidInput(
            errors={"sistema": [f"El sistema «{key}» no está en el catálogo de sistemas."]}
        )
    if system.is_retired:
        raise InvalidInput(
            errors={
                "sistema": [f"El sistema {system.code} está dado de baja: no recibe mantenimiento."]
            }
        )
    kind = _text(call.data.get("tipo_mantenimiento")) or ChangeKind.CORRECTIVO
    change = actions.do_open_change(
        system=system,
        kind=kind,
        description=_text(call.data.get("descripcion")) or "Mantenimiento del sistema",
        requesting_unit=call.instance.unit,
        procedure_code=MAINT,
        instance=call.instance,
        actor=call.actor,
    )
    return Outcome.applied(system=system.code, change=change.number)


def _retirement_rows(call: EffectCall) -> Outcome:
    data = call.data
    numbers = []
    for row in _retired_systems(call):
        name = _text(row.get("nombre"), 200)
        if (
            not name
            or ChangeRecord.objects.filter(
                instance=call.instance, system_name__iexact=name
            ).exists()
        ):
            continue
        system = _find(name)
        change = actions.do_open_change(
            system=system,
            system_name=name,
            system_version=_text(row.get("version")),
            kind=ChangeKind.BAJA,
            description=f"Baja del sistema. Motivo: {_motive(row.get('motivo'))}.",
            requesting_unit=call.instance.unit,
            procedure_code=RETIRE,
            instance=call.instance,
            status=ChangeStatus.IMPLEMENTADO,
            closed_on=_date(data.get("fecha_backup_codigo")),
            backup_location=_text(data.get("ubicacion_backup_codigo")),
            observations=_text(data.get("recursos_liberados")),
            actor=call.actor,
        )
        numbers.append(change.number)
    return Outcome.applied(changes=numbers)


_MOTIVES = {
    "fin-vida-util": "Fin de su vida útil",
    "obsolescencia": "Obsolescencia tecnológica",
    "seguridad-legalidad": "Problemas de seguridad o legalidad",
}


def _motive(value: Any) -> str:
    return _MOTIVES.get(str(value), str(value or "no indicado"))


# --- quality ----------------------------------------------------------------------------------


def _report(
    call: EffectCall, field: str, tool: str, system: InformationSystem
) -> QualityReport | None:
    number = call.data.get(field)
    if number in (None, ""):
        return None
    report = QualityReport.objects.filter(pk=number).first()
    if report is None:
        raise InvalidInput(errors={field: [f"No existe el reporte N° {number}."]})
    if report.tool != tool:
        raise InvalidInput(
            errors={
                field: [
                    f"El reporte N° {number} es de {report.get_tool_display()}, no de "
                    f"{QualityTool(tool).label}."
                ]
            }
        )
    if report.system_id != system.pk:
        raise InvalidInput(
            errors={field: [f"El reporte N° {number} es del sistema {report.system.code}."]}
        )
    return report


def handle_quality(call: EffectCall) -> Outcome:
    system = _require_system(call)
    sonar = _report(call, "reporte_sonarqube", QualityTool.SONARQUBE, system)
    zap = _report(call, "reporte_zap", QualityTool.ZAP, system)
    if sonar is None or zap is None:
        missing = "reporte_sonarqube" if sonar is None else "reporte_zap"
        raise InvalidInput(errors={missing: ["Indique el N° del reporte subido."]})
    review = actions.do_review_quality(
        system,
        sonar=sonar,
        zap=zap,
        decided=_text(call.data.get("cumple")),
        reason=_text(call.data.get("motivo_cumple")),
        instance=call.instance,
        activity_n=call.record.n,
        fields=("cumple", "motivo_cumple"),
        actor=call.actor,
    )
    return Outcome.applied(review=review.pk, proposed=review.proposed, decided=review.decided)


def propose_quality(item: Any) -> dict[str, Any]:
    """The task form's proposal for the code-review step: the latest SonarQube and ZAP reports
    uploaded for the instance's system since the task opened, and their gate's «¿cumple?»."""
    system = system_of(item.instance)
    if system is None:
        return {}
    fresh = QualityReport.objects.filter(system=system, uploaded_at__gte=item.created_at)
    sonar = fresh.filter(tool=QualityTool.SONARQUBE).order_by("-id").first()
    zap = fresh.filter(tool=QualityTool.ZAP).order_by("-id").first()
    proposal: dict[str, Any] = {}
    if sonar is not None:
        proposal["reporte_sonarqube"] = sonar.pk
    if zap is not None:
        proposal["reporte_zap"] = zap.pk
    if sonar is not None and zap is not None:
        proposal["cumple"] = actions.proposal([sonar, zap])
    return proposal


def _figures(report: QualityReport | None) -> str:
    if report is None:
        return "—"
    parts = [f"{label}: {report.counts.get(key, 0)}" for key, label in SEVERITIES[report.tool]]
    return f"Reporte N° {report.pk} ({report.filename}): " + "; ".join(parts)


def handle_code_review_acta(call: EffectCall) -> Outcome:
    """Issue the acta from the review this step recorded (documents register, numbered)."""
    from mapro.documents.actions import do_issue_document  # declared seam (pyproject)

    review = (
        QualityReview.objects.filter(instance=call.instance, activity_n=call.record.n)
        .select_related("system", "sonar_report", "zap_report")
        .order_by("-id")
        .first()
    )
    if review is None:
        raise InvalidInput(errors={"reporte_sonarqube": ["Falta la revisión de los reportes."]})
    verdict = "Cumple" if review.decided == "si" else "No cumple"
    body = [
        ["Sistema", str(review.system)],
        ["Commit o tag revisado", _text(call.data.get("commit"))],
        ["SonarQube (análisis estático)", _figures(review.sonar_report)],
        ["OWASP ZAP (escaneo de seguridad)", _figures(review.zap_report)],
        [
            "Propuesta según el umbral del equipo",
            "Cumple" if review.proposed == "si" else "No cumple",
        ],
        ["Resultado", verdict],
    ]
    if review.overridden:
        body.append(["Motivo de la decisión distinta a la propuesta", review.override_reason])
    document = do_issue_document(
        kind=ACTA,
        instance=call.instance,
        record=call.record,
        subject=f"Revisión de código de {review.system.code}: {verdict.lower()}",
        body=[row for row in body if row[1]],
        position=call.position,
        activity_n=call.record.n,
        activity_name=str(call.activity.get("name") or ""),
        unit_code="OGTIE",
        ticket=call.ticket,
        actor=call.actor,
    )
    actions.set_acta_number(review, document.number)
    return Outcome.applied(document=document.number, document_id=document.pk)


# --- releases ---------------------------------------------------------------------------------


def handle_releases(call: EffectCall) -> Outcome:
    code, n = call.instance.procedure_code, call.record.n
    if (code, n) in ((DEV, 27), (MAINT, 19)):
        return _register_release(call)
    if (code, n) in ((DEV, 29), (MAINT, 22)):
        return _deploy(call)
    return Outcome.skipped(f"Las versiones no tienen acción para {code} actividad {n}.")


def _register_release(call: EffectCall) -> Outcome:
    system = _require_system(call)
    code = call.instance.procedure_code
    acceptance = call.step_data(ACCEPTANCE[code])
    qa = call.step_data(QA_CLOSE[code])
    review = QualityReview.objects.filter(instance=call.instance).order_by("-id").first()
    evidence = "; ".join(
        filter(
            None,
            [
                f"Acta de QA {qa['acta_qa']}" if qa.get("acta_qa") else "",
                f"Acta de revisión de código {review.acta_number}"
                if review and review.acta_number
                else "",
            ],
        )
    )
    release = actions.do_register_release(
        system,
        version=_text(call.data.get("version")),
        changes=_text(call.data.get("cambios")),
        commit_ref=_text(call.data.get("commit_tag")),
        closes=ChangeRecord.objects.filter(instance=call.instance, system=system),
        reviews=[review] if review else [],
        quality_evidence=evidence,
        accepted_by_name=_text(acceptance.get("conformidad_de")),
        accepted_on=_date(acceptance.get("fecha_conformidad")),
        instance=call.instance,
        actor=call.actor,
        check=False,
    )
    return Outcome.applied(system=system.code, version=release.version)


def _deploy(call: EffectCall) -> Outcome:
    release = (
        Release.objects.filter(instance=call.instance, released_on__isnull=True)
        .order_by("-id")
        .first()
    )
    if release is None:
        return Outcome.skipped("No hay una versión pendiente de pase a producción.")
    release = actions.do_deploy_release(
        release, released_on=_date(call.data.get("fecha_pase")), actor=call.actor, check=False
    )
    return Outcome.applied(version=release.version, released_on=str(release.released_on))


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code__iexact=code.strip()).first() if code else None
