"""The HR leaver alert: verify, refuse (audited) or process once per event id.

``do_receive_leaver_alert`` is the whole webhook; the API view only hands it the raw body and
the two headers and renders what it returns or raises.

Exactly once: the ``LeaverEvent`` row is inserted first, in the transaction that then starts
the procedure and disables the accounts. Its ``event_id`` is unique, so a second delivery of
the same event either finds the row (sequential retries) or, when both arrive together, waits
on the unique index until the first transaction commits and then fails to insert
(``IntegrityError``, caught inside a savepoint by ``get_or_create``) and reads the first one's
row: one instance, one removal of each account, however many deliveries. If the first
transaction rolls back, nothing of it remains and the next delivery does the work.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import InvalidInput
from mapro.iam.actions import do_remove_account
from mapro.iam.choices import AccountKind, Privilege
from mapro.iam.selectors import accounts_of
from mapro.organization.models import Person
from mapro.procedures.actions import do_start_instance
from mapro.procedures.exceptions import ProcedureNotFound, ProcedureNotPublished

from .. import signing
from ..choices import START_FOR_KIND, LeaverKind, LeaverOrigin
from ..exceptions import EventIdReused, UnknownPerson, WebhookUnauthorized, WebhookUnavailable
from ..models import LeaverEvent

logger = logging.getLogger(__name__)

PROCEDURE_CODE = "S04.03.01.02"
REFUSE_ACTION = "leaver_event.refuse"
PAYLOAD_FIELDS = ("event_id", "dni", "date", "kind", "origin")


@dataclass(frozen=True)
class LeaverPayload:
    """The validated body of a leaver alert."""

    event_id: str
    dni: str
    date: datetime.date
    kind: str
    origin: str


@dataclass(frozen=True)
class LeaverReceipt:
    """What a delivery did: ``duplicate`` when the event had already been received."""

    event: LeaverEvent
    duplicate: bool


def parse_leaver_payload(body: bytes) -> LeaverPayload:
    """The alert's fields, or InvalidInput naming each bad one (``cuerpo`` when not JSON)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            "El cuerpo no es JSON válido.", errors={"cuerpo": ["El cuerpo no es JSON válido."]}
        ) from exc
    if not isinstance(data, dict):
        raise InvalidInput(errors={"cuerpo": ["El cuerpo debe ser un objeto JSON."]})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(PAYLOAD_FIELDS))
    if unknown:
        errors["cuerpo"] = [f"Campos desconocidos: {', '.join(unknown)}."]

    def text(name: str) -> str:
        value = data.get(name)
        return value.strip() if isinstance(value, str) else ""

    event_id = text("event_id")
    if not event_id:
        errors["event_id"] = ["Indique el id del evento del sistema de Recursos Humanos."]
    elif len(event_id) > 100:
        errors["event_id"] = ["El id del evento admite hasta 100 caracteres."]
    dni = text("dni")
    if not (len(dni) == 8 and dni.isdigit()):
        errors["dni"] = ["Indique el DNI de la persona: exactamente 8 dígitos."]
    day = None
    try:
        day = datetime.date.fromisoformat(text("date"))
    except ValueError:
        errors["date"] = ["Indique la fecha de cese o baja (AAAA-MM-DD)."]
    kind = text("kind")
    if kind not in LeaverKind.values:
        errors["kind"] = [f"Tipo desconocido; use uno de: {', '.join(LeaverKind.values)}."]
    origin = text("origin")
    if origin and origin not in LeaverOrigin.values:
        errors["origin"] = [f"Origen desconocido; use: {', '.join(LeaverOrigin.values)}."]
    if errors or day is None:
        raise InvalidInput(errors=errors)
    return LeaverPayload(event_id, dni, day, kind, origin)


#: Unauthenticated refusals (no or bad signature, no secret) of one address and reason are
#: audited once per this window; the others only go to the log (an anonymous flood must not
#: grow the append-only audit table).
ANONYMOUS_REFUSAL_WINDOW = datetime.timedelta(minutes=10)


def _already_audited(status: int, code: str) -> bool:
    """True when this address's unsigned refusal of this reason is audited within the window."""
    from mapro.audit.models import AuditEvent
    from mapro.core.context import current_context

    return AuditEvent.objects.filter(
        action=REFUSE_ACTION,
        client_address=current_context().client_address,
        occurred_at__gte=timezone.now() - ANONYMOUS_REFUSAL_WINDOW,
        after__estado_http=status,
        after__codigo=code,
    ).exists()


def _refuse(status: int, reason: str, digest: str, **details: Any) -> None:
    """Audit a refused delivery, in its own transaction (it must outlive the refusal). The
    record says why and what was received (size and SHA-256), never the secret or the
    signature; the request id, client address and source come from the request context.
    Unsigned refusals (401, 503) are audited once per address, reason and
    ``ANONYMOUS_REFUSAL_WINDOW``; the repeats are logged only."""
    code = str(details.get("codigo") or "")
    if status in (401, 503) and _already_audited(status, code):
        logger.warning("HR leaver alert refused (%s, repeated, not audited): %s", status, reason)
        return
    with transaction.atomic():
        record_event(
            actor=None,
            action=REFUSE_ACTION,
            object_type="hr.leaverevent",
            object_id=str(details.get("evento") or "")[:64],
            object_repr="Alerta de baja rechazada",
            after={"estado_http": status, "motivo": reason, "sha256_cuerpo": digest, **details},
        )
    logger.warning("HR leaver alert refused (%s): %s", status, reason)


def _accounts_to_disable(person: Person, kind: str) -> Any:
    """The person's active accounts an alert of ``kind`` removes: ``cuentas`` every account,
    access and privilege but VPN (the VPN start removes those), ``accesos`` system accesses,
    ``privilegios`` the privilegios no comunes but VPN, ``vpn`` the VPN users."""
    active = accounts_of(person, active_only=True)
    vpn = Q(kind=AccountKind.VPN) | Q(kind=AccountKind.PRIVILEGIO, privilege=Privilege.VPN)
    if kind == LeaverKind.VPN:
        return active.filter(vpn)
    if kind == LeaverKind.ACCESOS:
        return active.filter(kind=AccountKind.SISTEMA)
    if kind == LeaverKind.PRIVILEGIOS:
        return active.filter(kind=AccountKind.PRIVILEGIO).exclude(vpn)
    return active.exclude(vpn)


def _disable_accounts(person: Person, payload: LeaverPayload, instance: Any) -> list[str]:
    reason = (
        f"Baja o cese registrado en el sistema de Recursos Humanos (alerta {payload.event_id}, "
        f"fecha de cese {payload.date.isoformat()})."
    )
    disabled = []
    for account in _accounts_to_disable(person, payload.kind).order_by("id"):
        removed = do_remove_account(account, actor=None, reason=reason, instance=instance)
        disabled.append(f"{removed.account_name} ({removed.get_kind_display()})")
    return disabled


def _start_instance(person: Person, payload: LeaverPayload) -> Any:
    initial = {
        "dni": person.dni,
        "nombres_apellidos": person.full_name,
        "fecha_cese": payload.date.isoformat(),
        "alerta": payload.event_id,
    }
    if payload.origin:
        initial["origen"] = payload.origin
    try:
        return do_start_instance(
            PROCEDURE_CODE,
            start=START_FOR_KIND[LeaverKind(payload.kind)],
            data=initial,
            unit=person.unit,
            actor=None,
            system=True,
        )
    except (ProcedureNotFound, ProcedureNotPublished) as exc:
        raise WebhookUnavailable(
            f"El procedimiento {PROCEDURE_CODE} no está publicado; reintente más tarde."
        ) from exc


def do_receive_leaver_alert(
    body: bytes, *, timestamp: str | None, signature: str | None
) -> LeaverReceipt:
    """Process one delivery of the HR leaver webhook, as the system (the signature is the
    caller's authentication).

    Refusals are audited (``leaver_event.refuse``) and raised, with nothing else changed:
    bad or missing signature, stale timestamp (WebhookUnauthorized, 401); body not JSON or a
    bad field (InvalidInput, 400); a DNI of nobody registered (UnknownPerson, 422); the event
    id reused with another body (EventIdReused, 409); procedure not published
    (WebhookUnavailable, 503). A new event starts S04.03.01.02 at the start its kind names
    (``START_FOR_KIND``), disables the person's accounts of that kind through
    ``mapro.iam.actions.do_remove_account`` and records ``leaver_event.receive``; a known one
    records ``leaver_event.duplicate`` and returns the first delivery's event.
    """
    digest = hashlib.sha256(body).hexdigest()
    try:
        signing.verify(body, timestamp, signature)
    except signing.SignatureRefused as exc:
        status = 503 if exc.code == "sin_secreto" else 401
        _refuse(status, exc.reason, digest, codigo=exc.code, bytes=len(body))
        if status == 503:
            raise WebhookUnavailable(exc.reason) from exc
        raise WebhookUnauthorized(exc.reason) from exc
    try:
        payload = parse_leaver_payload(body)
    except InvalidInput as exc:
        _refuse(400, exc.message, digest, errores=exc.errors, bytes=len(body))
        raise
    person = Person.objects.select_related("unit").filter(dni=payload.dni).first()
    if person is None:
        reason = f"No hay una persona registrada con el DNI {payload.dni}."
        _refuse(422, reason, digest, evento=payload.event_id, dni=payload.dni)
        raise UnknownPerson(reason, errors={"dni": [reason]})
    try:
        return _receive(payload, person, digest)
    except (EventIdReused, WebhookUnavailable) as exc:
        _refuse(exc.status_code, exc.message, digest, evento=payload.event_id)
        raise


def _receive(payload: LeaverPayload, person: Person, digest: str) -> LeaverReceipt:
    with transaction.atomic():
        try:
            event, created = LeaverEvent.objects.get_or_create(
                event_id=payload.event_id,
                defaults={
                    "person": person,
                    "dni": person.dni,
                    "kind": payload.kind,
                    "leaving_date": payload.date,
                    "origin": payload.origin,
                    "received_at": timezone.now(),
                    "body_sha256": digest,
                },
            )
        except IntegrityError:  # pragma: no cover - get_or_create retries the read itself
            event, created = LeaverEvent.objects.get(event_id=payload.event_id), False
        if not created:
            if event.body_sha256 != digest:
                raise EventIdReused()
            record_event(
                actor=None,
                action="leaver_event.duplicate",
                obj=event,
                after={"evento": event.event_id, "sha256_cuerpo": digest},
            )
            return LeaverReceipt(event, duplicate=True)
        instance = _start_instance(person, payload)
        event.instance = instance
        event.accounts_disabled = _disable_accounts(person, payload, instance)
        event.save(update_fields=["instance", "accounts_disabled"])
        record_event(
            actor=None,
            action="leaver_event.receive",
            obj=event,
            after={
                "evento": event.event_id,
                "dni": event.dni,
                "tipo": event.kind,
                "fecha_cese": event.leaving_date,
                "origen": event.origin,
                "expediente": instance.pk,
                "inicio": instance.start_key,
                "cuentas_deshabilitadas": event.accounts_disabled,
            },
        )
    return LeaverReceipt(event, duplicate=False)
