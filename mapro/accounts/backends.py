"""The authentication backend: Django's ModelBackend behind the login throttle.

Every password check goes through ``django.contrib.auth.authenticate()`` and so through here:
our login page, the admin login and the API token endpoint alike, so none of them can be used
to get around the throttle.
"""

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.db import DEFAULT_DB_ALIAS

from mapro.core.compiled import CompiledQuery
from mapro.core.middleware import client_address

from . import throttling
from .actions import do_record_login_failure


@functools.cache
def _user_row() -> tuple[CompiledQuery, list[str]]:
    """The user by id, every column, as compiled SQL (read by every signed-in request)."""
    model = get_user_model()
    names = [field.attname for field in model._meta.concrete_fields]
    query = CompiledQuery(
        lambda pk: model._default_manager.filter(pk=pk).values_list(*names), pk=-73_019_002
    )
    return query, names


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses while a pair, account or address waits, and counts failures.

    The answer while waiting is the same ``None`` as for a wrong password, and a
    password hash is still computed so the response time does not tell them apart either
    (ModelBackend already hashes for unknown users).
    """

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = client_address(request) if request is not None else None
        if throttling.waiting(username, address):
            make_password(password)
            do_record_login_failure(username, address=address, reason="throttled")
            return None
        user = self.check_credentials(request, username, password, **kwargs)
        if user is None:
            do_record_login_failure(username, address=address, reason="credentials")
        else:
            throttling.clear_account(username, address)
        return user

    def get_user(self, user_id: Any) -> Any:
        """The session's user, as ModelBackend's (inactive users are None), by compiled SQL."""
        query, names = _user_row()
        rows = query.rows(pk=user_id)
        if not rows:
            return None
        user = get_user_model().from_db(DEFAULT_DB_ALIAS, names, rows[0])
        return user if self.user_can_authenticate(user) else None

    def check_credentials(self, request: Any, username: str, password: str, **kwargs: Any) -> Any:
        """The user whose password this is, or None: the local password (ModelBackend).

        ``mapro.directory.backends.DirectoryBackend`` adds the directory behind this throttle.
        """
        return super().authenticate(request, username=username, password=password, **kwargs)
