"""S04.03.01.02 — baja de cuentas: the steps that remove accounts from the register.

Registered for ``{register: "Registro de cuentas, accesos y privilegios"}`` per step
(``IamConfig.ready``):

- 2 Deshabilitar cuenta…, 15 Eliminar cuenta… (reconciliation): the named accounts found
  active in the register are removed (``do_remove_account``, idempotent); names not in the
  register are listed in the outcome. (Before 15, the HR app records the PST backups.)
- 8 Eliminar el usuario VPN solicitado: the VPN account is removed (idempotent); a name the
  register does not have (a VPN user older than the register) is skipped, said in the outcome.

Activities 3 and 4 (PST backup, physical deletion from the AD) are the HR app's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mapro.organization.models import Person
from mapro.procedures.effects import EffectCall, Outcome

from .. import directory_ops
from ..actions import do_remove_account
from ..models import Account
from .common import ACCESS_KINDS, as_date


def _remove_named(
    call: EffectCall, names: Sequence[tuple[str, str | None, Any]], reason: str, person: Any = None
) -> Outcome:
    removed, not_found = [], []
    touched: list[Account] = []
    ticket = call.ticket
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
            touched.append(
                do_remove_account(
                    account,
                    actor=call.actor,
                    reason=reason,
                    ticket=ticket,
                    instance=call.instance,
                    removed_on=as_date(day),
                )
            )
            removed.append(account.pk)
    return Outcome.applied(
        eliminadas=removed,
        no_registradas=not_found,
        directorio=directory_ops.removed(call, touched),
    )


def disable_accounts(call: EffectCall) -> Outcome:
    """Activity 2: the accounts named as disabled are removed from the register."""
    request = call.step_data(1)
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


def remove_reconciled(call: EffectCall) -> Outcome:
    """Activity 15: accounts found in the reconciliation are removed."""
    items = [i for i in call.data.get("eliminaciones") or [] if isinstance(i, dict)]
    names = [
        (str(i.get("nombre_cuenta") or "").strip(), None, i.get("fecha_eliminacion")) for i in items
    ]
    return _remove_named(call, names, "Validación de altas y bajas (S04.03.01.02, actividad 15)")


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
        ticket=call.ticket,
        instance=call.instance,
        removed_on=as_date(call.data.get("fecha_eliminacion")),
    )
    return Outcome.applied(
        cuenta=account.pk,
        usuario_vpn=account.account_name,
        directorio=directory_ops.removed(call, [account]),
    )
