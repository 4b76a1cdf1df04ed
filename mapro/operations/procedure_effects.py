"""The steps of S04.03.01.04, S04.03.02.01 and S04.03.03.01 that write the run records, and the
specialised support visit of S04.03.02.01 in the data center's register and logbook.

``{register: "Registro de ejecuciones"}`` (``RUNS``), by step:

- S04.03.02.01 4 and 6: one run (database copy / common-information copy) from the step's
  ``equipo``, ``fecha_hora``, ``tamano_bytes``, ``sistema``, ``detalle``; failed when the step's
  decision says there is an error. The run belongs to this instance, whose next activity (5 or
  7) is its correction.
- S04.03.02.01 5, 7 (when the error does not persist) and 10: the corrective action of the
  instance's failed run (the one posted by the API that opened the instance, or the one step 4
  or 6 recorded).
- S04.03.01.04 5: one log review per row of ``revisiones``; S04.03.03.01 8: one
  configuration backup per row of ``respaldos`` (Formato N° 02).

``{register: "Plataforma de registro de visitas"}`` (S04.03.02.01 9) registers the specialised
support's visit in the data center's register (kind «mantenimiento de equipos de OGTIE», with
the people and documents of the step); ``{register: LOGBOOK}`` at S04.03.02.01 10 writes each
entry and exit in the bitácora through the data center's own actions, so its rules (documents
in force, the DIPEC's review and induction, no one inside twice) hold here too. A refused line
is a field error naming the step's row and nothing of the step is kept.
"""

from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from .actions import do_record_correction, do_record_run
from .choices import CorrectionState, RunKind, Source
from .models import RunRecord

RUNS = "Registro de ejecuciones"
CRITICAL_SERVERS = "Inventario de servidores de sistemas críticos"
DEVICE_CHECK = "Verificación de equipos de conmutación"
VISITS = "Plataforma de registro de visitas"
LOGBOOK = "Bitácora de registro de ingresos al centro de datos"
BACKUPS = "S04.03.02.01"
LOGS = "S04.03.01.04"
CONFIG = "S04.03.03.01"
#: Field of the run actions → field of the steps' forms (errors keyed to the form).
_RUN_FIELDS = {
    "equipment": "equipo",
    "ran_at": "fecha_hora",
    "size_bytes": "tamano_bytes",
    "outcome": "resultado",
    "items": "elementos",
    "system": "sistema",
    "destination": "ruta",
}


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _rekey(exc: InvalidInput, prefix: str = "") -> InvalidInput:
    errors: dict[str, list[str]] = {}
    for key, messages in exc.errors.items():
        errors.setdefault(prefix + _RUN_FIELDS.get(key, key), []).extend(messages)
    return InvalidInput(exc.message, errors=errors)


def _run(call: EffectCall, prefix: str = "", **values: Any) -> RunRecord:
    try:
        return do_record_run(
            actor=call.actor, source=Source.PROCEDURE, instance=call.instance, **values
        )
    except InvalidInput as exc:
        raise _rekey(exc, prefix) from exc


def _backup_run(call: EffectCall, kind: RunKind, error_field: str) -> Outcome:
    data = call.data
    run = _run(
        call,
        kind=kind,
        equipment=_str(data.get("equipo")),
        ran_at=data.get("fecha_hora"),
        outcome="failed" if data.get(error_field) == "si" else "ok",
        size_bytes=data.get("tamano_bytes"),
        system=_str(data.get("sistema")),
        message=_str(data.get("detalle")),
    )
    return Outcome.applied(run=run.pk, outcome=run.outcome)


def _correction(call: EffectCall, text: str) -> Outcome:
    run = (
        RunRecord.objects.filter(instance=call.instance, correction_state=CorrectionState.PENDING)
        .order_by("-id")
        .first()
    )
    if run is None:
        return Outcome.skipped("El expediente no tiene una ejecución fallida por corregir.")
    run = do_record_correction(run, actor=call.actor, corrective_action=text, system=True)
    return Outcome.applied(run=run.pk, correction_state=run.correction_state)


def _rows(call: EffectCall, field: str, kind: RunKind) -> Outcome:
    ids = []
    for i, row in enumerate(call.data.get(field) or []):
        run = _run(
            call,
            prefix=f"{field}.{i}.",
            kind=kind,
            equipment=_str(row.get("equipo")),
            ran_at=row.get("fecha_hora"),
            outcome=row.get("resultado") or "ok",
            size_bytes=row.get("tamano_bytes"),
            items=row.get("elementos"),
            system=_str(row.get("sistema")),
            destination=_str(row.get("ruta")),
            files=_str(row.get("archivos")),
            message=_str(row.get("observaciones")),
        )
        ids.append(run.pk)
    return Outcome.applied(runs=ids)


def handle_runs(call: EffectCall) -> Outcome:
    code, n, data = call.instance.procedure_code, call.n, call.data
    if code == BACKUPS and n == 4:
        return _backup_run(call, RunKind.BACKUP_DB, "existe_error")
    if code == BACKUPS and n == 6:
        return _backup_run(call, RunKind.BACKUP_FILES, "hay_error")
    if code == BACKUPS and n == 5:
        return _correction(call, _str(data.get("accion_correctiva")))
    if code == BACKUPS and n == 7:
        if data.get("persiste_error") == "si":
            return Outcome.skipped("El error persiste: se coordina con el soporte especializado.")
        return _correction(call, _str(data.get("accion_correctiva")))
    if code == BACKUPS and n == 10:
        company = _str(call.step_data(8).get("empresa"))
        tried = _str(call.step_data(7).get("accion_correctiva"))
        text = f"Soporte especializado ({company}): {_str(data.get('solucion'))}"
        if tried:
            text = f"{tried}\n{text}"
        return _correction(call, text)
    if code == LOGS and n == 5:
        return _rows(call, "revisiones", RunKind.LOG)
    if code == CONFIG and n == 8:
        return _rows(call, "respaldos", RunKind.CONFIG)
    return Outcome.skipped(f"El paso {n} de {code} no registra ejecuciones.")


# --- the specialised support's visit (S04.03.02.01, 9 and 10) ---------------------------------


def _visit(call: EffectCall) -> Any:
    from mapro.datacenter.models import Visit

    visit = Visit.objects.filter(instance=call.instance).first()
    if visit is None:
        raise InvalidInput(
            errors={"ingresos": ["Registre antes la visita (actividad 9) en el registro."]}
        )
    return visit


def handle_visit(call: EffectCall) -> Outcome:
    from mapro.datacenter import actions as datacenter

    data, support = call.data, call.step_data(8)
    company = _str(support.get("empresa"))
    visit = datacenter.do_create_visit(
        actor=call.actor,
        kind="mantenimiento-ogtie",
        purpose=_str(data.get("trabajos")),
        company=company,
        planned_at=parse_datetime(_str(support.get("fecha_hora_visita")) or "x"),
        people=[
            {"full_name": p.get("nombres_apellidos"), "dni": p.get("dni"), "company": company}
            for p in data.get("personal") or []
        ],
        instance=call.instance,
        system=True,
    )
    for i, row in enumerate(data.get("documentos") or []):
        try:
            datacenter.do_record_contractor_document(
                visit,
                actor=call.actor,
                kind=_str(row.get("documento")),
                valid_until=parse_date(_str(row.get("vigente_hasta")) or "x"),
                reference=_str(row.get("referencia")),
                activity=call.n,
                system=True,
            )
        except InvalidInput as exc:
            problems = [m for ms in exc.errors.values() for m in ms] or [exc.message]
            raise InvalidInput(errors={f"documentos.{i}": problems}) from exc
    return Outcome.applied(visit=visit.pk)


def handle_logbook(call: EffectCall) -> Outcome:
    from mapro.datacenter import actions as datacenter

    visit, data = _visit(call), call.data
    entries, exits = [], []
    for field, rows in (("ingresos", data.get("ingresos")), ("salidas", data.get("salidas"))):
        for i, row in enumerate(rows or []):
            try:
                if field == "ingresos":
                    entry = datacenter.do_record_entry(
                        visit,
                        actor=call.actor,
                        dni=_str(row.get("dni")),
                        entered_at=parse_datetime(_str(row.get("fecha_hora_ingreso")) or "x"),
                        escort=_str(row.get("acompanante")),
                        activity=call.n,
                    )
                    entries.append(entry.pk)
                else:
                    entry = datacenter.do_record_exit_by_dni(
                        visit,
                        actor=call.actor,
                        dni=_str(row.get("dni")),
                        exited_at=parse_datetime(_str(row.get("fecha_hora_salida")) or "x"),
                    )
                    exits.append(entry.pk)
            except InvalidInput as exc:
                problems = [m for ms in exc.errors.values() for m in ms] or [exc.message]
                raise InvalidInput(exc.message, errors={f"{field}.{i}": problems}) from exc
    return Outcome.applied(visit=visit.pk, entries=entries, exits=exits)


def _equipment_errors(codes: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Field errors for inventory codes that name no equipment in service."""
    from .actions import equipment_problem

    errors: dict[str, list[str]] = {}
    for field, code in codes:
        problem = equipment_problem(code)
        if problem:
            errors[field] = [problem]
    return errors


def handle_critical_servers(call: EffectCall) -> Outcome:
    """S04.03.01.04 1: every server named is in the inventory and in service."""
    rows = call.data.get("servidores") or []
    errors = _equipment_errors(
        [(f"servidores.{i}.equipo", _str(r.get("equipo"))) for i, r in enumerate(rows)]
    )
    if errors:
        raise InvalidInput(errors=errors)
    return Outcome.applied(servers=[_str(r.get("equipo")) for r in rows])


def handle_device_check(call: EffectCall) -> Outcome:
    """S04.03.03.01 6: the device verified is in the inventory and in service."""
    errors = _equipment_errors([("equipo", _str(call.data.get("equipo")))])
    if errors:
        raise InvalidInput(errors=errors)
    return Outcome.applied(
        equipment=_str(call.data.get("equipo")),
        available=bool(call.data.get("disponible")),
        operative=bool(call.data.get("operativo")),
    )


def register_handlers() -> None:
    from mapro.procedures.effects import register_effect_handler as register

    register("register", handle_runs, value=RUNS)
    register("register", handle_critical_servers, value=CRITICAL_SERVERS)
    register("register", handle_device_check, value=DEVICE_CHECK)
    register("register", handle_visit, value=VISITS, step=(BACKUPS, 9))
    # This step's entries and exits are this procedure's, not S04.03.01.03's steps.
    register("register", handle_logbook, value=LOGBOOK, step=(BACKUPS, 10))
