"""Request-scoped context (a request id and the client address, for audit and logs) and the
one mapping of the domain's exceptions to HTML error pages."""

import functools
import ipaddress
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .context import ChangeContext, _current
from .exceptions import MaproError


@functools.cache
def _trusted(networks: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in networks if n.strip())


def _is_trusted(address: str, networks: tuple[Any, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, unless that is a trusted proxy
    (``settings.TRUSTED_PROXIES``, addresses or networks), in which case the nearest address
    of ``X-Forwarded-For`` that is not itself a trusted proxy. A client cannot choose its
    address by sending the header: it is read only when the request comes from a proxy we run.
    """
    remote = request.META.get("REMOTE_ADDR")
    networks = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not remote or not networks or not _is_trusted(remote, networks):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if not hop:
            continue
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: keep the proxy's own address
        if not _is_trusted(hop, networks):
            return hop
    return remote


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


class MaproErrorMiddleware:
    """The one place where an HTML view's failure becomes its error page.

    A view (or a decorator around it) parses, calls an action and renders; whatever the action
    or a selector raises (``NotFound`` 404, ``Forbidden`` 403, ``Conflict`` 409,
    ``InvalidInput`` 400, and their domain subclasses) arrives here and is answered with the
    page of its status, in the site's layout, with the exception's Spanish message. Django's
    ``PermissionDenied`` is answered the same way so that an ordinary 403 is logged as one
    warning line by ``django.request`` and not with a traceback (Django's own handler logs the
    exception). The API is left alone: DRF maps the same exceptions to JSON
    (``mapro.core.api.exception_handler``). Engine failures (status 500) are not mapped: they
    are defects and must reach the server error handler and its log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, MaproError):
            if exception.status_code >= 500:
                return None
            return error_page(
                request, exception.status_code, exception.message, errors=exception.errors
            )
        if isinstance(exception, PermissionDenied):
            text = exception.args[0] if exception.args else None
            return error_page(request, 403, text if isinstance(text, str) and text else None)
        return None


ERROR_TEMPLATES = {400: "400.html", 403: "403.html", 404: "404.html", 409: "409.html"}


def error_page(
    request: HttpRequest,
    status: int,
    message: str | None = None,
    *,
    errors: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page of an error ``status`` with its message (and, for 400, the field errors).

    The way back is the page the form was sent from when it is one of ours (a POST target
    may not answer a GET), else the home page.
    """
    referer = request.META.get("HTTP_REFERER", "")
    back = (
        referer
        if referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else None
    )
    details = [
        str(m)
        for msgs in (errors or {}).values()
        for m in (msgs if isinstance(msgs, list | tuple) else [msgs])
    ]
    return render(
        request,
        ERROR_TEMPLATES.get(status, "400.html"),
        {"message": message, "details": details, "back_url": back},
        status=status,
    )


class ServerTimingMiddleware:
    """``Server-Timing: app;dur=…, db;dur=…;desc="N"`` on every response, when
    ``settings.SERVER_TIMING`` is on (``SERVER_TIMING=1``; off by default, as the header tells
    a client how long the server worked).

    ``app`` is the server time of the whole request inside Django (this middleware is the
    outermost one); ``db`` the time spent inside the database driver and ``desc`` the number of
    SQL statements sent; ``cpu`` the CPU time of the worker's thread in the request (what the
    request costs the machine, whatever else is running on it: on a busy machine ``app``
    includes the time the worker waited for a CPU). ``bench/bench_pages.py`` reads it to report
    server time and SQL per request over HTTP (docs/benchmarks.md); a browser's developer tools
    show it too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(getattr(settings, "SERVER_TIMING", False))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        from django.db import connection

        spent = [0, 0.0]  # statements, seconds

        def count(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += 1
                spent[1] += time.perf_counter() - start

        start, start_cpu = time.perf_counter(), time.thread_time()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        elapsed, cpu = time.perf_counter() - start, time.thread_time() - start_cpu
        response["Server-Timing"] = (
            f'app;dur={elapsed * 1000:.2f}, db;dur={spent[1] * 1000:.2f};desc="{spent[0]}", '
            f"cpu;dur={cpu * 1000:.2f}"
        )
        return response
