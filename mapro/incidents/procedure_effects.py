"""The procedure steps that write the matrix SGSI-FOR-006 (registered in ``IncidentsConfig``).

``{register: "Matriz de registro de incidentes de seguridad de la información (SGSI-FOR-006)"}``
appears in S04.03.01.05 (act. 4 "Registrar el incidente", act. 12 "registrar incidente en matriz
de incidentes"), in S04.04.00.03 (act. 2 "Registra el incidente de seguridad", act. 12 "El
registro en la bitácora") and in S04.01.00.03 (act. 6, the unexpected event found while
checking the SGSI's documentation, opens it; act. 9, the Jefe(a) takes note, closes it with what
act. 8 communicated). ``handle_matrix_effect``:

1. finds the instance's incident, or opens it from the history so far (description, detection
   time and source, reporting unit, category, severity, assets…, field by field below);
2. copies every completed step not yet on the incident's timeline as an action of its phase,
   with who completed it and when (a time the form declares, e.g. "fecha y hora en que el
   incidente quedó contenido", wins over the completion time): so the phases 7-11 of
   S04.04.00.03, which have no effect of their own, reach the timeline at act. 12;
3. takes the classification (S04.04.00.03 act. 7) and the external support (act. 10-11 of
   S04.03.01.05, act. 11 of S04.04.00.03) when their steps are copied;
4. at the post-incident step (act. 12 of either), closes the incident with its resolution and
   lessons learned.

It acts through ``actions`` with ``engine_checked=True`` and the completing user as actor.
"""

from __future__ import annotations

from typing import Any

from mapro.audit.actions import actor_name
from mapro.organization.models import Unit
from mapro.procedures.actions import form_schema_for
from mapro.procedures.effects import EffectCall, Outcome
from mapro.procedures.html_forms import describe_data

from . import actions
from .choices import DetectionSource, Kind, Origin, Phase, Status
from .models import Incident

MATRIX = "Matriz de registro de incidentes de seguridad de la información (SGSI-FOR-006)"
SECURITY, INFRASTRUCTURE = "S04.04.00.03", "S04.03.01.05"
#: S04.01.00.03 Gestión de la seguridad de la información: its unexpected events (act. 6).
SGSI_REVIEW = "S04.01.00.03"
KIND_OF = {
    SECURITY: Kind.SEGURIDAD,
    INFRASTRUCTURE: Kind.INFRAESTRUCTURA,
    SGSI_REVIEW: Kind.SEGURIDAD,
}
POST_INCIDENT_ACTIVITY = 12
#: The activity that closes the incident, where it is not the post-incident activity 12.
CLOSING_ACTIVITY = {SGSI_REVIEW: 9}

#: activity number → phase of the timeline, per procedure.
PHASES: dict[str, dict[int, str]] = {
    SECURITY: {
        1: Phase.DETECCION,
        2: Phase.DETECCION,
        3: Phase.DETECCION,
        4: Phase.DETECCION,
        5: Phase.DETECCION,
        6: Phase.DETECCION,
        7: Phase.ANALISIS,
        8: Phase.CONTENCION,
        9: Phase.ERRADICACION,
        10: Phase.RECUPERACION,
        11: Phase.RECUPERACION,
        12: Phase.POST_INCIDENTE,
        13: Phase.POST_INCIDENTE,
        14: Phase.POST_INCIDENTE,
    },
    INFRASTRUCTURE: {
        1: Phase.DETECCION,
        2: Phase.DETECCION,
        4: Phase.DETECCION,
        5: Phase.DETECCION,
        6: Phase.ANALISIS,
        7: Phase.RECUPERACION,
        8: Phase.RECUPERACION,
        9: Phase.RECUPERACION,
        10: Phase.RECUPERACION,
        11: Phase.RECUPERACION,
        12: Phase.POST_INCIDENTE,
        13: Phase.POST_INCIDENTE,
        14: Phase.POST_INCIDENTE,
    },
    SGSI_REVIEW: {
        6: Phase.DETECCION,
        7: Phase.ANALISIS,
        8: Phase.RECUPERACION,
        9: Phase.POST_INCIDENTE,
    },
}
#: activity number → the form field that says when the action was done, per procedure.
DECLARED_TIME: dict[str, dict[int, str]] = {
    SECURITY: {
        1: "fecha_hora_deteccion",
        4: "fecha_hora_deteccion",
        8: "fecha_hora_contencion",
        10: "fecha_hora_recuperacion",
        11: "fecha_comunicacion",
    },
    INFRASTRUCTURE: {1: "fecha_hora_alerta", 4: "fecha_hora_deteccion"},
    SGSI_REVIEW: {},
}
SOURCES = {
    # S04.04.00.03 act. 4 "fuente"
    "alertas": DetectionSource.ALERTA_SEGURIDAD,
    "caida-servicios": DetectionSource.CAIDA_SERVICIO,
    "reportes-usuarios": DetectionSource.REPORTE_USUARIO,
    # S04.03.01.05 act. 1 "fuente"
    "servidores": DetectionSource.ALERTA_SERVIDORES,
    "herramientas": DetectionSource.HERRAMIENTA_MONITOREO,
    "usuario": DetectionSource.REPORTE_USUARIO,
    "otra": DetectionSource.OTRA,
}


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _records(call: EffectCall) -> dict[int, Any]:
    """The latest completed step of each activity of the instance, by activity number."""
    return {r.n: r for r in call.records}


def _summary(call: EffectCall, record: Any) -> str:
    """ "Actividad N. Nombre" and the step's answers by their form titles."""
    lines = [f"Actividad {record.n}. {record.name}."]
    try:
        schema = form_schema_for(call.instance.procedure_version.ficha, record.n)
    except Exception:  # a stored record always has its activity; be lenient with old ones
        schema = {}
    for item in describe_data(schema, record.data or {}):
        if item.rows:
            text = "; ".join(
                " — ".join(str(cell.text) for cell in row if cell.text) for row in item.rows
            )
        elif item.is_file:
            text = f"{item.text} (archivo)"
        else:
            text = str(item.text)
        if text:
            lines.append(f"{item.label}: {text}")
    return "\n".join(lines)


def _when(code: str, record: Any) -> Any:
    field = DECLARED_TIME[code].get(record.n)
    if field:
        try:
            declared = actions._aware(record.data.get(field))
        except ValueError:
            declared = None
        if declared is not None:
            return declared
    return record.completed_at


def _assets(data: dict[str, Any]) -> str:
    rows = data.get("activos_afectados")
    if isinstance(rows, list):
        return "\n".join(
            " — ".join(str(v) for v in (r.get("activo"), r.get("impacto")) if v)
            for r in rows
            if isinstance(r, dict)
        )
    return _text(data, "activos_afectados")


def _reporting_unit(call: EffectCall, code: str, first: dict[str, Any]) -> Any:
    if code == SECURITY:
        return call.instance.unit if call.instance.start_key == "uo" else None
    sigla = _text(first, "unidad_reporta")
    return Unit.objects.filter(code__iexact=sigla).first() if sigla else None


def _open(call: EffectCall, code: str, records: dict[int, Any]) -> Incident:
    def data(n: int) -> dict[str, Any]:
        return dict(records[n].data or {}) if n in records else {}

    first_record = min(records.values(), key=lambda r: (r.completed_at, r.pk))
    if code == SGSI_REVIEW:
        return _open_unexpected_event(call, data(6), first_record)
    if code == SECURITY:
        report, detection = data(1), data(4)
        origin = Origin.UNIDAD if call.instance.start_key == "uo" else Origin.OGTIE
        description = (
            _text(report, "descripcion")
            or _text(detection, "descripcion")
            or _text(data(2), "observaciones")
            or call.activity.get("name", "")
        )
        source = SOURCES.get(_text(detection, "fuente")) or (
            DetectionSource.REPORTE_USUARIO if origin == Origin.UNIDAD else DetectionSource.OTRA
        )
        detected = _text(detection, "fecha_hora_deteccion") or _text(report, "fecha_hora_deteccion")
        reported_by = call.instance.started_by_name if origin == Origin.UNIDAD else ""
        extra = {
            "affected_assets": _text(report, "equipo_servicio"),
            "category": "",
            "severity": "",
        }
        first = report
    else:
        first, register = data(1), data(4)
        origin = Origin.UNIDAD if call.instance.start_key == "reporte" else Origin.OGTIE
        description = _text(register, "descripcion_incidente") or _text(first, "descripcion")
        source = SOURCES.get(_text(first, "fuente"), DetectionSource.OTRA)
        detected = _text(register, "fecha_hora_deteccion") or _text(first, "fecha_hora_alerta")
        reported_by = _text(first, "reportado_por")
        extra = {
            "affected_assets": _text(register, "activos_afectados"),
            "affected_services": _text(register, "servicios_afectados"),
            "category": _text(register, "categoria"),
            "severity": _text(first, "severidad"),
        }
    unit = _reporting_unit(call, code, first)
    if origin == Origin.UNIDAD and unit is None and not reported_by:
        reported_by = call.instance.started_by_name or "Unidad de organización (sin precisar)"
    description = description or "Incidente registrado por el procedimiento."
    title = description.splitlines()[0][:200]
    return actions.do_open_incident(
        actor=call.actor,
        kind=KIND_OF[code],
        title=title,
        description=description,
        origin=origin,
        detection_source=source,
        detected_at=detected or first_record.completed_at,
        reporting_unit=unit,
        reported_by=reported_by,
        instance=call.instance,
        engine_checked=True,
        **extra,
    )


def _open_unexpected_event(call: EffectCall, event: dict[str, Any], first_record: Any) -> Incident:
    """S04.01.00.03 act. 6: personal of the instance's unit found an unexpected event in the
    systems, applications or services and told the OGTIE."""
    description = _text(event, "descripcion_evento") or call.activity.get("name", "")
    description = description or "Evento inesperado registrado por el procedimiento."
    day = _text(event, "fecha_deteccion")
    unit = call.instance.unit
    ogtie = unit is not None and unit.code == "OGTIE"
    how = _text(event, "medio_comunicacion")
    return actions.do_open_incident(
        actor=call.actor,
        kind=Kind.SEGURIDAD,
        title=description.splitlines()[0][:200],
        description=description + (f"\nComunicado por: {how}." if how else ""),
        origin=Origin.OGTIE if ogtie else Origin.UNIDAD,
        detection_source=DetectionSource.REPORTE_USUARIO,
        detected_at=f"{day}T00:00:00" if day else first_record.completed_at,
        reporting_unit=None if ogtie else unit,
        reported_by=actor_name(call.actor),
        affected_services=_text(event, "sistemas_afectados"),
        instance=call.instance,
        engine_checked=True,
    )


def _copy_steps(call: EffectCall, code: str, incident: Incident) -> list[int]:
    """Copy the steps not yet on the timeline; return their activity numbers."""
    done = set(incident.actions.exclude(record=None).values_list("record_id", flat=True))
    copied = []
    for record in call.records:
        phase = PHASES[code].get(record.n)
        if phase is None or record.pk in done:
            continue
        actions.do_add_incident_action(
            incident,
            actor=call.actor,
            phase=phase,
            description=_summary(call, record),
            performed_at=_when(code, record),
            performed_by=record.completed_by,
            record=record,
            engine_checked=True,
        )
        copied.append(record.n)
        data = record.data or {}
        if code == SECURITY and record.n == 7 and _text(data, "clasificacion"):
            incident = actions.do_classify_incident(
                incident,
                actor=call.actor,
                category=_text(data, "clasificacion"),
                severity=_text(data, "severidad") or incident.severity or _text(data, "prioridad"),
                priority=_text(data, "prioridad"),
                affected_assets="\n".join(
                    p for p in (incident.affected_assets, _assets(data)) if p
                ),
                engine_checked=True,
            )
        support = None
        if (code, record.n) in ((SECURITY, 11), (INFRASTRUCTURE, 10)):
            support = "\n".join(
                f"{k}: {v}"
                for k, v in (
                    ("Proveedor", _text(data, "proveedor")),
                    ("Contrato", _text(data, "contrato")),
                    ("Apoyo", _text(data, "apoyo_brindado") or _text(data, "apoyo_solicitado")),
                )
                if v
            )
        elif (code, record.n) == (INFRASTRUCTURE, 11):
            support = _text(data, "solucion_contratista") and (
                f"Solución del contratista: {_text(data, 'solucion_contratista')}"
            )
        if support:
            incident = actions.do_record_external_support(
                incident, actor=call.actor, text=support, engine_checked=True
            )
    return copied


def _close(call: EffectCall, code: str, incident: Incident) -> bool:
    if incident.status == Status.CERRADO:
        return False
    data = call.data
    if code == SGSI_REVIEW:
        told = call.step_data(8)
        resolution = "\n\n".join(
            p for p in (_text(told, "resultado_evento"), _text(told, "acciones_realizadas")) if p
        )
        actions.do_close_incident(
            incident,
            actor=call.actor,
            resolution=resolution or "Atención comunicada al/a la Jefe(a) de la OGTIE.",
            # The manual asks no lessons of act. 9; what act. 7 corrected in the documentation
            # (and the origin it identified) is what the SGSI learned from the event.
            lessons_learned=_text(data, "observaciones")
            or _text(call.step_data(7), "correcciones")
            or f"Origen identificado: {_text(call.step_data(7), 'origen_evento')}",
            resolved_at=None,
            engine_checked=True,
        )
        return True
    if code == SECURITY:
        resolution = _text(data, "solucion")
        resolved = _text(data, "fecha_hora_resolucion")
    else:
        resolution = "\n\n".join(
            p for p in (_text(data, "acciones_tomadas"), _text(data, "reporte")) if p
        )
        resolved = _text(data, "fecha_hora_solucion")
    actions.do_close_incident(
        incident,
        actor=call.actor,
        resolution=resolution,
        lessons_learned=_text(data, "lecciones_aprendidas"),
        resolved_at=resolved or None,
        engine_checked=True,
    )
    return True


def handle_matrix_effect(call: EffectCall) -> Outcome:
    """Open or update the instance's row of the matrix SGSI-FOR-006 (module docstring)."""
    code = call.instance.procedure_code
    if code not in KIND_OF:
        return Outcome.skipped(f"El procedimiento {code} no registra incidentes en la matriz.")
    records = _records(call)
    incident = Incident.objects.filter(instance=call.instance).first()
    opened = incident is None
    if incident is None:
        incident = _open(call, code, records)
    if incident.ticket_id is None:
        ticket = call.ticket
        if ticket is not None:
            incident = actions.do_link_incident_ticket(incident, ticket, actor=call.actor)
    copied = _copy_steps(call, code, incident)
    closed = False
    if call.record.n == CLOSING_ACTIVITY.get(code, POST_INCIDENT_ACTIVITY):
        incident.refresh_from_db()
        closed = _close(call, code, incident)
    return Outcome.applied(incident=incident.code, opened=opened, copied=copied, closed=closed)
