"""State changes of access: sessions, login failures, API tokens, deactivation.

Every function here runs in one transaction and writes its audit event. Login and logout are
reached through Django's ``user_logged_in`` / ``user_logged_out`` signals (see ``signals.py``)
because Django itself (our login page, the admin login, ``logout()`` on timeout) fires them;
the signal handlers only call these actions.
"""

import datetime
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Conflict, Forbidden
from mapro.organization.permissions import has_role

from . import throttling
from .models import ApiToken, LoginThrottle, UserSession

# Who may deactivate accounts: the manual's S04 "Eliminación de cuentas" gives "Deshabilitar
# cuenta" to the Profesional para la OGTIE; the head of OGTIE and superusers may too.
ACCOUNT_ADMIN_ROLES = frozenset({"jefe-ogtie", "profesional-ogtie"})


def _user_ref(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "username": user.get_username()}


def do_start_session(user: User, session_key: str, *, actor: Any) -> UserSession:
    """Remember that ``session_key`` belongs to ``user`` and audit the login.

    Called right after Django's ``login()`` has rotated the session key. Rows older than the
    absolute session lifetime are pruned: those sessions cannot be alive any more.
    """
    with transaction.atomic():
        horizon = timezone.now() - datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT)
        UserSession.objects.filter(user=user, created_at__lt=horizon).delete()
        session, _ = UserSession.objects.update_or_create(
            session_key=session_key, defaults={"user": user}
        )
        record_event(actor=actor, action="session.login", obj=user, after={"session": session.pk})
    return session


def do_end_session(
    user: User, session_key: str | None, *, actor: Any, reason: str = "logout"
) -> None:
    """Forget the session (which Django flushes) and audit the logout and why it happened.

    ``reason`` is ``logout`` (the user asked), ``idle`` or ``absolute`` (timeouts).
    """
    with transaction.atomic():
        if session_key:
            UserSession.objects.filter(session_key=session_key).delete()
        record_event(actor=actor, action="session.logout", obj=user, after={"reason": reason})


def do_record_login_failure(username: str, *, address: str | None, reason: str) -> None:
    """Count a failed login and audit it, or count a refused one on its waiting rows.

    ``reason`` is ``credentials`` (unknown user, wrong password or inactive account: the same
    thing to the person trying) or ``throttled`` (refused while waiting). The password is never
    passed here. Refused attempts add no audit row (an anonymous flood must not grow the
    append-only table): the waiting ``LoginThrottle`` rows count them (``refused``). Failures
    themselves are bounded by the growing waits (``throttling``), so each keeps its event.
    """
    if reason == "throttled":
        throttling.count_refused(username, address)
        return
    user_model = get_user_model()
    user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    with transaction.atomic():
        throttling.count_failure(username, address)
        record_event(
            actor=None,
            action="session.login_failed",
            obj=user,
            object_type="" if user else user_model._meta.label_lower,
            object_repr="" if user else username[:300],
            after={"username": username[:150], "reason": reason},
        )


def do_issue_api_token(user: User, *, actor: Any) -> tuple[ApiToken, str]:
    """Issue an API token for ``user`` (only for themselves); returns it and its raw value.

    Only the token's hash is kept; the raw value is returned once to be handed to the caller.
    """
    if actor is None or actor.pk != user.pk:
        raise Forbidden()
    if not user.is_active:
        raise Forbidden()
    with transaction.atomic():
        token, raw = ApiToken.issue(user)
        record_event(
            actor=actor,
            action="api_token.issue",
            obj=token,
            object_repr=f"token de API de {user.get_username()}",
            after={"user": _user_ref(user)},
        )
    return token, raw


def _end_all_sessions(user: User) -> int:
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store_class(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def do_deactivate_user(user: Any, *, actor: Any) -> None:
    """Deactivate ``user``: no more logins, every session ended, every API token revoked.

    ``actor`` must be a superuser or hold one of ACCOUNT_ADMIN_ROLES (None means the system,
    e.g. a job fed by the HR register). Nobody deactivates their own account here, so the last
    administrator cannot lock everyone out by mistake. Deactivating an inactive user again still
    ends whatever sessions and tokens remain.
    """
    _check_account_admin(actor)
    if actor is not None and actor.pk == user.pk:
        raise Conflict("No puede desactivar su propia cuenta.")
    with transaction.atomic():
        before = {"is_active": user.is_active}
        user.is_active = False
        user.save(update_fields=["is_active"])
        sessions = _end_all_sessions(user)
        tokens, _ = ApiToken.objects.filter(user=user).delete()
        record_event(
            actor=actor,
            action="user.deactivate",
            obj=user,
            before=before,
            after={"is_active": False, "sessions_ended": sessions, "tokens_revoked": tokens},
        )


def _check_account_admin(actor: Any) -> None:
    if actor is not None and not (
        getattr(actor, "is_superuser", False) or has_role(actor, ACCOUNT_ADMIN_ROLES)
    ):
        raise Forbidden()


def do_revoke_api_token(token: ApiToken, *, actor: Any) -> None:
    """Delete an API token: its owner or an account administrator may."""
    if actor is None or actor.pk != token.user_id:
        _check_account_admin(actor)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            object_repr=f"token de API de {token.user.get_username()}",
            before={"user": _user_ref(token.user)},
        )
        token.delete()


def do_unlock_login(throttle: LoginThrottle, *, actor: Any) -> None:
    """Lift a login wait before it ends and forget its count (e.g. the help desk confirmed the
    owner's identity); the event keeps what the row held, refused attempts included."""
    _check_account_admin(actor)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="login_throttle.unlock",
            obj=throttle,
            before={
                "scope": throttle.scope,
                "key": throttle.key,
                "locked_until": throttle.locked_until,
                "failures": throttle.failures,
                "refused": throttle.refused,
            },
        )
        throttle.delete()
