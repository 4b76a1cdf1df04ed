"""Hooks on Django's login and logout signals; they only call the actions."""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .actions import do_end_session, do_start_session
from .middleware import LOGOUT_REASON_ATTR, SESSION_SEEN, SESSION_STARTED


@receiver(user_logged_in, dispatch_uid="mapro.accounts.login")
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now
    if session.session_key is None:
        session.save()
    do_start_session(user, session.session_key, actor=user)


@receiver(user_logged_out, dispatch_uid="mapro.accounts.logout")
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    reason = getattr(request, LOGOUT_REASON_ATTR, "logout")
    do_end_session(user, key, actor=user, reason=reason)
