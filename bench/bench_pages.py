"""The HTML pages of the help desk and the inboxes over HTTP at 10k and 1M tickets (issue #15).

For each database (``--small``, ``--large``, loaded by ``seed_tickets.py`` and, for the inbox
and the instance page, ``seed_instances.py``):

1. in a subprocess pointed at it, picks what each page shows (``profile_pages.page_paths``:
   the console queue and a ticket page as ``operador-mesa``, the console jumped to a day a year
   back (``?fecha=``), the help-desk dashboard of the desk and of a team
   (``coord-infraestructura``), "Mis solicitudes" of the requester with most tickets, "Mis
   tareas", a task page and an instance page), signs the users in
   (a session each, ``Client.force_login``; the cookie is sent over HTTP) and issues an API
   token for ``operador-mesa``;
2. starts ``gunicorn mapro.wsgi`` (``--workers`` sync workers, DEBUG off, ``CONN_MAX_AGE=60``,
   ``SERVER_TIMING=1``, static files collected once into a temporary ``STATIC_ROOT``).

Every response carries ``Server-Timing`` (``mapro.core.middleware.ServerTimingMiddleware``):
the server time of the request inside Django and the number of SQL statements it sent. The
clients (``--threads`` threads, ``http.client``) also time each request to its last byte.
Pages and sizes are interleaved as in ``bench_helpdesk_queue.py``: ``--rounds`` rounds, each
runs a batch of ``--batch`` requests of every page on one size and then on the other (which
size first alternates), so both sizes share the machine's noise; the API's list of tickets
and of tasks, and the dashboard's API, run in the same rounds, for the ratio page / API of
the same run.
The load average (1 min) is read at every batch and printed beside each figure; the workers'
RSS (``VmRSS``, and the peak ``VmHWM``) after the warm-up and at the end.

Targets (issue #15): each page's server time p50 ≤ 25 ms and p95 ≤ 100 ms with 4 clients on
2 workers at 1M, ≤ 1.5 × its 10k figure, ≤ 10 SQL per request; worker peak RSS < 120 MB.

Run::

    .venv/bin/python bench/bench_pages.py [--small URL] [--large URL] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import statistics
import sys
import tempfile
import time
from typing import Any
from urllib.parse import urlsplit

import _common
from profile_pages import collect_static, page_paths

TIMING = re.compile(r'app;dur=([\d.]+), db;dur=([\d.]+);desc="(\d+)", cpu;dur=([\d.]+)')
API_PAGES = {
    "api_tickets": "/api/v1/tickets/",
    "api_tasks": "/api/v1/tasks/",
    "api_tablero": "/api/v1/ticket-dashboard/",
}
OPERATOR = "operador-mesa"
#: The API a page is compared with (÷ API): the one that answers the same question. The pages
#: of tickets (console, ticket, portal) are compared with ``api_tickets``.
MATCHING_API = {
    "inbox": "api_tasks",
    "tarea": "api_tasks",
    "instancia": "api_tasks",
    "tablero": "api_tablero",
    "tablero_equipo": "api_tablero",
}


# --- in-process part (one subprocess per database) ---------------------------------------------


def prepare() -> dict[str, Any]:
    """Paths, session cookies and an API token for the database of ``DATABASE_URL``."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from mapro.accounts.models import ApiToken
    from mapro.helpdesk.models import Ticket
    from mapro.procedures.models import Instance

    settings.ALLOWED_HOSTS = ["*"]
    pages = page_paths()
    cookies: dict[str, str] = {}
    for username, _path in pages.values():
        if username not in cookies:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    _token, raw = ApiToken.issue(get_user_model().objects.get(username=OPERATOR))
    requests = {
        name: {"path": path, "cookie": f"{settings.SESSION_COOKIE_NAME}={cookies[user]}"}
        for name, (user, path) in pages.items()
    }
    for name, path in API_PAGES.items():
        requests[name] = {"path": path, "token": raw}
    return {
        "requests": requests,
        "tickets": Ticket.objects.count(),
        "instances": Instance.objects.count(),
    }


def _server_env(url: str, var_dir: str, static_root: str) -> dict[str, str]:
    return _common.server_env(url, var_dir, SERVER_TIMING="1", STATIC_ROOT=static_root)


# --- the server and the clients ----------------------------------------------------------------


def _headers(spec: dict[str, str]) -> dict[str, str]:
    headers = {"Accept": "text/html,application/json"}
    if "cookie" in spec:
        headers["Cookie"] = spec["cookie"]
    if "token" in spec:
        headers["Authorization"] = f"Token {spec['token']}"
    return headers


def batch(port: int, spec: dict[str, str], count: int, threads: int, seconds: float) -> dict:  # type: ignore[type-arg]
    """``count`` GETs by ``threads`` clients (``_common.http_batch``): client and server
    times, SQL counts, errors, the load average."""
    got = _common.http_batch(port, spec["path"], _headers(spec), count, threads, seconds)
    out: dict[str, list[Any]] = {
        k: [] for k in ("client_s", "server_ms", "db_ms", "cpu_ms", "statements")
    }
    out["errors"] = list(got["errors"])
    out["load"] = got["load"]
    for elapsed, status, header in got["responses"]:
        timing = TIMING.fullmatch(header)
        if status != 200 or timing is None:
            out["errors"].append(f"HTTP {status}")
            continue
        out["client_s"].append(elapsed)
        out["server_ms"].append(float(timing[1]))
        out["db_ms"].append(float(timing[2]))
        out["statements"].append(int(timing[3]))
        out["cpu_ms"].append(float(timing[4]))
    return out


def _pct(values: list[float], q: float) -> float:
    return _common.percentile(values, q) if values else float("nan")


# --- the report ------------------------------------------------------------------------------


def _sql(values: list[int]) -> str:
    return "–".join(map(str, sorted({min(values), max(values)}))) if values else "—"


def print_report(
    env: dict[str, Any], prepared: dict[str, Any], summary: dict[str, Any], names: list[str]
) -> None:
    """The run as the markdown table of docs/benchmarks.md, section 8: per page, the server
    time p50 / p95 at each size with the 1-minute load average beside it, the p95 ratio, the
    CPU time and its ratio to the matching API of the same run, the SQL statements seen."""
    ps, pl = prepared["small"], prepared["large"]
    print(
        f"\n{env['date']}, commit {env.get('commit') or '?'}: {ps['tickets']:,} vs "
        f"{pl['tickets']:,} tickets, {ps['instances']:,} vs {pl['instances']:,} instances; "
        f"{env['workers']} workers, {env['threads']} clients, {env['rounds']} rounds × "
        f"{env['batch']} requests per page and size; load average "
        f"{env['loadavg_at_start'][0]:.1f} → {env['loadavg_at_end'][0]:.1f}. Server time "
        "(Server-Timing) ms, (load average); CPU p50 ms; ÷ API: CPU p50 over the matching "
        "API's in the same run.\n"
    )
    rows = []
    for name in names:
        e = summary[name]
        s, g = e["small"], e["large"]
        rows.append(
            [name,
             f"{s['server_p50_ms']} / {s['server_p95_ms']} ({s['load']})",
             f"{g['server_p50_ms']} / {g['server_p95_ms']} ({g['load']})",
             e["p95_ratio"],
             f"{s['cpu_p50_ms']} → {g['cpu_p50_ms']}",
             f"{s['vs_api_cpu_p50_ms']} / {g['vs_api_cpu_p50_ms']}",
             f"{_sql(s['sql'])} / {_sql(g['sql'])}",
             f"{s['n']}+{s['errors']}e / {g['n']}+{g['errors']}e"]
        )  # fmt: skip
    _common.print_markdown(
        ["page", "10k: p50 / p95 (load)", "1M: p50 / p95 (load)", "p95 1M ÷ 10k",
         "CPU p50 10k → 1M", "÷ API CPU 10k / 1M", "SQL 10k / 1M", "n + errors"],
        rows,
    )  # fmt: skip


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    server = _common.DEFAULT_PG_SERVER
    parser.add_argument("--small", default=f"{server}/mapro_bench_hd_10k")
    parser.add_argument("--large", default=f"{server}/mapro_bench_hd_1m")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=8)
    parser.add_argument("--batch-seconds", type=float, default=120)
    parser.add_argument("--max-seconds", type=float, default=1800)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--label", default="", help="suffix of the results file")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        print(json.dumps(prepare(), default=str))
        return 0

    sizes = {"small": args.small, "large": args.large}
    _common.check_bench_urls(*sizes.values())
    var_dir = tempfile.mkdtemp(prefix="mapro-bench-")
    static_root = collect_static()
    env: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="minutes"),
        "commit": _common.git_commit(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": list(os.getloadavg()),
        **{k: getattr(args, k) for k in ("workers", "threads", "rounds", "batch")},
    }
    prepared = {}
    for size, url in sizes.items():
        print(f"== {size}: preparing {urlsplit(url).path}", flush=True)
        prepared[size] = _common.run_prepare(__file__, _server_env(url, var_dir, static_root))
        print(
            f"   {prepared[size]['tickets']} tickets, {prepared[size]['instances']} instances",
            flush=True,
        )
    names = [n for n in prepared["small"]["requests"] if n in prepared["large"]["requests"]]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    servers: dict[str, _common.Server] = {}
    results: dict[str, dict[str, dict[str, list[Any]]]] = {
        s: {n: {k: [] for k in ("client_s", "server_ms", "db_ms", "cpu_ms", "statements",
                                "errors", "load")} for n in names}
        for s in sizes
    }  # fmt: skip
    memory: dict[str, Any] = {}
    try:
        for size, url in sizes.items():
            probe = prepared[size]["requests"]["api_tickets"]
            servers[size] = _common.Server(
                _server_env(url, var_dir, static_root), args.workers, probe["path"],
                _headers(probe),
            )  # fmt: skip
            memory[size] = {"started": servers[size].worker_memory()}
        for size in sizes:  # warm-up: every page on every worker, untimed
            for name in names:
                spec = prepared[size]["requests"][name]
                got = batch(servers[size].port, spec, args.warmup, args.threads,
                            args.batch_seconds)  # fmt: skip
                if got["errors"]:  # e.g. a database not migrated to this checkout
                    raise SystemExit(
                        f"{size} {name} {spec['path']}: {got['errors'][:3]}\n"
                        f"{servers[size].log_tail()}"
                    )
            memory[size]["warm"] = servers[size].worker_memory()
        run_deadline = time.monotonic() + args.max_seconds
        order = list(sizes)
        for rnd in range(args.rounds):
            if time.monotonic() > run_deadline:
                print("   stopped: --max-seconds reached", flush=True)
                break
            for name in names:
                for size in order if rnd % 2 == 0 else order[::-1]:
                    spec = prepared[size]["requests"][name]
                    got = batch(servers[size].port, spec, args.batch, args.threads,
                                args.batch_seconds)  # fmt: skip
                    for key, values in got.items():
                        results[size][name][key] += values
            print(
                f"   round {rnd + 1}/{args.rounds} done (load {os.getloadavg()[0]:.1f})", flush=True
            )
        for size in sizes:
            memory[size]["end"] = servers[size].worker_memory()
    finally:
        for srv in servers.values():
            srv.stop()
    env["loadavg_at_end"] = list(os.getloadavg())

    summary: dict[str, Any] = {}
    for name in names:
        entry: dict[str, Any] = {}
        for size in sizes:
            r = results[size][name]
            entry[size] = {
                "n": len(r["server_ms"]),
                "errors": len(r["errors"]),
                "error_samples": r["errors"][:3],
                "server_p50_ms": round(_pct(r["server_ms"], 50), 1),
                "server_p95_ms": round(_pct(r["server_ms"], 95), 1),
                "db_p50_ms": round(_pct(r["db_ms"], 50), 1),
                "cpu_p50_ms": round(_pct(r["cpu_ms"], 50), 1),
                "cpu_p95_ms": round(_pct(r["cpu_ms"], 95), 1),
                "client_p50_ms": round(_pct([s * 1000 for s in r["client_s"]], 50), 1),
                "client_p95_ms": round(_pct([s * 1000 for s in r["client_s"]], 95), 1),
                "sql": sorted(set(r["statements"])),
                "load": round(statistics.mean(r["load"]), 1) if r["load"] else None,
            }
        summary[name] = entry
    for name in names:
        entry = summary[name]
        api = name if name in API_PAGES else MATCHING_API.get(name, "api_tickets")
        for size in sizes:
            base = summary.get(api, {}).get(size, {})
            for key in ("server_p50_ms", "cpu_p50_ms"):
                entry[size][f"vs_api_{key}"] = (
                    round(entry[size][key] / base[key], 2) if base.get(key) else None
                )
        entry["p50_ratio"] = round(
            entry["large"]["server_p50_ms"] / entry["small"]["server_p50_ms"], 2
        )
        entry["p95_ratio"] = round(
            entry["large"]["server_p95_ms"] / entry["small"]["server_p95_ms"], 2
        )
        entry["cpu_p50_ratio"] = round(
            entry["large"]["cpu_p50_ms"] / entry["small"]["cpu_p50_ms"], 2
        )
    print_report(env, prepared, summary, names)
    print("\nWorkers (MB, RSS / peak, each worker):\n")
    _common.print_markdown(
        ["size", *memory["small"]],
        [
            [size, *(", ".join(f"{w['rss_mb']} / {w['peak_mb']}" for w in phase)
                     for phase in memory[size].values())]
            for size in sizes
        ],
    )  # fmt: skip
    for size in sizes:
        for spec in prepared[size]["requests"].values():
            spec.pop("cookie", None)
            spec.pop("token", None)
    path = _common.write_results(
        "pages" + (f"-{args.label}" if args.label else ""),
        {"environment": env, "summary": summary, "memory": memory, "prepared": prepared},
    )
    print(f"\nResultados: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
