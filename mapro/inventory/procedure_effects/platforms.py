"""S04.04.00.01 Administración de plataformas de seguridad informática.

- ``{register: Inventario de plataformas …}``: act. 1 the primary and secondary responsible;
  act. 2 the profiles; act. 3 the users and their profiles (the full-administration user only
  when kept encrypted).
- ``{register: Registro de actividades de plataformas …}``: act. 4 checks the platform (in the
  inventory, a security platform, in service); each line then records its activity: 5 rules,
  6 log monitoring (and whether reports are needed), 7 and 8 attach the report and the informe
  to it, 10 the monthly back up, 11 its informe, 13 a maintenance by OGTIE, 14 by a contractor
  (each also a maintenance record of the platform), 15 the conformity informe, 16 its referral
  to the DIRAB.
"""

from __future__ import annotations

from typing import Any

from mapro.core.exceptions import Conflict, InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from ..actions import (
    do_assign_platform_responsibles,
    do_create_platform_profile,
    do_grant_platform_access,
    do_record_maintenance,
    do_record_platform_activity,
)
from ..actions.common import text
from ..actions.platforms import link_activity_document, platform_by_code
from ..choices import MaintenanceExecutor, MaintenanceOutcome, PlatformActivityKind
from ..models import Equipment, PlatformActivity


def _platform(call: EffectCall) -> Equipment:
    """The platform named at activity 4 (or 1, for the first access after the assignment)."""
    code = call.step_data(4).get("plataforma") or call.step_data(1).get("plataforma")
    return platform_by_code(code)


def _inventory(call: EffectCall) -> Outcome:
    data = call.data
    if call.n == 1:
        platform = platform_by_code(data.get("plataforma"))
        try:
            do_assign_platform_responsibles(
                platform,
                primary=text(data.get("responsable_primario")),
                secondary=text(data.get("responsable_secundario")),
                actor=call.actor,
                check=False,
            )
        except InvalidInput as exc:
            fields = {"primary": "responsable_primario", "secondary": "responsable_secundario"}
            raise InvalidInput(errors={fields.get(k, k): v for k, v in exc.errors.items()}) from exc
        return Outcome.applied(platform=platform.code)
    platform = platform_by_code(call.step_data(1).get("plataforma"))
    if call.n == 2:
        names: list[str] = []
        for i, row in enumerate(data.get("perfiles") or [], start=1):
            try:
                profile = do_create_platform_profile(
                    platform,
                    name=text(row.get("nombre")),
                    functions=text(row.get("funciones")),
                    actor=call.actor,
                    check=False,
                )
            except (InvalidInput, Conflict) as exc:
                raise InvalidInput(errors={"perfiles": [f"Fila {i}: {exc.message}"]}) from exc
            names.append(profile.name)
        return Outcome.applied(platform=platform.code, profiles=names)
    users: list[str] = []
    errors: list[str] = []
    for i, row in enumerate(data.get("usuarios") or [], start=1):
        try:
            account = do_grant_platform_access(
                platform,
                username=text(row.get("usuario")),
                profile=text(row.get("perfil")),
                person=text(row.get("dni")) or None,
                full_admin=bool(row.get("administracion_total")),
                vaulted=bool(row.get("resguardado_cifrado")),
                instance=call.instance,
                actor=call.actor,
                check=False,
            )
        except InvalidInput as exc:
            detail = "; ".join(m for msgs in exc.errors.values() for m in msgs)
            errors.append(f"Fila {i}: {detail or exc.message}")
            continue
        except Conflict as exc:
            errors.append(f"Fila {i}: {exc.message}")
            continue
        users.append(account.username)
    if errors:
        raise InvalidInput(errors={"usuarios": errors})
    return Outcome.applied(platform=platform.code, users=users)


def _latest(call: EffectCall, kinds: tuple[str, ...]) -> PlatformActivity:
    activity = (
        PlatformActivity.objects.filter(instance=call.instance, kind__in=kinds)
        .order_by("-id")
        .first()
    )
    if activity is None:
        raise Conflict("El expediente no registró la actividad de la plataforma.")
    return activity


def _document_id(call: EffectCall) -> tuple[int | None, str]:
    from .common import step_document

    return step_document(call)


def _record(call: EffectCall, kind: str, summary: str, **extra: Any) -> Outcome:
    activity = do_record_platform_activity(
        _platform(call),
        kind=kind,
        summary=summary,
        instance=call.instance,
        actor=call.actor,
        check=False,
        **extra,
    )
    return Outcome.applied(activity=activity.pk, kind=kind)


def _maintenance(call: EffectCall, executor: str) -> Outcome:
    data = call.data
    platform = _platform(call)
    maintenance = do_record_maintenance(
        platform,
        kind=text(data.get("tipo")),
        performed_on=data.get("fecha_ejecucion"),
        outcome=MaintenanceOutcome.SOLUCIONADO,
        action_taken=text(data.get("actividades")),
        executor=executor,
        contractor=text(data.get("contratista")),
        instance=call.instance,
        actor=call.actor,
        check=False,
    )
    kind = (
        PlatformActivityKind.MANTENIMIENTO_OGTIE
        if executor == MaintenanceExecutor.OGTIE
        else PlatformActivityKind.MANTENIMIENTO_CONTRATISTA
    )
    summary = text(data.get("actividades"))
    if data.get("contratista"):
        summary = f"{text(data.get('contratista'))}: {summary}"
    activity = do_record_platform_activity(
        platform,
        kind=kind,
        summary=summary,
        performed_on=data.get("fecha_ejecucion"),
        maintenance=maintenance,
        instance=call.instance,
        actor=call.actor,
        check=False,
    )
    return Outcome.applied(activity=activity.pk, maintenance=maintenance.pk)


def _activity(call: EffectCall) -> Outcome:
    data = call.data
    n = call.n
    if n == 4:
        platform = platform_by_code(data.get("plataforma"))
        return Outcome.applied(platform=platform.code, line=data.get("tipo_actividad"))
    if n == 5:
        summary = f"{text(data.get('motivo'))} {text(data.get('referencia'))}".strip()
        return _record(call, PlatformActivityKind.REGLAS, f"{summary}: {text(data.get('reglas'))}")
    if n == 6:
        return _record(
            call,
            PlatformActivityKind.MONITOREO,
            f"{text(data.get('periodo'))}: {text(data.get('hallazgos'))}",
            reports_required=data.get("requiere_reportes") == "si",
        )
    if n in (7, 8, 11, 15):
        kinds = {
            7: (PlatformActivityKind.MONITOREO,),
            8: (PlatformActivityKind.MONITOREO,),
            11: (PlatformActivityKind.BACKUP,),
            15: (PlatformActivityKind.MANTENIMIENTO_CONTRATISTA,),
        }[n]
        activity = _latest(call, kinds)
        document_id, number = _document_id(call)
        link_activity_document(activity, document_id, field="report_id")
        return Outcome.applied(activity=activity.pk, document=number)
    if n == 10:
        copies = "; ".join(
            f"{text(r.get('sistema'))} → {text(r.get('archivo'))} {text(r.get('tamano'))}".strip()
            for r in data.get("copias") or []
        )
        return _record(
            call,
            PlatformActivityKind.BACKUP,
            f"{text(data.get('periodo'))} en {text(data.get('servidor_virtual'))}: {copies}",
        )
    if n == 13:
        return _maintenance(call, MaintenanceExecutor.OGTIE)
    if n == 14:
        return _maintenance(call, MaintenanceExecutor.CONTRATISTA)
    if n == 16:
        activity = _latest(call, (PlatformActivityKind.MANTENIMIENTO_CONTRATISTA,))
        document_id, number = _document_id(call)
        link_activity_document(activity, document_id, field="referral_id")
        return Outcome.applied(activity=activity.pk, referral=number)
    return Outcome.skipped(f"La actividad {n} no escribe el registro de plataformas.")


def handle_inventory(call: EffectCall) -> Outcome:
    return _inventory(call)


def handle_activity(call: EffectCall) -> Outcome:
    return _activity(call)
