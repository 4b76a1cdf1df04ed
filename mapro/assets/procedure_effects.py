"""The procedure steps that write the inventories and registers of this app.

Registered in ``AssetsConfig.ready`` (see ``mapro.procedures.effects``), each handler runs in
the transaction of the step that names its register or document in the ficha; raising
InvalidInput or Conflict rolls the step back, so the task stays open and the caller sees why.
The engine has already checked that the user holds the activity's role, so the actions run
with ``check=False`` but the real actor (the audit names who completed the step). Data of
earlier steps is read with ``call.step_data(n)`` (the latest completion of activity ``n``).

- ``{register: Inventario de dispositivos para el uso del certificado digital}`` (S04.03.04.01):
  at activity 10, assigns the tarjeta criptográfica and the lector de tarjetas of activity 8 to
  the requester (activity 1), with the declaración jurada (1), RENIEC's registration (5) and
  approval (6) and the acta (8/9); at activity 12, records the return of the devices received
  (``dispositivos_recibidos``) by the person leaving (activity 11, ``motivo``).
- ``{document: Formato de entrega de dispositivos informáticos firmado}`` (S04.03.04.01,
  activity 13): the Jefe(a)'s conformity to the returns recorded by the instance.
- ``{register: Registro de requerimientos de copia de restauración}`` (S04.03.02.02,
  activities 17 and 19): logs the request of activity 15 and its outcome (returned, restored).
- ``{register: Lista de bloqueos de spam y phishing}`` (S04.04.00.02, activities 6, 9, 18):
  each row of ``bloqueos`` becomes an entry, with the case (instance and ticket); a value
  already blocked is left as it is (reported in the outcome).
- ``{document: Acta de entrega de equipos telefónicos – OGTIE}`` (S04.03.03.02, activity 13):
  each configured phone is registered or updated (brand/model and patrimonial code from
  activity 11) and assigned to its user; ``{document: Acta de asignación de bienes}``
  (activity 15): the four signatures, the acta's number (12) and the delivery (14).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mapro.core.exceptions import Conflict, InvalidInput
from mapro.organization.models import Person
from mapro.procedures.effects import EffectCall, Outcome
from mapro.procedures.models import TaskRecord

from . import actions
from .actions.common import as_date, text
from .choices import ACTA_SIGNERS, BlockKind, CertDeviceKind, PhoneKind, RestoreOutcome
from .models import BlockEntry, CertAssignment, CertDevice, PhoneEquipment, RestoreRequest

CERT_REGISTER = "Inventario de dispositivos para el uso del certificado digital"
CERT_CONFORMITY_DOCUMENT = "Formato de entrega de dispositivos informáticos firmado"
RESTORE_REGISTER = "Registro de requerimientos de copia de restauración"
BLOCK_REGISTER = "Lista de bloqueos de spam y phishing"
PHONE_ACTA_ENTREGA = "Acta de entrega de equipos telefónicos – OGTIE"
PHONE_ACTA_ASIGNACION = "Acta de asignación de bienes"


# --- reading the instance ---------------------------------------------------------------------


def _person_of(user: Any) -> Person | None:
    if user is None:
        return None
    return Person.objects.select_related("unit").filter(user=user).first()


def _ticket_number(call: EffectCall, *steps: int) -> str:
    """The help-desk ticket of the instance, else a ``numero_ticket`` typed in ``steps``."""
    ticket = call.ticket
    if ticket is not None:
        return str(ticket.number)
    for n in steps:
        number = text(call.step_data(n).get("numero_ticket"), 50)
        if number:
            return number
    return ""


def _completed_on(record: TaskRecord | None) -> dt.date:
    if record is None:
        return timezone.localdate()
    return timezone.localdate(record.completed_at)


# --- S04.03.04.01 certificate devices ---------------------------------------------------------


def _cert_device(kind: str, serial: str, actor: Any) -> CertDevice:
    device = CertDevice.objects.filter(serial=serial).first()
    if device is None:
        # A device not yet in the inventory is registered as it is handed over.
        device = actions.do_register_cert_device(kind=kind, serial=serial, actor=actor, check=False)
    elif device.kind != kind:
        raise InvalidInput(
            errors={
                "dispositivos": [
                    f"La serie {serial} es de un(a) {device.get_kind_display()} en el inventario."
                ]
            }
        )
    return device


def handle_cert_inventory(call: EffectCall) -> Outcome:
    """Activity 10: assign the devices; activity 12: record their return (module doc)."""
    if call.record.n == 12:
        return _cert_return(call)
    first = call.step_record(1)
    holder = _person_of(first.completed_by if first else call.instance.started_by)
    if holder is None:
        raise InvalidInput(errors={"titular": ["El solicitante no es una persona registrada."]})
    delivery = call.step_data(8)
    acta = text(call.step_data(9).get("acta_firmada")) or text(delivery.get("acta_entrega"))
    reniec = call.step_data(5)
    assigned = []
    for field, kind in (
        ("tarjeta_criptografica", CertDeviceKind.TARJETA),
        ("lector_tarjetas", CertDeviceKind.LECTOR),
    ):
        serial = text(delivery.get(field), 100)
        if not serial:
            raise InvalidInput(errors={field: ["Falta la serie del dispositivo (actividad 8)."]})
        device = _cert_device(kind, serial, call.actor)
        actions.do_assign_cert_device(
            device,
            holder=holder,
            declaracion_jurada=text((first.data if first else {}).get("declaracion_jurada")),
            reniec_registered_on=as_date(
                reniec.get("fecha_registro_reniec"), "fecha_registro_reniec"
            ),
            reniec_approved_on=as_date(
                call.step_data(6).get("fecha_aprobacion_reniec"), "fecha_aprobacion_reniec"
            ),
            reniec_request=text(reniec.get("numero_solicitud_reniec")),
            acta_entrega=acta,
            assigned_on=as_date(delivery.get("fecha_entrega"), "fecha_entrega"),
            instance=call.instance,
            ticket=_ticket_number(call, 2),
            actor=call.actor,
            check=False,
        )
        assigned.append(serial)
    return Outcome.applied(assigned=assigned, holder=holder.full_name)


def _cert_return(call: EffectCall) -> Outcome:
    leaving = call.step_record(11)
    holder = _person_of(leaving.completed_by if leaving else None)
    if holder is None:
        raise InvalidInput(
            errors={"dispositivos_recibidos": ["Quien entrega no es una persona registrada."]}
        )
    reason = text((leaving.data if leaving else {}).get("motivo")) or "otro"
    returned = []
    rows = call.data.get("dispositivos_recibidos") or []
    for i, row in enumerate(rows, start=1):
        serial = text(row.get("serie"), 100)
        device = CertDevice.objects.filter(serial=serial).first()
        if device is None:
            raise InvalidInput(
                errors={
                    "dispositivos_recibidos": [
                        f"Fila {i}: el dispositivo {serial} no está en el inventario."
                    ]
                }
            )
        try:
            actions.do_return_cert_device(
                device,
                holder=holder,
                leaving_reason=reason,
                returned_on=as_date(call.data.get("fecha_recepcion"), "fecha_recepcion"),
                notes=text(call.data.get("estado_dispositivos")),
                return_instance=call.instance,
                actor=call.actor,
                check=False,
            )
        except (InvalidInput, Conflict) as exc:
            message = "; ".join(m for ms in exc.errors.values() for m in ms) or exc.message
            raise InvalidInput(errors={"dispositivos_recibidos": [f"Fila {i}: {message}"]}) from exc
        returned.append(serial)
    return Outcome.applied(returned=returned, holder=holder.full_name)


def handle_cert_conformity(call: EffectCall) -> Outcome:
    """Activity 13: the Jefe(a)'s conformity to the returns this instance recorded."""
    if not call.data.get("conformidad"):
        return Outcome.skipped("El/la Jefe(a) de la OGTIE no dio conformidad.")
    day = as_date(call.data.get("fecha_firma"), "fecha_firma")
    pending = CertAssignment.objects.filter(
        return_instance=call.instance, conformity_on__isnull=True
    ).select_related("device")
    done = []
    for assignment in pending:
        returned_on = assignment.returned_on or timezone.localdate()
        actions.do_give_return_conformity(
            assignment.device,
            conformity_on=max(day, returned_on) if day else None,
            actor=call.actor,
            check=False,
        )
        done.append(assignment.device.serial)
    if not done:
        return Outcome.skipped("El expediente no registró devoluciones.")
    return Outcome.applied(conformity=done)


# --- S04.03.02.02 restore requests ------------------------------------------------------------


def handle_restore_register(call: EffectCall) -> Outcome:
    """Activities 17 and 19: log the request of activity 15 (once) and record its outcome."""
    request = RestoreRequest.objects.filter(instance=call.instance).first()
    if request is None:
        asked = call.step_record(15)
        data = dict(asked.data or {}) if asked else {}
        requester = _person_of(asked.completed_by if asked else call.instance.started_by)
        request = actions.do_record_restore_request(
            information_kind=text(data.get("tipo_informacion")) or "sistema",
            system=text(data.get("origen")),
            period=text(data.get("periodo")),
            description=text(data.get("descripcion")),
            requester=requester,
            requester_name=asked.completed_by_name if asked and requester is None else "",
            unit=call.instance.unit or (requester.unit if requester else None),
            ticket=_ticket_number(call, 16),
            requested_on=_completed_on(asked),
            instance=call.instance,
            actor=call.actor,
            check=False,
        )
    if call.record.n == 17:
        request = actions.do_record_restore_outcome(
            request,
            outcome=RestoreOutcome.RECHAZADA,
            result=text(call.data.get("motivo_rechazo")),
            closed_on=as_date(call.data.get("fecha_devolucion"), "fecha_devolucion"),
            actor=call.actor,
            check=False,
        )
    else:
        request = actions.do_record_restore_outcome(
            request,
            outcome=RestoreOutcome.RESTAURADA,
            action=text(call.data.get("accion")),
            backup_used=text(call.data.get("copia_utilizada")),
            result=text(call.data.get("resultado")),
            closed_on=as_date(call.data.get("fecha_ejecucion"), "fecha_ejecucion"),
            actor=call.actor,
            check=False,
        )
    return Outcome.applied(restore_request=request.pk, outcome=request.outcome)


# --- S04.04.00.02 block list ------------------------------------------------------------------


def handle_block_register(call: EffectCall) -> Outcome:
    """Activities 6, 9 and 18: every row of ``bloqueos`` into the block list (module doc)."""
    rows = call.data.get("bloqueos") or []
    errors = []
    normalized = []
    for i, row in enumerate(rows, start=1):
        kind = text(row.get("tipo"))
        try:
            normalized.append((kind, actions.normalize_block_value(kind, row.get("valor"))))
        except ValueError as exc:
            errors.append(
                f"Fila {i} ({BlockKind(kind).label if kind in BlockKind.values else kind}): {exc}"
            )
    if errors:
        raise InvalidInput(errors={"bloqueos": errors})
    case_kind = "spam" if call.record.n == 6 else "phishing"
    ticket = _ticket_number(call, 2, 13)
    added, already = [], []
    for kind, value in normalized:
        if BlockEntry.objects.filter(kind=kind, value=value, active=True).exists():
            already.append(value)
            continue
        entry = actions.do_add_block(
            kind=kind,
            value=value,
            case_kind=case_kind,
            instance=call.instance,
            ticket=ticket,
            notes=text(call.data.get("otras_acciones")),
            actor=call.actor,
            check=False,
        )
        added.append(entry.pk)
    return Outcome.applied(added=added, already_blocked=already)


# --- S04.03.03.02 phones ----------------------------------------------------------------------


def handle_phone_acta_entrega(call: EffectCall) -> Outcome:
    """Activity 13: register/configure each phone and assign it to its user (module doc)."""
    received = {
        text(row.get("serie")): row for row in (call.step_data(11).get("equipos_recibidos") or [])
    }
    rows = call.data.get("equipos_configurados") or []
    errors = []
    for i, row in enumerate(rows, start=1):
        serial, kind = text(row.get("serie")), text(row.get("tipo"))
        if kind == PhoneKind.IP and not text(row.get("anexo")):
            errors.append(f"Fila {i} ({serial}): indique el anexo del equipo IP.")
        if kind == PhoneKind.IP and not row.get("registrado_call_manager"):
            errors.append(f"Fila {i} ({serial}): registre el equipo IP en Call manager.")
        if kind == PhoneKind.MOVIL and (
            text(row.get("anexo")) or row.get("registrado_call_manager")
        ):
            errors.append(f"Fila {i} ({serial}): el anexo y Call manager son de equipos IP.")
        phone = PhoneEquipment.objects.filter(serial=serial).first()
        if phone is not None and phone.kind != kind:
            errors.append(
                f"Fila {i} ({serial}): en el inventario es un {phone.get_kind_display()}."
            )
    if errors:
        raise InvalidInput(errors={"equipos_configurados": errors})
    unit = call.instance.unit
    if unit is None:
        raise InvalidInput(errors={"equipos_configurados": ["El expediente no tiene unidad."]})
    ticket = _ticket_number(call, 4, 1)
    assigned = []
    for i, row in enumerate(rows, start=1):
        serial, kind = text(row.get("serie"), 100), text(row.get("tipo"))
        extra = received.get(serial, {})
        is_ip = kind == PhoneKind.IP
        extension = text(row.get("anexo")) if is_ip else ""
        call_manager = bool(row.get("registrado_call_manager")) and is_ip
        line = "" if is_ip else text(row.get("numero_linea"))
        phone = PhoneEquipment.objects.filter(serial=serial).first()
        if phone is None:
            phone = actions.do_register_phone(
                kind=kind,
                serial=serial,
                brand_model=text(extra.get("marca_modelo")),
                patrimonial_code=text(extra.get("codigo_patrimonial")),
                extension=extension,
                call_manager_registered=call_manager,
                line_number=line,
                actor=call.actor,
                check=False,
            )
        else:
            actions.do_configure_phone(
                phone,
                extension=extension,
                call_manager_registered=call_manager,
                line_number=line,
                actor=call.actor,
                check=False,
            )
        try:
            actions.do_assign_phone(
                phone,
                holder_name=text(row.get("usuario")),
                unit=unit,
                acta_entrega=text(call.data.get("acta_entrega")),
                instance=call.instance,
                ticket=ticket,
                actor=call.actor,
                check=False,
            )
        except Conflict as exc:
            raise InvalidInput(
                errors={"equipos_configurados": [f"Fila {i}: {exc.message}"]}
            ) from exc
        assigned.append(serial)
    return Outcome.applied(assigned=assigned)


def handle_phone_acta_asignacion(call: EffectCall) -> Outcome:
    """Activity 15: the acta's four signatures on every phone the instance assigned."""
    acta = text(call.step_data(12).get("numero_acta")) or text(call.data.get("acta_asignacion"))
    delivery = call.step_data(14)
    signatures = {
        key: {
            "name": text(call.data.get(f"firma_{key}_nombre")),
            "date": as_date(call.data.get(f"firma_{key}"), f"firma_{key}"),
        }
        for key, _ in ACTA_SIGNERS
    }
    phones = PhoneEquipment.objects.filter(
        assignments__instance=call.instance, assignments__returned_on__isnull=True
    ).distinct()
    signed = []
    for phone in phones:
        try:
            actions.do_record_acta_asignacion(
                phone,
                acta_asignacion=acta,
                signatures=signatures,
                delivered_on=as_date(delivery.get("fecha_entrega"), "fecha_entrega"),
                received_by=text(delivery.get("recibido_por")),
                actor=call.actor,
                check=False,
            )
        except InvalidInput as exc:
            # Field names of the action (signatures.usuario.date) → the step's (firma_usuario).
            renamed = {
                "firma_" + key.split(".")[1] + ("_nombre" if key.endswith(".name") else ""): value
                for key, value in exc.errors.items()
                if key.count(".") == 2
            }
            raise InvalidInput(errors=renamed or exc.errors) from exc
        signed.append(phone.serial)
    if not signed:
        return Outcome.skipped("El expediente no tiene equipos asignados.")
    return Outcome.applied(signed=signed, acta=acta)
