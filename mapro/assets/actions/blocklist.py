"""Actions on the block list of spam and phishing cases (S04.04.00.02)."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event, snapshot
from mapro.core.exceptions import Conflict, InvalidInput

from ..access import BLOCK_MANAGERS, check_manager
from ..choices import BlockKind, MailCaseKind
from ..models import BlockEntry
from .common import require, text

#: MINDEF's own mail domain: blocking it (or a subdomain) would cut off MINDEF's own mail.
OWN_DOMAINS = ("mindef.gob.pe",)
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$)(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$")
ENTRY_FIELDS = ("kind", "value", "case_kind", "ticket", "active")


def _domain(value: str) -> str:
    value = value.strip().rstrip(".").lower()
    try:
        ascii_value = value.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError("Dominio no válido.") from exc
    if not _DOMAIN.match(ascii_value):
        raise ValueError("Dominio no válido (p. ej. «ejemplo.com»).")
    if any(ascii_value == own or ascii_value.endswith("." + own) for own in OWN_DOMAINS):
        raise ValueError("No se puede bloquear el dominio del MINDEF.")
    return ascii_value


def normalize_block_value(kind: str, value: Any) -> str:
    """The canonical form of ``value`` for ``kind``; ValueError with a Spanish message when it
    is not a valid sender account, domain, http(s) URL or *public* IPv4/IPv6 address."""
    raw = text(value)
    if not raw:
        raise ValueError("Indique el valor a bloquear.")
    if kind == BlockKind.CUENTA:
        try:
            EmailValidator()(raw)
        except ValidationError as exc:
            raise ValueError("Cuenta de correo no válida.") from exc
        local, _, domain = raw.rpartition("@")
        return f"{local.lower()}@{_domain(domain)}"
    if kind == BlockKind.DOMINIO:
        return _domain(raw)
    if kind == BlockKind.ENLACE:
        try:
            URLValidator(schemes=["http", "https"])(raw)
        except ValidationError as exc:
            raise ValueError("URL no válida (debe empezar con http:// o https://).") from exc
        parts = urlsplit(raw)
        return urlunsplit(
            (parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment)
        )
    if kind == BlockKind.IP:
        try:
            address = ipaddress.ip_address(raw)
        except ValueError as exc:
            raise ValueError("Dirección IP no válida.") from exc
        if not address.is_global:
            raise ValueError(f"{address} no es una dirección IP pública.")
        return address.compressed
    raise ValueError("Tipo no válido: «cuenta», «dominio», «enlace» o «ip».")


def active_entry(kind: str, value: str) -> BlockEntry | None:
    return BlockEntry.objects.filter(kind=kind, value=value, active=True).first()


@transaction.atomic
def do_add_block(
    *,
    kind: str,
    value: Any,
    case_kind: str = "",
    instance: Any = None,
    ticket: str = "",
    notes: str = "",
    actor: Any,
    check: bool = True,
) -> BlockEntry:
    """Block a sender account, domain, URL or public IP because of a case. 400 naming the
    field for an invalid value or type; 409 when the value is already blocked (active)."""
    check_manager(actor, BLOCK_MANAGERS, check=check)
    require({"kind": kind}, {"kind": "Indique el tipo de bloqueo."})
    if kind not in BlockKind.values:
        raise InvalidInput(
            errors={"kind": ["Tipo no válido: «cuenta», «dominio», «enlace» o «ip»."]}
        )
    if case_kind and case_kind not in MailCaseKind.values:
        raise InvalidInput(errors={"case_kind": ["Tipo de caso no válido: «spam» o «phishing»."]})
    try:
        normalized = normalize_block_value(kind, value)
    except ValueError as exc:
        raise InvalidInput(errors={"value": [str(exc)]}) from exc
    if not ticket and instance is None:
        raise InvalidInput(
            errors={"ticket": ["Indique el caso que origina el bloqueo (ticket o expediente)."]}
        )
    existing = active_entry(kind, normalized)
    message = f"{normalized} ya está bloqueado (entrada N° {existing.pk if existing else '?'})."
    if existing is not None:
        raise Conflict(message)
    try:
        with transaction.atomic():
            entry = BlockEntry.objects.create(
                kind=kind,
                value=normalized,
                case_kind=case_kind,
                instance=instance,
                ticket=text(ticket, 50),
                notes=text(notes),
                created_by=actor,
                created_by_name=actor_name(actor),
            )
    except IntegrityError as exc:
        raise Conflict(f"{normalized} ya está bloqueado.") from exc
    record_event(actor=actor, action="block.add", obj=entry, after=snapshot(entry, ENTRY_FIELDS))
    return entry


@transaction.atomic
def do_deactivate_block(
    entry: BlockEntry, *, reason: str, actor: Any, check: bool = True
) -> BlockEntry:
    """Lift a block, with the reason (the entry stays in the list as inactive)."""
    check_manager(actor, BLOCK_MANAGERS, check=check)
    reason = text(reason)
    require({"reason": reason}, {"reason": "Indique el motivo de la desactivación."})
    entry = BlockEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.active:
        raise Conflict(f"La entrada N° {entry.pk} ya estaba desactivada.")
    entry.active = False
    entry.deactivated_at = timezone.now()
    entry.deactivated_by_name = actor_name(actor)
    entry.deactivation_reason = reason
    entry.save()
    record_event(
        actor=actor,
        action="block.deactivate",
        obj=entry,
        before={"active": True},
        after={"active": False, "deactivation_reason": reason},
    )
    return entry
