"""S04.03.01.01 — creación y modificación de cuentas: the steps that write the accounts register.

Registered for ``{register: "Registro de cuentas, accesos y privilegios"}`` per step
(``IamConfig.ready``):

- 2 ¿Cumple con los requisitos?: "Sí" is refused (400 on ``cumple_requisitos``, naming each
  missing item) when ``requirements.missing_requirements`` finds a document missing; "No"
  records the missing items in the outcome. Nothing is written to the register.
- 6 Actualizar accesos y privilegios: each change "actualizado" is granted (privileges, system
  accesses) or noted on the existing account; privilegios no comunes need the SG authorization
  (activity 5) and the acta and cibersoldado evidence.
- 9 Crear cuenta, accesos y privilegios: the accounts are granted (names by the naming rule
  when not given), orden de servicio dates recorded, a password link issued to the actor.
- 15 Crear el usuario VPN solicitado: the VPN account is granted (refused if an active one
  exists: that is activity 14's case), with a password link for the actor.

(Activity 17, the VPN inventory, is in ``vpn_inventory``.)
"""

from __future__ import annotations

from mapro.core.exceptions import InvalidInput
from mapro.organization.models import Person
from mapro.procedures.effects import EffectCall, Outcome

from .. import directory_ops
from ..actions import do_grant_account, do_issue_password_link, do_modify_account
from ..choices import AccountKind, AccountStatus
from ..models import Account
from ..requirements import missing_requirements, requirement_labels
from .common import (
    ACCESS_KINDS,
    as_date,
    authorizing_documents,
    check_requirements,
    errors_on,
    has_mail,
    issue_link,
    person_for_request,
    provided_documents,
    username_of,
)


def check_request_requirements(call: EffectCall) -> Outcome:
    """Activity 2: refuse "Sí" while a required document is missing; name what is missing."""
    request = call.step_data(1)
    kinds = {str(a.get("tipo")) for a in request.get("accesos") or [] if isinstance(a, dict)}
    try:
        missing = missing_requirements(
            str(request.get("regimen") or ""), kinds, provided_documents(call, verified=False)
        )
    except ValueError:
        raise InvalidInput(errors={"regimen": ["Régimen de contratación desconocido."]}) from None
    labels = requirement_labels(missing)
    if call.data.get("cumple_requisitos") == "si" and missing:
        raise InvalidInput(
            errors={
                "cumple_requisitos": [
                    "La solicitud no cumple con los requisitos; devuélvala. Falta: "
                    + "; ".join(labels)
                    + "."
                ]
            }
        )
    return Outcome.applied(requisitos_faltantes=missing, faltantes=labels)


@errors_on("cuentas")
def create_accounts(call: EffectCall) -> Outcome:
    """Activity 9: grant the accounts, accesses and privileges; issue the password link."""
    request = call.step_data(1)
    items = [i for i in call.data.get("cuentas") or [] if isinstance(i, dict)]
    kinds = {str(i.get("tipo")) for i in items}
    unknown = kinds - set(ACCESS_KINDS)
    if unknown:
        raise InvalidInput(errors={"cuentas": [f"Tipo desconocido: {', '.join(sorted(unknown))}."]})
    check_requirements(call, kinds, "cuentas")
    regime = str(request.get("regimen") or "")
    start = end = None
    if regime == "orden_servicio":
        start = as_date(call.data.get("fecha_alta")) or as_date(
            request.get("fecha_inicio_vigencia")
        )
        end = as_date(call.data.get("fecha_baja")) or as_date(request.get("fecha_fin_vigencia"))
        if start is None or end is None:
            raise InvalidInput(
                errors={
                    "fecha_baja": ["Indique las fechas de alta y baja de la orden de servicio."]
                }
            )
    person = person_for_request(call)
    details = {
        str(a.get("tipo")): str(a.get("detalle") or "")
        for a in request.get("accesos") or []
        if isinstance(a, dict)
    }
    documents = authorizing_documents(call)
    ticket = call.ticket
    created: list[Account] = []
    for item in items:
        tipo = str(item["tipo"])
        kind, privilege = ACCESS_KINDS[tipo]
        detail = str(item.get("detalle") or details.get(tipo) or "")
        name = str(item.get("nombre_cuenta") or "").strip() or None
        if kind == AccountKind.PRIVILEGIO and name is None:
            name = _network_name(person) or None
        account = do_grant_account(
            person,
            actor=call.actor,
            kind=kind,
            account_name=name,
            system_name=detail if kind == AccountKind.SISTEMA else "",
            privilege=privilege,
            regime=regime or None,
            service_start=start,
            service_end=end,
            authorizing_documents=documents,
            ticket=ticket,
            instance=call.instance,
            notes=detail if kind != AccountKind.SISTEMA else "",
        )
        created.append(account)
    return Outcome.applied(
        cuentas=[a.pk for a in created],
        nombres=[a.account_name for a in created],
        directorio=directory_ops.granted(call, created),
        **issue_link(call, created),
    )


def _network_name(person: Person) -> str:
    account = Account.objects.filter(
        person=person, kind=AccountKind.RED, status=AccountStatus.ACTIVA
    ).first()
    return account.account_name if account else ""


@errors_on("cambios")
def update_accesses(call: EffectCall) -> Outcome:
    """Activity 6: apply each change marked "actualizado"; list those not granted."""
    changes = [c for c in call.data.get("cambios") or [] if isinstance(c, dict)]
    granted = [c for c in changes if c.get("resultado") == "actualizado"]
    kinds = {str(c.get("tipo")) for c in granted}
    unknown = kinds - set(ACCESS_KINDS)
    if unknown:
        raise InvalidInput(errors={"cambios": [f"Tipo desconocido: {', '.join(sorted(unknown))}."]})
    if not granted:
        return Outcome.applied(actualizados=[], no_otorgados=len(changes))
    check_requirements(call, kinds, "cambios")
    person = person_for_request(call)
    regime = str(call.step_data(1).get("regimen") or "") or None
    documents, ticket = authorizing_documents(call), call.ticket
    touched: list[int] = []
    for change in granted:
        kind, privilege = ACCESS_KINDS[str(change["tipo"])]
        name = str(change.get("nombre_cuenta") or "").strip()
        detail = str(change.get("detalle") or "")
        existing = Account.objects.filter(
            person=person,
            kind=kind,
            status=AccountStatus.ACTIVA,
            privilege=privilege,
            **({"account_name": name} if name and kind != AccountKind.PRIVILEGIO else {}),
            **({"system_name": detail} if kind == AccountKind.SISTEMA and detail else {}),
        ).first()
        if existing is not None:
            account = do_modify_account(
                existing,
                actor=call.actor,
                add_documents=documents,
                ticket=ticket,
                instance=call.instance,
            )
        else:
            account = do_grant_account(
                person,
                actor=call.actor,
                kind=kind,
                account_name=name or _network_name(person) or None,
                system_name=(detail or "(sin detalle)") if kind == AccountKind.SISTEMA else "",
                privilege=privilege,
                regime=regime,
                service_start=person.valid_from if regime == "orden_servicio" else None,
                service_end=person.valid_until if regime == "orden_servicio" else None,
                authorizing_documents=documents,
                ticket=ticket,
                instance=call.instance,
            )
        touched.append(account.pk)
    directory = directory_ops.granted(
        call, [a for a in Account.objects.filter(pk__in=touched) if a.kind != AccountKind.RED]
    )
    return Outcome.applied(
        actualizados=touched, no_otorgados=len(changes) - len(granted), directorio=directory
    )


@errors_on("usuario_vpn")
def create_vpn_user(call: EffectCall) -> Outcome:
    """Activity 15: grant the VPN user (not if the inventory already has it active)."""
    name = str(call.data.get("usuario_vpn") or "").strip()
    if not name:
        raise InvalidInput(errors={"usuario_vpn": ["Indique el usuario VPN creado."]})
    person = person_for_request(call)
    clash = Account.objects.vpn().active().filter(account_name=name).first()
    clash = clash or Account.objects.vpn().active().filter(person=person).first()
    if clash is not None:
        raise InvalidInput(
            errors={
                "usuario_vpn": [
                    f"El usuario VPN «{clash.account_name}» ya existe en el inventario de usuarios "
                    "activos: corresponde notificarlo (actividad 14)."
                ]
            }
        )
    check_requirements(call, {"vpn"}, "usuario_vpn")
    regime = str(call.data.get("modalidad_contrato") or call.step_data(1).get("regimen") or "")
    os_dates = regime == "orden_servicio"
    account = do_grant_account(
        person,
        actor=call.actor,
        kind=AccountKind.VPN,
        account_name=name,
        regime=regime or None,
        service_start=person.valid_from if os_dates else None,
        service_end=person.valid_until if os_dates else None,
        authorizing_documents=authorizing_documents(call),
        ticket=call.ticket,
        instance=call.instance,
        notes=f"Usuario de red: {call.data.get('usuario_red', '')}",
    )
    do_issue_password_link(account, actor=call.actor, recipient=call.actor)
    network_user = str(call.data.get("usuario_red") or "").strip()
    return Outcome.applied(
        cuenta=account.pk,
        usuario_vpn=account.account_name,
        directorio=directory_ops.granted(call, [account], network_user=network_user),
        destinatario=username_of(call),
        enlace_por_correo=has_mail(call.actor),
    )
