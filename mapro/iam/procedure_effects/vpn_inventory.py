"""The VPN inventory and its records, for both procedures.

- ``{register: "Inventario de usuarios VPN"}``: S04.03.01.01 activity 17 — each listed VPN user
  must be in the register as created; S04.03.01.02 activity 9 — the listed users found removed
  get the instance, the others are listed.
- ``{document: "Registro de usuarios VPN creados|eliminados"}``: the inventory's list of
  creations or removals for the period of the listed users (XLSX address in the outcome).
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from ..choices import AccountStatus
from ..models import Account
from .common import REMOVAL, VPN_REMOVED


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
