"""Idle and absolute session timeouts (SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT).

The login signal stores when the session started; each request stores when it was last seen.
A session idle for longer than SESSION_IDLE_TIMEOUT, or older than SESSION_ABSOLUTE_TIMEOUT,
is logged out before the view runs: pages then redirect to the login page and the API answers
401. The last-seen time is written at most once every SESSION_SEEN_RESOLUTION seconds so that
an active user does not cost a session write on every request.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SESSION_STARTED = "mapro_started_at"
SESSION_SEEN = "mapro_seen_at"
SESSION_EXPIRED_FLAG = "mapro_session_expired"
LOGOUT_REASON_ATTR = "_mapro_logout_reason"


def expiry_reason(session: dict | object, now: float) -> str | None:
    """``idle``, ``absolute`` or None for a session that is still valid at ``now``."""
    get = session.get  # type: ignore[union-attr]
    started = get(SESSION_STARTED)
    seen = get(SESSION_SEEN)
    if started is not None and now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
        return "absolute"
    if seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            reason = expiry_reason(request.session, now)
            if reason is not None:
                setattr(request, LOGOUT_REASON_ATTR, reason)
                logout(request)
                # Read (and removed) by the login page to say why the user must log in again.
                request.session[SESSION_EXPIRED_FLAG] = reason
            else:
                # A session without a start time (one made before this middleware) starts now.
                request.session.setdefault(SESSION_STARTED, now)
                seen = request.session.get(SESSION_SEEN)
                resolution = getattr(settings, "SESSION_SEEN_RESOLUTION", 60)
                if seen is None or now - seen >= resolution:
                    request.session[SESSION_SEEN] = now
        return self.get_response(request)
