"""What the steps of S04.03.01.01 and S04.03.01.02 read from their instance: the request's
person (registered from the request when missing), the documents it brings, the requirements of
the accesses asked for, and the password link of a new account.

The person of S04.03.01.01 is the organization's Person with the request's DNI; a person not
yet registered (typically an orden de servicio contractor) is registered from the request
(names split as "nombres apellido1 apellido2", unit of the instance, regime and validity).
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.organization.actions import do_create_person
from mapro.organization.models import Person
from mapro.procedures.effects import EffectCall, Handler, Outcome

from ..actions import do_issue_password_link
from ..choices import AccountKind
from ..models import Account
from ..requirements import missing_requirements, requirement_labels

ACCOUNTS_REGISTER = "Registro de cuentas, accesos y privilegios"
VPN_INVENTORY = "Inventario de usuarios VPN"
VPN_CREATED = "Registro de usuarios VPN creados"
VPN_REMOVED = "Registro de usuarios VPN eliminados"
CREATION, REMOVAL = "S04.03.01.01", "S04.03.01.02"

#: The ficha's access ``tipo`` → (account kind, privilege).
ACCESS_KINDS: dict[str, tuple[str, str]] = {
    "red": (AccountKind.RED, ""),
    "correo": (AccountKind.CORREO, ""),
    "sistema": (AccountKind.SISTEMA, ""),
    "vpn": (AccountKind.VPN, ""),
    "redes_sociales": (AccountKind.PRIVILEGIO, "redes_sociales"),
    "usb": (AccountKind.PRIVILEGIO, "usb"),
    "periferico": (AccountKind.PRIVILEGIO, "perifericos"),
    "otro_no_comun": (AccountKind.PRIVILEGIO, "otro"),
}
#: Kinds whose creation comes with an initial password, in order of preference.
PASSWORD_KINDS = (AccountKind.RED, AccountKind.CORREO, AccountKind.SISTEMA)


def errors_on(target: str) -> Any:
    """Decorate a step handler so that the register's field errors (``account_name``…) move to
    the step's form field that carries them (``cuentas``, ``cambios``, ``usuario_vpn``): the
    form shows them next to a field the user can change."""

    def decorator(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def wrapper(call: EffectCall) -> Outcome | None:
            try:
                return handler(call)
            except InvalidInput as exc:
                fields = set((call.activity.get("form") or {}).get("properties") or {})
                if set(exc.errors) <= fields:
                    raise
                errors: dict[str, list[str]] = {}
                for name, messages in exc.errors.items():
                    listed = messages if isinstance(messages, list) else [messages]
                    errors.setdefault(name if name in fields else target, []).extend(
                        map(str, listed)
                    )
                raise InvalidInput(exc.message, errors=errors) from exc

        return wrapper

    return decorator


def as_date(value: Any) -> datetime.date | None:
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _split_names(full: str) -> tuple[str, str]:
    words = full.split()
    if len(words) >= 3:
        return " ".join(words[:-2]), " ".join(words[-2:])
    if len(words) == 2:
        return words[0], words[1]
    raise InvalidInput(errors={"nombres_apellidos": ["Indique nombres y apellidos del usuario."]})


def person_for_request(call: EffectCall) -> Person:
    """The Person of the request (activity 1) by DNI, registered from the request if missing."""
    request = call.step_data(1)
    dni = str(request.get("dni") or "").strip()
    person = Person.objects.select_related("unit").filter(dni=dni).first() if dni else None
    if person is not None:
        return person
    if not dni.isdigit() or len(dni) != 8:
        raise InvalidInput(errors={"dni": ["El DNI de la solicitud debe tener 8 dígitos."]})
    unit = call.instance.unit
    if unit is None:
        raise InvalidInput(errors={"dni": ["La solicitud no tiene unidad de organización."]})
    first, last = _split_names(str(request.get("nombres_apellidos") or ""))
    regime = str(request.get("regimen") or "cas")
    os_dates = regime == "orden_servicio"
    return do_create_person(
        actor=None,
        dni=dni,
        first_name=first,
        last_name=last,
        unit=unit,
        regime=regime,
        cargo=str(request.get("cargo") or ""),
        valid_from=as_date(request.get("fecha_inicio_vigencia")) if os_dates else None,
        valid_until=as_date(request.get("fecha_fin_vigencia")) if os_dates else None,
    )


def provided_documents(call: EffectCall, *, verified: bool) -> set[str]:
    """Requirement keys the request and its verification steps bring."""
    request, desk = call.step_data(1), call.step_data(2)
    provided = set()
    if request.get("copia_orden_servicio"):
        provided.add("orden_servicio")
    if request.get("copia_contrato_resolucion"):
        provided.add("contrato_resolucion")
    if request.get("acta_aceptacion_riesgos"):
        provided.add("acta_aceptacion_riesgos")
    if request.get("evidencia_cibersoldado"):
        provided.add("cibersoldado")
    dni = str(request.get("dni") or "").strip()
    if desk.get("registrado_mindef") is True or (dni and Person.objects.filter(dni=dni).exists()):
        provided.add("registro_mindef")
    if verified:
        check, modification = call.step_data(7), call.step_data(5)
        if check.get("acta_firmada_director_usuario") is True:
            provided.add("acta_firmada")
        if check.get("adjunto_cibersoldado") is True:
            provided.add("cibersoldado")
        if check.get("autorizacion_sg") or modification.get("autorizacion_sg"):
            provided.add("autorizacion_sg")
        # The modification path (5 → 6) verifies the acta at activity 5, which has no
        # "signed" field: the attached acta stands for it there.
        if modification and not check and "acta_aceptacion_riesgos" in provided:
            provided.add("acta_firmada")
    return provided


def authorizing_documents(call: EffectCall) -> list[str]:
    """References of the documents that authorise the grant (SGSI-FOR-027, orden, ticket…)."""
    request, check, modification = call.step_data(1), call.step_data(7), call.step_data(5)
    refs = [f"Expediente {call.instance.pk} ({call.instance.procedure_code})"]
    ticket = call.ticket
    if ticket is not None:
        refs.append(f"Ticket {ticket.number}")
    named = (
        ("Orden de servicio", request.get("copia_orden_servicio")),
        ("Contrato o resolución de designación", request.get("copia_contrato_resolucion")),
        ("Acta de aceptación de riesgos SGSI-FOR-027", request.get("acta_aceptacion_riesgos")),
        ("Curso de cibersoldado", request.get("evidencia_cibersoldado")),
        ("Documento del requerimiento", request.get("documento")),
        ("Autorización del Secretario General", check.get("autorizacion_sg")),
        ("Autorización del Secretario General", modification.get("autorizacion_sg")),
    )
    refs += [f"{label}: {value}" for label, value in named if value]
    return refs


def check_requirements(call: EffectCall, kinds: set[str], field: str) -> None:
    regime = str(call.step_data(1).get("regimen") or "")
    try:
        missing = missing_requirements(
            regime, kinds, provided_documents(call, verified=True), verified=True
        )
    except ValueError:
        raise InvalidInput(errors={"regimen": ["Régimen de contratación desconocido."]}) from None
    if missing:
        raise InvalidInput(
            errors={
                field: [f"No se puede otorgar: falta {m}." for m in requirement_labels(missing)]
            }
        )


def issue_link(call: EffectCall, accounts: list[Account]) -> dict[str, Any]:
    for kind in PASSWORD_KINDS:
        target = next((a for a in accounts if a.kind == kind), None)
        if target is not None:
            do_issue_password_link(target, actor=call.actor, recipient=call.actor)
            return {
                "enlace_contrasena": target.account_name,
                "destinatario": username_of(call),
                "enlace_por_correo": has_mail(call.actor),
            }
    return {}


def has_mail(user: Any) -> bool:
    person = getattr(user, "person", None)
    return bool((person.email if person else "") or getattr(user, "email", ""))


def username_of(call: EffectCall) -> str:
    return call.actor.get_username() if call.actor is not None else "sistema"
