"""The owner lifts their own login wait with a second factor: a code mailed to them.

A mature product lets the owner out without calling the help desk, through something a
stranger who typed their username cannot have: here, a 6-digit code sent to the mail address
on file (the same factor as a password reset). The flow (``/cuenta/desbloquear/``):

1. The owner types their username; if the account exists, is active, has a mail address and
   waits (its own row or its pair with the owner's address), a new code is mailed (earlier
   unused codes are spent) and ``login_unlock.code_sent`` is audited. The page says the same
   whatever the case, so it never tells whether an account exists or waits.
2. The owner types the code: right, unexpired and unused, it lifts the account's wait and the
   wait of the pair with the owner's address (not the waits of other addresses: an attacker's
   pair keeps waiting), and ``login_unlock.done`` is audited. Wrong: the code counts a try;
   at ``MAX_TRIES`` it is spent. The password is still needed to sign in.

The mail is sent at once over ``EMAIL_URL`` (not through the outbox): the outbox keeps what it
sends, and the code must exist nowhere but in the mail.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import InvalidInput

from . import throttling
from .models import LoginThrottle, UnlockCode

logger = logging.getLogger(__name__)

CODE_LIFETIME = datetime.timedelta(minutes=15)
MAX_TRIES = 5
WRONG_CODE = "El código no es válido o ya venció. Solicite uno nuevo."


def _digest(user_id: int, code: str) -> str:
    message = f"mapro.accounts.unlock:{user_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _user(username: str) -> Any:
    model = get_user_model()
    return (
        model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": username.strip()})
        .filter(is_active=True)
        .first()
    )


def _waits(username: str, address: str | None) -> Q:
    """The rows the owner may lift: the account's own and its pair with this address."""
    return Q(scope=LoginThrottle.Scope.ACCOUNT, key=throttling.account_key(username)) | Q(
        scope=LoginThrottle.Scope.PAIR, key=throttling.pair_key(username, address)
    )


def do_request_unlock_code(username: str, *, address: str | None) -> None:
    """Mail a new code to the owner of ``username`` if the account waits (module doc, step 1)."""
    user = _user(username or "")
    if user is None or not user.email:
        return
    now = timezone.now()
    if (
        not LoginThrottle.objects.filter(_waits(user.get_username(), address))
        .filter(locked_until__gt=now)
        .exists()
    ):
        return
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        UnlockCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        row = UnlockCode.objects.create(
            user=user, code_hash=_digest(user.pk, code), expires_at=now + CODE_LIFETIME
        )
        record_event(
            actor=None,
            action="login_unlock.code_sent",
            obj=row,
            object_repr=f"código de desbloqueo de {user.get_username()}",
            after={"user": user.get_username(), "expires_at": row.expires_at},
        )
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    try:
        send_mail(
            "Código para desbloquear su ingreso a mapro",
            f"Su código es {code}. Vence en {minutes} minutos y sirve una sola vez.\n\n"
            "Si usted no lo pidió, alguien escribió su usuario: no comparta el código y "
            "avise a la mesa de ayuda.",
            None,
            [user.email],
        )
    except Exception:  # the page says the same; the owner may ask again or call the desk
        logger.warning("unlock: no se pudo enviar el código a %s", user.pk, exc_info=True)
        UnlockCode.objects.filter(pk=row.pk).update(used_at=timezone.now())


def do_unlock_with_code(username: str, code: str, *, address: str | None) -> None:
    """Lift the owner's waits with a right code (module doc, step 2); ``InvalidInput`` else."""
    user = _user(username or "")
    code = (code or "").strip()
    if user is None or not code.isdigit() or len(code) != 6:
        raise InvalidInput(errors={"code": [WRONG_CODE]})
    now = timezone.now()
    with transaction.atomic():
        row = (
            UnlockCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            raise InvalidInput(errors={"code": [WRONG_CODE]})
        if not hmac.compare_digest(row.code_hash, _digest(user.pk, code)):
            row.tries += 1
            if row.tries >= MAX_TRIES:
                row.used_at = now
            row.save(update_fields=["tries", "used_at"])
            wrong = True
        else:
            wrong = False
            row.used_at = now
            row.save(update_fields=["used_at"])
            lifted = list(
                LoginThrottle.objects.filter(_waits(user.get_username(), address)).values(
                    "scope", "key", "locked_until", "failures", "refused"
                )
            )
            LoginThrottle.objects.filter(_waits(user.get_username(), address)).delete()
            record_event(
                actor=user,
                action="login_unlock.done",
                obj=row,
                object_repr=f"código de desbloqueo de {user.get_username()}",
                before={"waits": lifted},
            )
    if wrong:  # after the commit: the try is counted even though the answer is an error
        raise InvalidInput(errors={"code": [WRONG_CODE]})
