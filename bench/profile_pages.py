"""Profile the HTML pages of issue #15 in-process on a bench database: time, SQL, cProfile.

Not a benchmark (``bench_pages.py`` measures over HTTP): a tool to find where a page's server
time goes. For each page it makes ``--runs`` requests with Django's test client (signed in with
``force_login``), prints the median time and the SQL count, and with ``--profile PAGE`` the
functions that cost most (cProfile over the runs).

    .venv/bin/python bench/profile_pages.py \\
        --url postgres://mapro@127.0.0.1:55432/mapro_bench_hd_10k [--profile consola]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import functools
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from typing import Any

import _common

PORTAL_USER = "bench-solicitante"


#: A team role's demo user, for a team's dashboard.
TEAM_USER = "coord-infraestructura"


def page_paths() -> dict[str, tuple[str, str]]:
    """Page name → (username, path), from what the database holds."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from mapro.helpdesk.models import Ticket
    from mapro.organization.models import Person
    from mapro.procedures.models import Instance, WorkItem, WorkItemState

    operator = "operador-mesa"
    pages: dict[str, tuple[str, str]] = {
        "consola": (operator, "/mesa-de-ayuda/consola/"),
        "inbox": (operator, "/tareas/"),
        # The help-desk dashboard (issue 15): the whole desk, and one team's.
        "tablero": (operator, "/mesa-de-ayuda/tablero/"),
    }
    if get_user_model().objects.filter(username=TEAM_USER).exists():
        pages["tablero_equipo"] = (TEAM_USER, "/mesa-de-ayuda/tablero/")
    # A deep page for people: the console jumped to a day a year before the newest ticket.
    newest = Ticket.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if newest is not None:
        day = (newest - datetime.timedelta(days=365)).date().isoformat()
        pages["consola_fecha"] = (operator, f"/mesa-de-ayuda/consola/?fecha={day}")
    ticket = (
        Ticket.objects.filter(status="en_atencion").order_by("-created_at").only("number").first()
    )
    if ticket is not None:
        pages["ticket"] = (operator, f"/mesa-de-ayuda/consola/{ticket.number}/")
    # "Mis solicitudes" of the requester with the most tickets (a user is attached to it once).
    user_model = get_user_model()
    portal = user_model.objects.filter(username=PORTAL_USER).first()
    if portal is None:
        top = (
            Ticket.objects.filter(requester__user__isnull=True)
            .values("requester")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        if top is not None:
            portal = user_model.objects.create_user(username=PORTAL_USER, password=None)
            Person.objects.filter(pk=top["requester"]).update(user=portal)
    if portal is not None:
        pages["portal"] = (PORTAL_USER, "/mesa-de-ayuda/solicitudes/")
        # The requester's page of their newest ticket.
        own = (
            Ticket.objects.filter(requester__user=portal)
            .order_by("-created_at")
            .values_list("number", flat=True)
            .first()
        )
        if own is not None:
            pages["portal_ticket"] = (PORTAL_USER, f"/mesa-de-ayuda/solicitudes/{own}/")
    instance = Instance.objects.order_by("-pk").only("pk").first()
    if instance is not None:
        pages["instancia"] = (operator, f"/procedimientos/instancias/{instance.pk}/")
    item = (
        WorkItem.objects.filter(state=WorkItemState.OPEN, roles__contains=[operator])
        .order_by("-pk")
        .only("pk")
        .first()
    )
    if item is not None:
        pages["tarea"] = (operator, f"/tareas/{item.pk}/")
    return pages


def _capture(into: list[str], execute: Any, sql: str, *rest: Any) -> Any:
    into.append(sql)
    return execute(sql, *rest)


def collect_static() -> str:
    """A STATIC_ROOT with the manifest DEBUG=0 needs (``collectstatic`` once, in a subprocess)."""
    import subprocess

    root = os.path.join(tempfile.gettempdir(), "mapro-bench-static")
    if not os.path.exists(os.path.join(root, "staticfiles.json")):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=_common.ROOT,
            env={**os.environ, "STATIC_ROOT": root},
            check=True,
        )
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", default="", help="page name to profile (cProfile)")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--dump", default="", help="write each page's HTML into this folder")
    args = parser.parse_args(argv)
    _common.use_server_env(args.url, SERVER_TIMING="1")
    os.environ["STATIC_ROOT"] = collect_static()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    import gc

    gc_spent = [0.0, 0, 0.0]  # seconds, collections of generation 2, start

    def gc_clock(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_spent[2] = time.perf_counter()
        else:
            gc_spent[0] += time.perf_counter() - gc_spent[2]
            gc_spent[1] += info["generation"] == 2

    gc.callbacks.append(gc_clock)
    if os.environ.get("GC_FREEZE"):
        gc.collect()
        gc.freeze()
    pages = page_paths()
    if args.only:
        pages = {k: v for k, v in pages.items() if k in args.only.split(",")}
    clients: dict[str, Any] = {}
    print(f"load average {os.getloadavg()[0]:.1f}")
    for name, (username, path) in pages.items():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        client = clients[username]
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (name, path, response.status_code)
        captured: list[str] = []
        with connection.execute_wrapper(functools.partial(_capture, captured)):
            response = client.get(path)
        if args.dump:
            os.makedirs(args.dump, exist_ok=True)
            with open(os.path.join(args.dump, f"{name}.html"), "wb") as out_file:
                out_file.write(response.content)
        sql_count = int(response["Server-Timing"].split('desc="', 1)[1].split('"', 1)[0])
        times, cpu = [], []
        gc_spent[0], gc_spent[1] = 0.0, 0
        # CPU time, not wall time: on a busy machine the wall clock mostly measures waiting.
        profiler = cProfile.Profile(time.process_time) if name == args.profile else None
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            client.get(path)
            if profiler:
                profiler.disable()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(
            f"{name:10} {statistics.median(times) * 1000:7.1f} ms  "
            f"cpu {statistics.median(cpu) * 1000:6.1f} ms  "
            f"gc {gc_spent[0] * 1000 / args.runs:5.1f} ms ({gc_spent[1]} gen2)  "
            f"{sql_count:3d} SQL  {len(response.content):7d} B  {path}"
        )
        if args.show_sql:
            for sql in captured:
                print("     ", sql[:220])
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
