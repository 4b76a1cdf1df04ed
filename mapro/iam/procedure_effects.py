"""The procedure steps that write the accounts register and the VPN inventory.

Registered in ``IamConfig.ready`` for three ficha effects:

- ``{register: "Registro de cuentas, accesos y privilegios"}`` → ``handle_accounts_register``,
  which hands the step to the function for its (procedure, activity) in ``STEP_HANDLERS``.
- ``{register: "Inventario de usuarios VPN"}`` → ``handle_vpn_inventory``.
- ``{document: "Registro de usuarios VPN creados"}`` / ``eliminados`` → ``handle_vpn_record``.

**Other apps plug in per step, not per register.** One handler per register value is allowed by
``mapro.procedures.effects``; an app that keeps part of a step's record (the HR app: the PST
backup, activity 3 of S04.03.01.02, and the physical deletion, activity 4) calls
``register_account_step("S04.03.01.02", 3, handler)`` in its ``ready()``; its handler receives
the same ``EffectCall`` and returns an ``Outcome``. Steps nobody handles are skipped (kept in
the step history only).

Steps handled here (actor: the user who completed the step; the engine checked the role):

S04.03.01.01
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
- 17 (inventory) each listed VPN user must be in the register as created.

S04.03.01.02
- 2 Deshabilitar cuenta…, 15 Eliminar cuenta… (reconciliation): the named accounts found
  active in the register are removed (``do_remove_account``, idempotent); names not in the
  register are listed in the outcome.
- 8 Eliminar el usuario VPN solicitado: the VPN account is removed (idempotent); a name the
  register does not have (a VPN user older than the register) is skipped, said in the outcome.
- 9 (inventory) the listed VPN users found removed get the instance; the others are listed.

The person of S04.03.01.01 is the organization's Person with the request's DNI; a person not
yet registered (typically an orden de servicio contractor) is registered from the request
(names split as "nombres apellido1 apellido2", unit of the instance, regime and validity).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.urls import reverse

from mapro.core.exceptions import InvalidInput
from mapro.organization.actions import do_create_person
from mapro.organization.models import Person
from mapro.procedures.effects import EffectCall, Outcome

from .actions import do_grant_account, do_issue_password_link, do_modify_account, do_remove_account
from .choices import AccountKind, AccountStatus
from .models import Account
from .requirements import missing_requirements, requirement_labels

ACCOUNTS_REGISTER = "Registro de cuentas, accesos y privilegios"
VPN_INVENTORY = "Inventario de usuarios VPN"
VPN_CREATED = "Registro de usuarios VPN creados"
VPN_REMOVED = "Registro de usuarios VPN eliminados"
CREATION, REMOVAL = "S04.03.01.01", "S04.03.01.02"

StepHandler = Callable[[EffectCall], Outcome | None]
#: The steps this module handles by default, and those other apps plugged in (which win).
STEP_HANDLERS: dict[tuple[str, int], StepHandler] = {}
PLUGGED_STEPS: dict[tuple[str, int], StepHandler] = {}
#: Where a step's register errors go on its form (see ``_on_form_fields``).
STEP_ERROR_FIELD: dict[tuple[str, int], str] = {
    ("S04.03.01.01", 6): "cambios",
    ("S04.03.01.01", 9): "cuentas",
    ("S04.03.01.01", 15): "usuario_vpn",
}

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


def register_account_step(code: str, n: int, handler: StepHandler) -> None:
    """Let ``handler`` write the register for activity ``n`` of procedure ``code``.

    It replaces this module's default for that step, if any; plugging a second, different
    handler into the same step is a configuration error (as for effect handlers).
    """
    current = PLUGGED_STEPS.get((code, n))
    if current is not None and current is not handler:
        raise ValueError(f"Ya hay un manejador para {code} actividad {n}: {current!r}.")
    PLUGGED_STEPS[(code, n)] = handler


def _step(code: str, n: int) -> Callable[[StepHandler], StepHandler]:
    def decorator(func: StepHandler) -> StepHandler:
        STEP_HANDLERS[(code, n)] = func
        return func

    return decorator


def handle_accounts_register(call: EffectCall) -> Outcome | None:
    """``{register: "Registro de cuentas, accesos y privilegios"}``: dispatch by step."""
    key = (call.instance.procedure_code, int(call.activity["n"]))
    plugged = PLUGGED_STEPS.get(key)
    if plugged is not None:
        return plugged(call)
    handler = STEP_HANDLERS.get(key)
    if handler is None:
        return Outcome.skipped("Este paso no escribe el registro de cuentas.")
    try:
        return handler(call)
    except InvalidInput as exc:
        raise _on_form_fields(exc, call) from exc


def _on_form_fields(exc: InvalidInput, call: EffectCall) -> InvalidInput:
    """The error with the register's field names (``account_name``…) moved to the step's
    form field that carries them (``cuentas``, ``cambios``, ``usuario_vpn``), so the form shows
    them next to a field the user can change."""
    fields = set((call.activity.get("form") or {}).get("properties") or {})
    target = STEP_ERROR_FIELD.get((call.instance.procedure_code, int(call.activity["n"])))
    if target is None or set(exc.errors) <= fields:
        return exc
    errors: dict[str, list[str]] = {}
    for name, messages in exc.errors.items():
        listed = messages if isinstance(messages, list) else [messages]
        errors.setdefault(name if name in fields else target, []).extend(map(str, listed))
    return InvalidInput(exc.message, errors=errors)


# --- reading the instance --------------------------------------------------------------------


def step_data(call: EffectCall, n: int) -> dict[str, Any]:
    """The data of the last completion of activity ``n`` in this instance (``{}`` if none)."""
    if int(call.activity["n"]) == n:
        return call.data
    record = call.instance.history.filter(n=n).order_by("-completed_at", "-id").first()
    return dict(record.data or {}) if record else {}


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _ticket(call: EffectCall) -> Any:
    from mapro.helpdesk.procedure_effects import linked_ticket

    return linked_ticket(call.instance)


def _split_names(full: str) -> tuple[str, str]:
    words = full.split()
    if len(words) >= 3:
        return " ".join(words[:-2]), " ".join(words[-2:])
    if len(words) == 2:
        return words[0], words[1]
    raise InvalidInput(errors={"nombres_apellidos": ["Indique nombres y apellidos del usuario."]})


def person_for_request(call: EffectCall) -> Person:
    """The Person of the request (activity 1) by DNI, registered from the request if missing."""
    request = step_data(call, 1)
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
        valid_from=_date(request.get("fecha_inicio_vigencia")) if os_dates else None,
        valid_until=_date(request.get("fecha_fin_vigencia")) if os_dates else None,
    )


def provided_documents(call: EffectCall, *, verified: bool) -> set[str]:
    """Requirement keys the request and its verification steps bring."""
    request, desk = step_data(call, 1), step_data(call, 2)
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
        check, modification = step_data(call, 7), step_data(call, 5)
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
    request, check, modification = step_data(call, 1), step_data(call, 7), step_data(call, 5)
    refs = [f"Expediente {call.instance.pk} ({call.instance.procedure_code})"]
    ticket = _ticket(call)
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


def _check_requirements(call: EffectCall, kinds: set[str], field: str) -> None:
    regime = str(step_data(call, 1).get("regimen") or "")
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


def _issue_link(call: EffectCall, accounts: list[Account]) -> dict[str, Any]:
    for kind in PASSWORD_KINDS:
        target = next((a for a in accounts if a.kind == kind), None)
        if target is not None:
            do_issue_password_link(target, actor=call.actor, recipient=call.actor)
            return {
                "enlace_contrasena": target.account_name,
                "destinatario": _username(call),
                "enlace_por_correo": _has_mail(call.actor),
            }
    return {}


def _has_mail(user: Any) -> bool:
    person = getattr(user, "person", None)
    return bool((person.email if person else "") or getattr(user, "email", ""))


def _username(call: EffectCall) -> str:
    return call.actor.get_username() if call.actor is not None else "sistema"


# --- S04.03.01.01 ------------------------------------------------------------------------------


@_step(CREATION, 2)
def check_request_requirements(call: EffectCall) -> Outcome:
    """Activity 2: refuse "Sí" while a required document is missing; name what is missing."""
    request = step_data(call, 1)
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


@_step(CREATION, 9)
def create_accounts(call: EffectCall) -> Outcome:
    """Activity 9: grant the accounts, accesses and privileges; issue the password link."""
    request = step_data(call, 1)
    items = [i for i in call.data.get("cuentas") or [] if isinstance(i, dict)]
    kinds = {str(i.get("tipo")) for i in items}
    unknown = kinds - set(ACCESS_KINDS)
    if unknown:
        raise InvalidInput(errors={"cuentas": [f"Tipo desconocido: {', '.join(sorted(unknown))}."]})
    _check_requirements(call, kinds, "cuentas")
    regime = str(request.get("regimen") or "")
    start = end = None
    if regime == "orden_servicio":
        start = _date(call.data.get("fecha_alta")) or _date(request.get("fecha_inicio_vigencia"))
        end = _date(call.data.get("fecha_baja")) or _date(request.get("fecha_fin_vigencia"))
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
    ticket = _ticket(call)
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
        **_issue_link(call, created),
    )


def _network_name(person: Person) -> str:
    account = Account.objects.filter(
        person=person, kind=AccountKind.RED, status=AccountStatus.ACTIVA
    ).first()
    return account.account_name if account else ""


@_step(CREATION, 6)
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
    _check_requirements(call, kinds, "cambios")
    person = person_for_request(call)
    regime = str(step_data(call, 1).get("regimen") or "") or None
    documents, ticket = authorizing_documents(call), _ticket(call)
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
    return Outcome.applied(actualizados=touched, no_otorgados=len(changes) - len(granted))


@_step(CREATION, 15)
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
    _check_requirements(call, {"vpn"}, "usuario_vpn")
    regime = str(call.data.get("modalidad_contrato") or step_data(call, 1).get("regimen") or "")
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
        ticket=_ticket(call),
        instance=call.instance,
        notes=f"Usuario de red: {call.data.get('usuario_red', '')}",
    )
    do_issue_password_link(account, actor=call.actor, recipient=call.actor)
    return Outcome.applied(
        cuenta=account.pk,
        usuario_vpn=account.account_name,
        destinatario=_username(call),
        enlace_por_correo=_has_mail(call.actor),
    )


# --- S04.03.01.02 ------------------------------------------------------------------------------


def _remove_named(
    call: EffectCall, names: Sequence[tuple[str, str | None, Any]], reason: str, person: Any = None
) -> Outcome:
    removed, not_found = [], []
    ticket = _ticket(call)
    for name, kind, day in names:
        qs = Account.objects.active().filter(account_name=name)
        if kind:
            qs = qs.filter(kind=kind)
        if person is not None:
            qs = qs.filter(person=person)
        found = list(qs)
        if not found:
            not_found.append(name)
        for account in found:
            do_remove_account(
                account,
                actor=call.actor,
                reason=reason,
                ticket=ticket,
                instance=call.instance,
                removed_on=_date(day),
            )
            removed.append(account.pk)
    return Outcome.applied(eliminadas=removed, no_registradas=not_found)


@_step(REMOVAL, 2)
def disable_accounts(call: EffectCall) -> Outcome:
    """Activity 2: the accounts named as disabled are removed from the register."""
    request = step_data(call, 1)
    dni = str(request.get("dni") or "").strip()
    person = Person.objects.filter(dni=dni).first() if dni else None
    items = [i for i in call.data.get("cuentas") or [] if isinstance(i, dict)]
    names = [
        (
            str(i.get("nombre_cuenta") or "").strip(),
            ACCESS_KINDS.get(str(i.get("tipo")), ("", ""))[0] or None,
            i.get("fecha") or request.get("fecha_cese"),
        )
        for i in items
    ]
    reason = f"Cese y/o baja del {request.get('fecha_cese', '')} (S04.03.01.02)".strip()
    if person is None:
        return _remove_named(call, names, reason)
    return _remove_named(call, names, reason, person=person)


@_step(REMOVAL, 15)
def remove_reconciled(call: EffectCall) -> Outcome:
    """Activity 15: accounts found in the reconciliation are removed."""
    items = [i for i in call.data.get("eliminaciones") or [] if isinstance(i, dict)]
    names = [
        (str(i.get("nombre_cuenta") or "").strip(), None, i.get("fecha_eliminacion")) for i in items
    ]
    return _remove_named(call, names, "Validación de altas y bajas (S04.03.01.02, actividad 15)")


@_step(REMOVAL, 8)
def remove_vpn_user(call: EffectCall) -> Outcome:
    """Activity 8: the VPN user is removed; a name not in the inventory is refused."""
    name = str(call.data.get("usuario_vpn") or "").strip()
    account = Account.objects.vpn().filter(account_name=name).order_by("status", "-id").first()
    if account is None:
        # A VPN user created before the register existed: the removal is done outside, and the
        # step's history keeps it; the outcome says the register did not have it.
        return Outcome.skipped(
            f"El usuario VPN «{name}» no figura en el registro de cuentas.", usuario_vpn=name
        )
    account = do_remove_account(
        account,
        actor=call.actor,
        reason="Eliminación de acceso VPN (S04.03.01.02)",
        ticket=_ticket(call),
        instance=call.instance,
        removed_on=_date(call.data.get("fecha_eliminacion")),
    )
    return Outcome.applied(cuenta=account.pk, usuario_vpn=account.account_name)


# --- VPN inventory and its records ------------------------------------------------------------


def _listed_vpn_users(call: EffectCall) -> list[str]:
    return [
        str(i.get("usuario_vpn") or "").strip()
        for i in call.data.get("usuarios_vpn") or []
        if isinstance(i, dict) and str(i.get("usuario_vpn") or "").strip()
    ]


def handle_vpn_inventory(call: EffectCall) -> Outcome:
    """``{register: "Inventario de usuarios VPN"}``: every listed user must be in the register
    as created (S04.03.01.01, 17; refused otherwise); for removals (S04.03.01.02, 9) the users
    the register lacks are listed. The accounts found get the instance."""
    removal = call.instance.procedure_code == REMOVAL
    wanted = AccountStatus.ELIMINADA if removal else AccountStatus.ACTIVA
    names = _listed_vpn_users(call)
    accounts = {
        a.account_name: a
        for a in Account.objects.vpn().filter(account_name__in=names, status=wanted)
    }
    missing = [n for n in names if n not in accounts]
    if missing and removal:
        # Users removed in S04.03.01.02 may predate the register (see ``remove_vpn_user``).
        for account in accounts.values():
            account.instances.add(call.instance)
        return Outcome.applied(
            cuentas=sorted(a.pk for a in accounts.values()), no_registrados=missing
        )
    if missing:
        state = "eliminado" if removal else "creado"
        raise InvalidInput(
            errors={
                "usuarios_vpn": [
                    f"«{n}» no figura como {state} en el inventario de usuarios VPN."
                    for n in missing
                ]
            }
        )
    for account in accounts.values():
        account.instances.add(call.instance)
    return Outcome.applied(cuentas=sorted(a.pk for a in accounts.values()))


def handle_vpn_record(call: EffectCall) -> Outcome:
    """``{document: "Registro de usuarios VPN creados|eliminados"}``: the record is the
    inventory's list of creations or removals for the period of the listed users; the outcome
    keeps its address (XLSX) and the users it covers."""
    removal = call.value == VPN_REMOVED
    names = _listed_vpn_users(call)
    accounts = list(Account.objects.vpn().filter(account_name__in=names))
    days: list[datetime.date] = [
        d for d in (a.removed_on if removal else a.granted_on for a in accounts) if d is not None
    ]
    if not days:
        return Outcome.skipped("Ningún usuario listado figura en el inventario.")
    movement = "eliminados" if removal else "creados"
    url = reverse("iam:vpn_movements_export", kwargs={"movement": movement})
    period = f"desde={min(days).isoformat()}&hasta={max(days).isoformat()}"
    return Outcome.applied(registro=f"{url}?{period}", usuarios=sorted(names))
