"""What the account steps ask of the directory (``mapro.directory``), per account touched.

Called by the step handlers of S04.03.01.01 and S04.03.01.02 (``procedure_effects``) in the
step's transaction; the worker applies the operations afterwards and the instance's next step
waits for the directory's answer (or an operator's manual completion). By kind:

- network account (``red``): created (granted), disabled with its groups removed (removed);
- privilege (``privilegio``): the person's network account joins or leaves the privilege's
  group (``DIRECTORY_PRIVILEGE_GROUPS``);
- VPN user (``vpn``): the network account (or the VPN user's own name when the person has none)
  joins or leaves the VPN group;
- mail and system accesses are not in the directory: nothing.

Without a directory the operations are recorded "por completar a mano" (``mapro.directory``).
"""

from __future__ import annotations

from typing import Any

from mapro.directory import conf as directory_conf
from mapro.directory.actions import enqueue_operation
from mapro.directory.choices import Operation

from .choices import AccountKind, AccountStatus
from .models import Account


def _network_name(account: Account, fallback: str = "") -> str:
    network = (
        Account.objects.filter(
            person_id=account.person_id, kind=AccountKind.RED, status=AccountStatus.ACTIVA
        )
        .order_by("-id")
        .values_list("account_name", flat=True)
        .first()
    )
    if network is None:
        network = (
            Account.objects.filter(person_id=account.person_id, kind=AccountKind.RED)
            .order_by("-id")
            .values_list("account_name", flat=True)
            .first()
        )
    return network or fallback or account.account_name


def _group_of(account: Account) -> str:
    if account.kind == AccountKind.VPN:
        return directory_conf.vpn_group()
    return directory_conf.privilege_groups().get(account.privilege or "otro", "")


def _enqueue(call: Any, account: Account, operation: str, username: str, **fields: Any) -> str:
    op = enqueue_operation(
        operation,
        username,
        key=f"iam:step:{call.record.pk}:account:{account.pk}:{operation}",
        account_id=account.pk,
        instance=call.instance,
        activity_n=call.n,
        **fields,
    )
    return op.summary


def granted(call: Any, accounts: list[Account], *, network_user: str = "") -> list[str]:
    """Operations for accounts just granted (or changed by adding a privilege)."""
    done: list[str] = []
    for account in accounts:
        if account.kind == AccountKind.RED:
            person = account.person
            attributes = {
                "givenName": person.first_name,
                "sn": person.last_name,
                "displayName": person.full_name,
                "mail": person.email,
                "employeeNumber": person.dni,
                "title": getattr(person, "cargo", "") or "",
            }
            done.append(
                _enqueue(
                    call,
                    account,
                    Operation.CREATE_USER,
                    account.account_name,
                    attributes=attributes,
                    groups=directory_conf.default_groups(),
                )
            )
        elif account.kind in (AccountKind.PRIVILEGIO, AccountKind.VPN) and _group_of(account):
            user = _network_name(account, network_user)
            done.append(
                _enqueue(call, account, Operation.ADD_GROUPS, user, groups=[_group_of(account)])
            )
    return done


def removed(call: Any, accounts: list[Account]) -> list[str]:
    """Operations for accounts just removed from the register."""
    done: list[str] = []
    for account in accounts:
        if account.kind == AccountKind.RED:
            done.append(_enqueue(call, account, Operation.DISABLE_USER, account.account_name))
        elif account.kind in (AccountKind.PRIVILEGIO, AccountKind.VPN) and _group_of(account):
            user = _network_name(account)
            done.append(
                _enqueue(call, account, Operation.REMOVE_GROUPS, user, groups=[_group_of(account)])
            )
    return done


def initial_password(account_id: int) -> str | None:
    """The connector's password source: the account's initial password, opened from its sealed
    one-time secret while it is unrevealed and unexpired (the recipient may reveal it later
    too; the secret is never copied into the operation)."""
    from django.utils import timezone

    from .models import OneTimeSecret
    from .passwords import unseal

    secret = (
        OneTimeSecret.objects.filter(
            account_id=account_id,
            revealed_at__isnull=True,
            ciphertext__isnull=False,
            expires_at__gt=timezone.now(),
        )
        .order_by("-id")
        .first()
    )
    if secret is None or not secret.ciphertext:
        return None
    return unseal(bytes(secret.ciphertext), context=str(account_id))
