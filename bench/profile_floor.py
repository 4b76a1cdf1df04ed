"""The floor of a signed-in page (issue #15): what every page costs before its own content.

In-process, on a bench database (read only), with Django's test client signed in as
``operador-mesa`` (``force_login``). Three pages added to the site's URLs for the run only:

- ``bare``: an anonymous request to a view that answers ``ok`` (Django and the middleware);
- ``signed``: the same view signed in (session, user, the session timeout; no template);
- ``base``: a signed-in page that extends ``base.html`` with no content of its own (the grants,
  the unread-notices count, the menu, the layout, CSP).

It prints the median CPU time (``time.thread_time``) of each over ``--runs`` requests, and the
parts of the floor timed alone (session load, user, grants, unread count, navbar, layout).
``--profile NAME`` prints cProfile's view of one of the three.

    .venv/bin/python bench/profile_floor.py \\
        --url postgres://mapro@127.0.0.1:55432/mapro_bench_hd_10k [--runs 300] [--profile base]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import types
from collections.abc import Callable
from typing import Any

import _common

USER = "operador-mesa"


def _median_cpu(fn: Callable[[], Any], runs: int) -> float:
    spent = []
    for _ in range(runs):
        start = time.thread_time()
        fn()
        spent.append(time.thread_time() - start)
    return statistics.median(spent) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--profile", default="")
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--redis", default="", help="REDIS_URL for the run (cache, sessions)")
    args = parser.parse_args(argv)
    _common.use_server_env(args.url, redis=args.redis, SERVER_TIMING="1")
    from profile_pages import collect_static

    os.environ["STATIC_ROOT"] = collect_static()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.http import HttpRequest, HttpResponse
    from django.template import RequestContext, Template
    from django.test import Client, RequestFactory
    from django.urls import clear_url_caches, include, path

    layout = Template('{% extends "base.html" %}')

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    def base(request: HttpRequest) -> HttpResponse:
        return HttpResponse(layout.render(RequestContext(request, {})))

    urls = types.ModuleType("profile_floor_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("__floor__/bare/", bare),
        path("__floor__/base/", base),
        path("", include("mapro.urls")),
    ]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    settings.ALLOWED_HOSTS = ["*"]
    clear_url_caches()

    user = get_user_model().objects.get(username=USER)
    signed, anonymous = Client(), Client()
    signed.force_login(user)
    pages = {
        "bare": (anonymous, "/__floor__/bare/"),
        "signed": (signed, "/__floor__/bare/"),
        "base": (signed, "/__floor__/base/"),
    }
    print(f"load average {os.getloadavg()[0]:.1f}")
    for name, (client, url) in pages.items():
        for _ in range(5):
            response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
        sql = response["Server-Timing"].split('desc="', 1)[1].split('"', 1)[0]
        profiler = cProfile.Profile(time.thread_time) if name == args.profile else None
        if profiler:
            profiler.enable()
        cpu = _median_cpu(lambda c=client, u=url: c.get(u), args.runs)
        if profiler:
            profiler.disable()
        print(f"{name:8} cpu {cpu:6.2f} ms  {sql:>2} SQL")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())

    # The parts, each alone (a fresh request object each time: nothing cached on it).
    from django.contrib.auth import get_user
    from django.contrib.sessions.middleware import SessionMiddleware

    from mapro.core.menu import navbar_for
    from mapro.notifications.notices import unread_count
    from mapro.organization.permissions import grants_for

    session_key = signed.cookies[settings.SESSION_COOKIE_NAME].value
    factory = RequestFactory()

    def fresh_request() -> HttpRequest:
        request = factory.get("/__floor__/base/")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session_key
        SessionMiddleware(lambda r: HttpResponse()).process_request(request)
        return request

    def fresh_user() -> Any:
        return get_user_model().objects.get(pk=user.pk)

    parts: dict[str, Callable[[], Any]] = {
        "session load": lambda: fresh_request().session.load(),
        "request+session+user": lambda: get_user(fresh_request()),
        "grants": lambda: grants_for(fresh_user()),
        "user row (for grants)": fresh_user,
        "unread count": lambda: unread_count(user),
        "navbar": lambda: navbar_for(fresh_user()),
    }
    for label, fn in parts.items():
        print(f"  {label:24} {_median_cpu(fn, args.runs):6.2f} ms")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
