"""Read queries of the accounts register; lists and details go through ``visible_accounts``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

from mapro.core.exceptions import NotFound
from mapro.organization.permissions import has_role, unit_scope_q

from .choices import READ_ALL_ROLES, READ_SCOPED_ROLES, AccountStatus
from .models import Account, AccountQuerySet


def accounts_of(person: Any, *, active_only: bool = False) -> AccountQuerySet:
    """The accounts, accesses and privileges of ``person`` (all, or only the active ones).

    No permission check: a lookup for trusted callers (the HR leaver webhook, procedure steps).
    """
    qs = Account.objects.filter(person=person).select_related("person")
    return qs.active() if active_only else qs


def can_read_register(user: Any) -> bool:
    return has_role(user, READ_ALL_ROLES | READ_SCOPED_ROLES)


def visible_accounts(user: Any) -> AccountQuerySet:
    """The accounts ``user`` may read: all for OGTIE readers, their unit's for a director."""
    base = Account.objects.select_related("person", "person__unit")
    if has_role(user, READ_ALL_ROLES):
        return base
    scope = unit_scope_q(user, READ_SCOPED_ROLES, field="person__unit")
    if scope is None:
        return base
    return base.filter(scope) if scope != Q(pk__in=[]) else base.none()


def get_account_for_user(user: Any, pk: Any) -> Account:
    """The account ``pk`` if ``user`` may read it, else NotFound (404)."""
    try:
        return visible_accounts(user).get(pk=int(pk))
    except (Account.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def register_queryset(user: Any) -> AccountQuerySet:
    """``visible_accounts`` with what the register's rows show, prefetched (constant queries)."""
    return visible_accounts(user).prefetch_related("tickets", "instances")


def due_for_removal_count(user: Any) -> int:
    """How many visible accounts are "por eliminar" (orden de servicio past its end date)."""
    return visible_accounts(user).due_for_removal().count()


def vpn_movements(
    user: Any, *, removal: bool, since: Any = None, until: Any = None
) -> AccountQuerySet:
    """The records of VPN users created (or removed) in a period, oldest first."""
    qs = register_queryset(user).vpn()
    field = "removed_on" if removal else "granted_on"
    qs = qs.filter(**{f"{field}__isnull": False})
    if since:
        qs = qs.filter(**{f"{field}__gte": since})
    if until:
        qs = qs.filter(**{f"{field}__lte": until})
    return qs.order_by(field, "id")


# --- for other apps (hr reads the register through these, never its models) -----------------


def active_accounts_with_people() -> AccountQuerySet:
    """Every active account with its person, by person then id (the register side of hr's
    semiannual reconciliation); one query."""
    return Account.objects.active().select_related("person").order_by("person_id", "id")


def accounts_removed_between(start: datetime.date, end: datetime.date) -> AccountQuerySet:
    """The accounts the register shows removed between ``start`` and ``end`` (inclusive),
    oldest first, with person and unit (hr's removal report); one query."""
    return (
        Account.objects.filter(
            status=AccountStatus.ELIMINADA, removed_on__gte=start, removed_on__lte=end
        )
        .select_related("person", "person__unit")
        .order_by("removed_on", "person__last_name", "id")
    )


def network_accounts_by_name() -> dict[str, Account]:
    """Network (AD) accounts of the register by lower-cased name, an active one over a removed
    one (the directory reconciliation, ``hr``)."""
    found: dict[str, Account] = {}
    for account in Account.objects.filter(kind="red").select_related("person").order_by("id"):
        name = account.account_name.lower()
        current = found.get(name)
        if current is None or current.status != AccountStatus.ACTIVA:
            found[name] = account
    return found
