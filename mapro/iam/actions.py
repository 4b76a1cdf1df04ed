"""Every change to the accounts register goes through these actions.

Public, stable entry points (the HR leaver webhook and the procedure steps call them):

- ``do_grant_account(person, *, actor, kind, ...) -> Account``: registers a new account, access
  or privilege; the name follows the naming rule when not given.
- ``do_modify_account(account, *, actor, ...) -> Account``: changes an active account.
- ``do_remove_account(account, *, actor, reason, ticket=None, instance=None, removed_on=None)
  -> Account``: marks it removed (status "eliminada", ``removed_on``). Idempotent: removing an
  already removed account changes nothing, writes no event and returns it as it is.
- ``mapro.iam.selectors.accounts_of(person, *, active_only=False)``: the person's accounts.
- ``do_issue_password_link`` / ``do_reveal_password``: a robust initial password its recipient
  sees once, logged in (``passwords``); never stored in clear, never mailed, no token.

``actor=None`` means the system itself (a verified webhook, a scheduled job): only trusted
in-process callers pass it; a user must hold one of ``choices.MANAGE_ROLES``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition, NotFound
from mapro.notifications.actions import enqueue_mail
from mapro.notifications.rendering import absolute_url
from mapro.organization.choices import ContractRegime
from mapro.organization.permissions import check_role, has_role

from .choices import MANAGE_ROLES, AccountKind, AccountStatus, Privilege
from .models import Account, OneTimeSecret
from .naming import propose_account_name
from .passwords import IssuedLink, generate_password, link_ttl, reseal, seal, unseal


def check_can_manage(actor: Any) -> None:
    """Forbidden (403) unless the actor is the system or holds a managing role."""
    if actor is not None:
        check_role(actor, MANAGE_ROLES)


def _clean_documents(documents: Iterable[Any] | None) -> list[str]:
    if documents is None:
        return []
    if isinstance(documents, str):
        documents = [documents]
    return [str(d).strip()[:300] for d in documents if str(d).strip()]


def _link(account: Account, ticket: Any, instance: Any) -> None:
    if ticket is not None:
        account.tickets.add(ticket)
    if instance is not None:
        account.instances.add(instance)


def _validate(
    *,
    kind: str,
    system_name: str,
    privilege: str,
    regime: str,
    service_start: datetime.date | None,
    service_end: datetime.date | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in AccountKind.values:
        errors["kind"] = ["Indique el tipo: red, correo, vpn, sistema o privilegio."]
    if kind == AccountKind.SISTEMA and not system_name.strip():
        errors["system_name"] = ["Indique el sistema al que se da acceso."]
    if kind == AccountKind.PRIVILEGIO and privilege not in Privilege.values:
        errors["privilege"] = [
            "Indique el privilegio no común: vpn, redes_sociales, usb o perifericos."
        ]
    if kind != AccountKind.PRIVILEGIO and privilege:
        errors["privilege"] = ["Solo un privilegio no común lleva privilegio."]
    if regime and regime not in ContractRegime.values:
        errors["regime"] = ["Régimen de contratación desconocido."]
    if regime == ContractRegime.ORDEN_SERVICIO:
        if service_start is None:
            errors["service_start"] = ["Indique el inicio de la orden de servicio."]
        if service_end is None:
            errors["service_end"] = ["Indique el fin de la orden de servicio."]
    if service_start and service_end and service_end < service_start:
        errors["service_end"] = ["El fin de la orden de servicio no puede ser anterior al inicio."]
    if errors:
        raise InvalidInput(errors=errors)


def do_grant_account(
    person: Any,
    *,
    actor: Any,
    kind: str,
    account_name: str | None = None,
    system_name: str = "",
    privilege: str = "",
    regime: str | None = None,
    granted_on: datetime.date | None = None,
    service_start: datetime.date | None = None,
    service_end: datetime.date | None = None,
    authorizing_documents: Iterable[Any] | None = None,
    ticket: Any = None,
    instance: Any = None,
    notes: str = "",
) -> Account:
    """Register an account, access or privilege granted to ``person``.

    ``regime`` defaults to the person's; an orden de servicio needs both service dates (the end
    date is then enforced: the account shows "por eliminar" once it passes). Without
    ``account_name`` the naming rule proposes one. Raises InvalidInput naming the field, or
    Forbidden for a user without a managing role.
    """
    check_can_manage(actor)
    regime = person.regime if regime is None else regime
    system_name = (system_name or "").strip()
    privilege = privilege or ""
    _validate(
        kind=kind,
        system_name=system_name,
        privilege=privilege,
        regime=regime,
        service_start=service_start,
        service_end=service_end,
    )
    with transaction.atomic():
        name = (account_name or "").strip() or propose_account_name(person, kind)
        account = Account(
            person=person,
            account_name=name[:100],
            kind=kind,
            system_name=system_name[:150],
            privilege=privilege,
            regime=regime,
            granted_on=granted_on or timezone.localdate(),
            service_start=service_start,
            service_end=service_end,
            authorizing_documents=_clean_documents(authorizing_documents),
            notes=notes or "",
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        try:
            with transaction.atomic():
                account.save(force_insert=True)
        except IntegrityError:
            raise InvalidInput(
                errors={"account_name": [f"Ya existe una cuenta activa «{name}» de ese tipo."]}
            ) from None
        _link(account, ticket, instance)
        record_event(actor=actor, action="account.grant", obj=account, after=account.audit_fields())
    return account


MODIFIABLE = ("account_name", "system_name", "privilege", "service_start", "service_end", "notes")


def do_modify_account(
    account: Account,
    *,
    actor: Any,
    changes: dict[str, Any] | None = None,
    add_documents: Iterable[Any] | None = None,
    ticket: Any = None,
    instance: Any = None,
) -> Account:
    """Change an active account (``changes`` among ``MODIFIABLE``), add authorising documents.

    A removed account cannot be modified (InvalidTransition, 409): grant a new one instead.
    """
    check_can_manage(actor)
    changes = dict(changes or {})
    unknown = set(changes) - set(MODIFIABLE)
    if unknown:
        raise InvalidInput(errors={name: ["Este dato no se puede modificar."] for name in unknown})
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        if account.status != AccountStatus.ACTIVA:
            raise InvalidTransition("La cuenta está eliminada; no se puede modificar.")
        before = account.audit_fields()
        for name, value in changes.items():
            setattr(account, name, value.strip() if isinstance(value, str) else value)
        if not account.account_name:
            raise InvalidInput(errors={"account_name": ["Indique el nombre de cuenta."]})
        _validate(
            kind=account.kind,
            system_name=account.system_name,
            privilege=account.privilege,
            regime=account.regime,
            service_start=account.service_start,
            service_end=account.service_end,
        )
        account.authorizing_documents = list(account.authorizing_documents or []) + [
            d for d in _clean_documents(add_documents) if d not in account.authorizing_documents
        ]
        try:
            with transaction.atomic():
                account.save()
        except IntegrityError:
            raise InvalidInput(
                errors={"account_name": ["Ya existe una cuenta activa con ese nombre."]}
            ) from None
        _link(account, ticket, instance)
        after = account.audit_fields()
        record_event(
            actor=actor,
            action="account.modify",
            obj=account,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return account


def do_remove_account(
    account: Account,
    *,
    actor: Any,
    reason: str,
    ticket: Any = None,
    instance: Any = None,
    removed_on: datetime.date | None = None,
) -> Account:
    """Mark ``account`` removed (disabled, accesses and privileges withdrawn) on ``removed_on``.

    Idempotent: an account already removed is returned unchanged (no event, no new links), so
    a leaver event delivered twice removes once. Pending password links of the account are
    destroyed. ``reason`` is required (InvalidInput otherwise).
    """
    check_can_manage(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(errors={"reason": ["Indique el motivo de la eliminación."]})
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        if account.status == AccountStatus.ELIMINADA:
            return account
        before = account.audit_fields()
        day = removed_on or timezone.localdate()
        account.status = AccountStatus.ELIMINADA
        account.removed_on = max(day, account.granted_on)
        account.removal_reason = reason[:2000]
        account.save()
        OneTimeSecret.objects.filter(account=account, revealed_at__isnull=True).update(
            ciphertext=None, expires_at=timezone.now()
        )
        _link(account, ticket, instance)
        record_event(
            actor=actor,
            action="account.remove",
            obj=account,
            before={"estado": before["estado"], "eliminada": None},
            after={
                "estado": account.status,
                "eliminada": account.removed_on,
                "motivo": account.removal_reason,
            },
        )
    return account


# --- initial passwords -----------------------------------------------------------------------


def do_issue_password_link(account: Account, *, actor: Any, recipient: Any) -> IssuedLink:
    """Generate a robust password for ``account`` and the page that reveals it once.

    The password exists only sealed with the key outside the database (``passwords``);
    ``recipient`` (a user with a managing role, usually the actor) gets a mail with the page's
    address, which opens nothing by itself: the recipient logs in there and sees the password
    once. Earlier unrevealed links of the account are destroyed (the new password replaces
    them). A recipient without a mail address gets no mail: the page is then linked from what
    this returns (a procedure step says so in its outcome).
    """
    check_can_manage(actor)
    if recipient is None or not getattr(recipient, "pk", None):
        raise InvalidInput(errors={"recipient": ["Indique quién recibe el enlace."]})
    if not has_role(recipient, MANAGE_ROLES):
        raise InvalidInput(
            errors={
                "recipient": ["El destinatario debe ser personal de la OGTIE que gestiona cuentas."]
            }
        )
    if not Account.objects.filter(pk=account.pk, status=AccountStatus.ACTIVA).exists():
        raise InvalidTransition("La cuenta está eliminada; no se genera contraseña.")
    password = generate_password()
    with transaction.atomic():
        OneTimeSecret.objects.filter(account=account, revealed_at__isnull=True).update(
            ciphertext=None, expires_at=timezone.now()
        )
        secret = OneTimeSecret.objects.create(
            account=account,
            ciphertext=seal(password, context=str(account.pk)),
            recipient=recipient,
            expires_at=timezone.now() + link_ttl(),
        )
        del password
        link = IssuedLink(secret=secret)
        record_event(
            actor=actor,
            action="account.password_link",
            obj=account,
            after={
                "enlace": secret.pk,
                "destinatario": recipient.get_username(),
                "vence": secret.expires_at,
            },
        )
        email = getattr(getattr(recipient, "person", None), "email", "") or recipient.email
        enqueue_mail(
            to=[email],
            subject=f"Contraseña inicial de la cuenta {account.account_name}",
            template="iam/enlace_contrasena",
            context={
                "nombre": recipient.get_full_name(),
                "cuenta": account.account_name,
                "tipo": account.get_kind_display(),
                "titular": account.person.full_name,
                "enlace": absolute_url(link.path),
                "vence": timezone.localtime(secret.expires_at),
            },
            key=f"iam:secret:{secret.pk}",
        )
    return link


def do_reveal_password(secret_id: int, *, actor: Any) -> tuple[OneTimeSecret, str]:
    """Open a one-time secret: the password, once, to its logged-in recipient.

    Unknown id, someone else's secret: NotFound (404, the link's existence is not confirmed).
    Already revealed or expired: InvalidTransition (409). Revealing empties the ciphertext in
    the same transaction (``UPDATE … WHERE revealed_at IS NULL``), so two concurrent opens reveal
    at most once.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    with transaction.atomic():
        secret = (
            OneTimeSecret.objects.select_related("account", "account__person")
            .filter(pk=secret_id)
            .first()
        )
        if secret is None or secret.recipient_id != actor.pk:
            raise NotFound("El enlace no existe o no es para usted.")
        if secret.revealed_at is not None or not secret.ciphertext:
            raise InvalidTransition("El enlace ya se usó: la contraseña se muestra una sola vez.")
        if secret.expires_at <= timezone.now():
            raise InvalidTransition("El enlace venció; solicite una nueva contraseña.")
        from cryptography.exceptions import InvalidTag  # imported by unseal; see passwords

        try:
            password = unseal(bytes(secret.ciphertext), context=str(secret.account_id))
        except InvalidTag:
            raise NotFound("El enlace no existe o no es para usted.") from None
        claimed = OneTimeSecret.objects.filter(pk=secret.pk, revealed_at__isnull=True).update(
            ciphertext=None, revealed_at=timezone.now(), revealed_by=actor
        )
        if claimed != 1:
            raise InvalidTransition("El enlace ya se usó: la contraseña se muestra una sola vez.")
        secret.refresh_from_db()
        record_event(
            actor=actor,
            action="account.password_reveal",
            obj=secret.account,
            after={"enlace": secret.pk},
        )
    return secret, password


def do_purge_expired_password_links(*, now: datetime.datetime | None = None) -> int:
    """Destroy the ciphertext of links that expired unrevealed (the worker runs it hourly).

    Keeping a ciphertext nobody may open serves nothing. Returns how
    many were purged; audited as one system event when any were.
    """
    moment = now or timezone.now()
    with transaction.atomic():
        ids = list(
            OneTimeSecret.objects.filter(expires_at__lte=moment, ciphertext__isnull=False)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        OneTimeSecret.objects.filter(pk__in=ids).update(ciphertext=None)
        record_event(
            actor=None,
            action="account.password_links_purge",
            object_type="iam.onetimesecret",
            object_repr="Enlaces de contraseña vencidos",
            after={"enlaces": ids},
        )
    return len(ids)


def do_rotate_secrets_key() -> tuple[int, int]:
    """Re-seal every pending secret with the current key (the first of ``SECRETS_KEYS``).

    Step 2 of the rotation in docs/deploy.md: after it, the old keys can be removed. A pending
    secret no configured key opens is destroyed (it could never be revealed). Returns
    ``(resealed, destroyed)``; audited as one system event when anything changed.
    """
    from cryptography.exceptions import InvalidTag  # imported by reseal; see passwords

    resealed, destroyed = [], []
    with transaction.atomic():
        pending = OneTimeSecret.objects.select_for_update().filter(
            ciphertext__isnull=False, revealed_at__isnull=True
        )
        for secret in pending:
            assert secret.ciphertext is not None  # the query keeps only sealed secrets
            try:
                blob = reseal(bytes(secret.ciphertext), context=str(secret.account_id))
            except InvalidTag:
                secret.ciphertext = None
                secret.save(update_fields=["ciphertext"])
                destroyed.append(secret.pk)
                continue
            if blob is not None:
                secret.ciphertext = blob
                secret.save(update_fields=["ciphertext"])
                resealed.append(secret.pk)
        if resealed or destroyed:
            record_event(
                actor=None,
                action="account.password_links_rekey",
                object_type="iam.onetimesecret",
                object_repr="Enlaces de contraseña cifrados con la clave nueva",
                after={"recifrados": resealed, "destruidos": destroyed},
            )
    return len(resealed), len(destroyed)
