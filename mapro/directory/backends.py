"""Sign-in with the directory, behind the same login throttle as local accounts.

``DirectoryBackend`` replaces ``ThrottledModelBackend`` when ``DIRECTORY_LOGIN`` is on (settings):
the local password is tried first (the demo users and the emergency accounts keep working when
the directory is down), then the directory, which checks the password by a bind as the account
(mapro never sees or stores it). A directory user signs in as the local user of the same
username, created on first sign-in without a usable password and linked to the Person with the
account's ``employeeNumber`` (DNI); roles are never read from the directory, they stay the role
assignments of mapro. The directory never opens a superuser or staff account (those are local
and sign in with their local password only), nor an inactive user, nor a disabled account.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from mapro.accounts.backends import ThrottledModelBackend
from mapro.audit.actions import record_event
from mapro.organization.models import Person

from . import conf, connector

logger = logging.getLogger(__name__)


class DirectoryBackend(ThrottledModelBackend):
    def check_credentials(self, request: Any, username: str, password: str, **kwargs: Any) -> Any:
        user = super().check_credentials(request, username, password, **kwargs)
        if user is not None or not conf.login_enabled():
            return user
        try:
            entry = connector.authenticate(username, password)
        except connector.DirectoryUnavailable:
            logger.warning("directorio: no se pudo verificar el ingreso de %s", username)
            return None
        if entry is None:
            return None
        return _local_user(str(entry.first("sAMAccountName") or username), entry)


def _local_user(username: str, entry: connector.Entry) -> Any:
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username__iexact=username).first()
        if user is not None:
            if user.is_superuser or user.is_staff or not user.is_active:
                return None
            return user
        user = User(username=username.lower(), email=str(entry.first("mail") or ""))
        user.first_name = str(entry.first("givenName") or "")[:150]
        user.last_name = str(entry.first("sn") or "")[:150]
        user.set_unusable_password()
        user.save()
        dni = str(entry.first("employeeNumber") or "")
        person = Person.objects.filter(dni=dni, user__isnull=True).first() if dni else None
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        record_event(
            actor=user,
            action="user.directory_signup",
            obj=user,
            after={
                "usuario": user.username,
                "dn": entry.dn,
                "persona": person.pk if person else None,
            },
        )
    return user
