"""Request-scoped context: a request id and the client address, for audit and logs."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import ChangeContext, _current


def client_address(request: HttpRequest) -> str | None:
    # Behind a proxy, configure the proxy to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips);
    # X-Forwarded-For is client-controlled and is not trusted here.
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        source = "api" if request.path.startswith("/api/") else "web"
        token = _current.set(
            ChangeContext(
                request_id=request_id, client_address=client_address(request), source=source
            )
        )
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response
