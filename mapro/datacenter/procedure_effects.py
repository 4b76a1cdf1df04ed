"""S04.03.01.03 writes the bitácora: the handler of its ``{register: LOGBOOK}`` effects.

Registered in ``DatacenterConfig.ready`` for the value ``LOGBOOK`` (the ficha's exact words).
The engine calls it inside the transaction of the completed step (activities 3 and 14 register
entries, 5 and 16 exits); an ``InvalidInput`` rolls the whole step back, so a refused entry
leaves the task open and nothing written.

Before acting, the handler brings the instance's visit up to date from the steps completed so
far (``sync_visit``), once each: the start (``Instance.start_key``) is the visit's kind; 1 and
6/9 list the people with their DNI; 1, 6, 7 and 11 the purpose and date; 6 and 7 whether the
work is high-risk (``alto_riesgo``); 2 the authorisation; 6, 8 and 10 the contractor documents
with their validity; 10 the DIPEC's review (each pass, with its outcome and observations); 13
the SST induction; 9 and the help-desk ticket linked to the instance, the ticket. Then each
line of ``ingresos``/``salidas`` goes through ``actions.do_record_entry``/``do_record_exit``
with the user who completed the step (who holds coord-infraestructura or
resp-infraestructura: the engine checked it), so the logbook's rules are the same for a step
and for the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from mapro.audit.actions import record_event
from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from . import actions
from .choices import CheckKind, CheckOutcome, DocumentKind, VisitKind
from .models import Visit, VisitPerson

LOGBOOK = "Bitácora de registro de ingresos al centro de datos"
ENTRIES_FIELD, EXITS_FIELD = "ingresos", "salidas"
SAFETY_FIELD = "requisitos_seguridad_validados"
DEFAULT_SG_PURPOSE = "Visita de personal de alto nivel autorizada por la Secretaría General."

#: Form field of a step → field of the actions (for errors keyed to the step's form).
_ENTRY_FIELDS = {"dni": "dni", "entered_at": "fecha_hora_ingreso", "escort": "acompanante"}
_EXIT_FIELDS = {"dni": "dni", "exited_at": "fecha_hora_salida"}


def _when(value: Any) -> dt.datetime | None:
    return parse_datetime(value) if isinstance(value, str) and value else None


def _day(value: Any) -> dt.date | None:
    return parse_date(value) if isinstance(value, str) and value else None


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# --- the visit from the steps ------------------------------------------------------------------


class _Facts:
    """What the completed steps say about the visit, gathered in step order."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.people: list[dict[str, str]] = []
        self.documents: list[tuple[int, dict[str, Any]]] = []
        self.checks: list[tuple[int, dict[str, Any]]] = []

    def person(self, name: Any, dni: Any, company: Any = "") -> None:
        clean = actions._valid_dni(dni)
        if clean is None or not _str(name) or any(p["dni"] == clean for p in self.people):
            return
        self.people.append(
            {"full_name": _str(name)[:200], "dni": clean, "company": _str(company)[:200]}
        )

    def document(self, n: int, row: dict[str, Any]) -> None:
        kind = row.get("documento")
        if kind in DocumentKind.values:
            self.documents.append(
                (
                    n,
                    {
                        "kind": kind,
                        "valid_until": _day(row.get("vigente_hasta")),
                        "reference": _str(row.get("archivo")),
                    },
                )
            )

    def read(self, n: int, data: dict[str, Any]) -> None:
        f = self.fields
        if n == 1:
            for v in data.get("visitantes") or []:
                self.person(v.get("nombres_apellidos"), v.get("dni"), v.get("cargo_entidad"))
            f["planned_at"] = _when(data.get("fecha_hora_visita")) or f.get("planned_at")
            f["purpose"] = _str(data.get("motivo")) or f.get("purpose") or DEFAULT_SG_PURPOSE
        elif n == 2:
            f["authorized_on"] = _day(data.get("fecha_autorizacion"))
        elif n == 6:
            f["company"] = _str(data.get("empresa"))
            f["purpose"] = _str(data.get("trabajos"))
            f["planned_at"] = _when(data.get("fecha_hora_ingreso"))
            f["high_risk"] = bool(data.get("alto_riesgo"))
            for p in data.get("personal") or []:
                self.person(p.get("nombres_apellidos"), p.get("dni"), data.get("empresa"))
            for row in data.get("gestiones_previas") or []:
                self.document(n, row)
        elif n == 7:
            f["purpose"] = _str(data.get("trabajos"))
            f["planned_at"] = _when(data.get("fecha_hora_trabajos"))
            f["high_risk"] = bool(data.get("alto_riesgo"))
        elif n == 8:
            f["company"] = _str(data.get("empresa")) or f.get("company", "")
            if data.get("sctr"):
                self.document(
                    n,
                    {
                        "documento": DocumentKind.SCTR,
                        "vigente_hasta": data.get("sctr_vigente_hasta"),
                        "archivo": data.get("sctr"),
                    },
                )
        elif n == 9:
            f["company"] = _str(data.get("empresa")) or f.get("company", "")
            f["ticket_number"] = _str(data.get("numero_ticket")) or f.get("ticket_number", "")
            for p in data.get("personal") or []:
                self.person(p.get("nombres_apellidos"), p.get("dni"), data.get("empresa"))
        elif n == 10:
            for row in data.get("documentos") or []:
                self.document(n, row)
            conforme = data.get("documentacion_conforme") == "si"
            self.checks.append(
                (
                    n,
                    {
                        "kind": CheckKind.REVISION,
                        "outcome": CheckOutcome.CONFORME if conforme else CheckOutcome.OBSERVADA,
                        "on": _day(data.get("fecha_remision")),
                        "observations": _str(data.get("observaciones_dipec"))
                        or ("" if conforme else "La DIPEC comunicó observaciones."),
                    },
                )
            )
        elif n == 11:
            f["planned_at"] = _when(data.get("fecha_hora_ingreso")) or f.get("planned_at")
        elif n == 13:
            measures, approved = _str(data.get("medidas_seguridad")), data.get("fecha_visto_bueno")
            notes = [
                measures and f"Medidas: {measures}",
                data.get("epps_herramientas_revisados") and "EPPS y herramientas revisados.",
                approved and f"Visto bueno: {approved}.",
                _str(data.get("observaciones")),
            ]
            self.checks.append(
                (
                    n,
                    {
                        "kind": CheckKind.INDUCCION,
                        "outcome": CheckOutcome.CONFORME,
                        "on": _day(data.get("fecha_induccion")),
                        "observations": " ".join(str(x) for x in notes if x),
                    },
                )
            )


def sync_visit(call: EffectCall) -> Visit:
    """The instance's visit, created or completed from the steps not read yet (module doc)."""
    instance, actor = call.instance, call.actor
    visit = Visit.objects.filter(instance=instance).select_related("unit").first()
    since = visit.synced_record_id if visit is not None else 0
    records = sorted((r for r in call.records if r.pk > since), key=lambda r: r.pk)
    if visit is not None and not records:
        return visit
    facts = _Facts()
    for record in records:
        facts.read(record.n, dict(record.data or {}))
    last = records[-1].pk if records else since
    ticket = call.ticket
    fields = {k: v for k, v in facts.fields.items() if v not in (None, "")}
    if ticket is not None:
        fields["ticket_number"] = ticket.number
    if visit is None:
        kind = instance.start_key
        if kind not in VisitKind.values:
            raise InvalidInput(errors={"__all__": [f"Forma de inicio desconocida: {kind}."]})
        visit = actions.do_create_visit(
            actor=actor,
            kind=kind,
            purpose=fields.pop("purpose", "") or DEFAULT_SG_PURPOSE,
            company=fields.pop("company", ""),
            planned_at=fields.pop("planned_at", None),
            high_risk=fields.pop("high_risk", False),
            authorized_on=fields.pop("authorized_on", None),
            ticket_number=fields.pop("ticket_number", ""),
            people=facts.people,
            instance=instance,
            system=True,
        )
    else:
        before = actions.visit_snapshot(visit)
        for name, value in fields.items():
            setattr(visit, name, value)
        visit.save()
        known = set(visit.people.values_list("dni", flat=True))
        for person in facts.people:
            if person["dni"] not in known:
                VisitPerson.objects.create(visit=visit, **person)
        after = actions.visit_snapshot(visit)
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if changed or facts.people:
            record_event(
                actor=actor,
                action="datacenter_visit.sync",
                obj=visit,
                before={k: before.get(k) for k in changed},
                after={**changed, "people": [p["dni"] for p in facts.people]},
            )
    if ticket is not None and visit.ticket_id != ticket.pk:
        visit.ticket = ticket
    for n, doc in facts.documents:
        actions.do_record_contractor_document(visit, actor=actor, activity=n, system=True, **doc)
    for n, check in facts.checks:
        if check["on"] is not None:
            actions.do_record_dipec_check(visit, actor=actor, activity=n, system=True, **check)
    visit.synced_record_id = last
    visit.save(update_fields=["synced_record_id", "ticket", "updated_at"])
    return visit


# --- the handler -------------------------------------------------------------------------------


def _rekey(exc: InvalidInput, prefix: str, names: dict[str, str], who: str) -> InvalidInput:
    """The action's errors keyed to the step's form (``ingresos.0.dni``); requirements go under
    the list's own field, each message naming the person."""
    errors: dict[str, list[str]] = {}
    for key, messages in exc.errors.items():
        if key in names:
            errors.setdefault(f"{prefix}.{names[key]}", []).extend(messages)
        else:
            field = prefix.split(".")[0]
            errors.setdefault(field, []).extend(f"{who}: {m}" for m in messages)
    return InvalidInput(exc.message, errors=errors)


def handle_logbook_effect(call: EffectCall) -> Outcome:
    """Write the step's entries (3, 14) or exits (5, 16) into the bitácora (module doc)."""
    data = call.data
    if ENTRIES_FIELD not in data and EXITS_FIELD not in data:
        return Outcome.skipped("El paso no registra ingresos ni salidas.")
    with transaction.atomic():
        visit = sync_visit(call)
        if ENTRIES_FIELD in data:
            if SAFETY_FIELD in data and data[SAFETY_FIELD] is not True:
                raise InvalidInput(
                    errors={
                        SAFETY_FIELD: [
                            "Sin validar el cumplimiento de los requisitos de seguridad no se "
                            "registra el ingreso."
                        ]
                    }
                )
            ids = []
            for i, row in enumerate(data.get(ENTRIES_FIELD) or []):
                who = f"{_str(row.get('nombres_apellidos'))} (DNI {_str(row.get('dni'))})"
                try:
                    entry = actions.do_record_entry(
                        visit,
                        actor=call.actor,
                        dni=_str(row.get("dni")),
                        entered_at=_when(row.get("fecha_hora_ingreso")),
                        escort=_str(row.get("acompanante")),
                        purpose=_str(row.get("motivo")),
                        company=_str(row.get("empresa")) or _str(row.get("entidad")),
                        activity=call.record.n,
                    )
                except InvalidInput as exc:
                    raise _rekey(exc, f"{ENTRIES_FIELD}.{i}", _ENTRY_FIELDS, who) from exc
                ids.append(entry.pk)
            return Outcome.applied(visit=visit.pk, entries=ids)
        ids = []
        for i, row in enumerate(data.get(EXITS_FIELD) or []):
            who = f"{_str(row.get('nombres_apellidos'))} (DNI {_str(row.get('dni'))})"
            try:
                entry = actions.do_record_exit_by_dni(
                    visit,
                    actor=call.actor,
                    dni=_str(row.get("dni")),
                    exited_at=_when(row.get("fecha_hora_salida")),
                )
            except InvalidInput as exc:
                raise _rekey(exc, f"{EXITS_FIELD}.{i}", _EXIT_FIELDS, who) from exc
            ids.append(entry.pk)
        return Outcome.applied(visit=visit.pk, exits=ids)


__all__ = ["LOGBOOK", "handle_logbook_effect", "sync_visit"]
