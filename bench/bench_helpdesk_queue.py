"""The help-desk queue at 10k and 1M tickets over loopback HTTP: p50/p95, their ratio, SQL count.

Needs the two databases that ``seed_tickets.py`` loads (see docs/benchmarks.md, "Help desk
queue"). For each database the script:

1. in a subprocess pointed at it (``DATABASE_URL``), issues an API token for ``operador-mesa``
   (``ApiToken.issue``; the desk role sees every ticket), follows the keyset cursor of
   ``GET /api/v1/tickets/`` ``--deep`` pages down to get the deep page's URL, counts the SQL
   queries of one request per scenario with Django's test client and
   ``CaptureQueriesContext`` (after an untimed warm-up request), and runs
   ``EXPLAIN (ANALYZE, BUFFERS)`` on each scenario's ticket query (the captured SQL);
2. starts a real server: ``gunicorn mapro.wsgi`` with ``--workers`` sync workers on a free
   port of 127.0.0.1, DEBUG off, HTTPS off, ``CONN_MAX_AGE=60`` (persistent database
   connections, as a production server runs; with the default 0 every request would also pay
   a new PostgreSQL connection, the same at both sizes).

Then it drives both servers with ``--threads`` concurrent clients (``http.client``, one
connection per thread, reopened when a sync worker closes it), ``Authorization: Token …``.
Sizes are interleaved so that the machine's noise is shared: in each of ``--rounds`` rounds,
every scenario runs a batch of ``--batch`` requests on one size and then on the other (which
size goes first alternates by round). A batch stops at its request count or after
``--batch-seconds``; the whole run after ``--max-seconds``. Every latency is client-side, from
sending the request to the last byte of the body, so it includes waiting for a free worker.

Scenarios (the operator's queue, as the console and the API list it, 50 per page):

- ``primera``: the first page, no filter;
- ``filtrada``: ``status=cerrado&category=soporte-tecnico&priority=media`` (a common mix);
- ``filtrada_abiertos``: open statuses (registrado, asignado, en atención) of the ``cuentas``
  subtree with priority alta (a selective mix, what an operator looks for);
- ``profunda``: the page after ``--deep`` pages of the first page's cursor chain;
- ``busqueda_comun``: ``q=impresora`` (≈ 13 % of tickets match);
- ``busqueda_rara``: ``q=telepresencia`` (≈ 0.05 % match);
- ``filtrada_abiertos_4`` and ``busqueda_rara_4``: the same with ``limit=4``. At 10k those two
  match only 4 and 6 tickets, so their 50-row pages are short there and full at 1M; with 4
  rows a page both sizes render the same number of rows;
- ``filtrada_abiertos_soporte``: the open statuses of ``soporte-tecnico`` (any priority): a
  selective filter on open tickets whose page is full at both sizes (89 matches at 10k, 7,417
  at 1M), the like-for-like counterpart of ``filtrada_abiertos`` with 50 rows a page.

Targets (issue 4): the same number of SQL queries at both sizes, and p95(1M) / p95(10k) ≤ 1.5.

The API's list convention (docs/api.md, "Lists"): the body is a JSON array, the next page's
cursor is in ``X-Next-Cursor`` (and ``Link: rel="next"``), the page size is ``limit``. The
server, its environment and the client batches are ``_common``'s (shared with
``bench_pages.py``).

Run::

    .venv/bin/python bench/bench_helpdesk_queue.py \\
        --small postgres://mapro@127.0.0.1:55432/mapro_bench_hd_10k \\
        --large postgres://mapro@127.0.0.1:55432/mapro_bench_hd_1m
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
from urllib.parse import urlencode, urlsplit

import _common

SCENARIOS: dict[str, list[tuple[str, str]]] = {
    "primera": [],
    "filtrada": [("status", "cerrado"), ("category", "soporte-tecnico"), ("priority", "media")],
    "filtrada_abiertos": [
        ("status", "registrado"),
        ("status", "asignado"),
        ("status", "en_atencion"),
        ("category", "cuentas"),
        ("priority", "alta"),
    ],
    "profunda": [],  # the cursor is added once the chain has been followed
    "busqueda_comun": [("q", "impresora")],
    "busqueda_rara": [("q", "telepresencia")],
}
# At 10k the selective mix and the rare word match fewer than 50 tickets (4 and 6), so their
# pages are shorter than at 1M and cheaper to render: the same two with 4 rows a page at
# both sizes compare like for like.
SCENARIOS["filtrada_abiertos_4"] = [*SCENARIOS["filtrada_abiertos"], ("limit", "4")]
SCENARIOS["busqueda_rara_4"] = [*SCENARIOS["busqueda_rara"], ("limit", "4")]
# Open tickets of one category: selective too, but 50 rows a page at both sizes.
SCENARIOS["filtrada_abiertos_soporte"] = [
    ("status", "registrado"),
    ("status", "asignado"),
    ("status", "en_atencion"),
    ("category", "soporte-tecnico"),
]
LIST = "/api/v1/tickets/"
OPERATOR = "operador-mesa"
EXPLAIN_RUNS = 5


# --- in-process part (one subprocess per database) ---------------------------------------------


def _ticket_query(captured: list[dict[str, Any]]) -> str:
    """The SQL of the page itself: the query on helpdesk_ticket with a LIMIT."""
    pages = [
        q["sql"] for q in captured if 'FROM "helpdesk_ticket"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert len(pages) == 1, [q["sql"][:120] for q in captured]
    return pages[0]


def _plan_ms(what: str, plan: str) -> float:
    match = re.search(rf"{what} Time: ([\d.]+) ms", plan)
    assert match is not None, plan
    return float(match.group(1))


def prepare(deep: int) -> dict[str, Any]:
    """Token, deep cursor, query counts and plans for the database of ``DATABASE_URL``."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mapro.accounts.models import ApiToken
    from mapro.helpdesk.models import Ticket

    user = get_user_model().objects.get(username=OPERATOR)
    _token, raw = ApiToken.issue(user)
    headers = {"HTTP_AUTHORIZATION": f"Token {raw}"}
    client = Client()

    def get(path: str) -> tuple[list[dict[str, Any]], str]:
        """The page's rows (a JSON array) and the next page's cursor ("" on the last page)."""
        response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        rows: list[dict[str, Any]] = response.json()
        assert isinstance(rows, list), f"{path}: not a JSON array (docs/api.md, Lists)"
        return rows, response.headers.get("X-Next-Cursor", "")

    # Follow the cursor chain ``deep`` pages down (untimed; it also warms the caches up).
    started = time.perf_counter()
    rows, cursor = get(LIST)
    for _ in range(deep):
        assert cursor, "fewer pages than --deep"
        rows, cursor = get(f"{LIST}?{urlencode({'cursor': cursor})}")
    deep_cursor = cursor
    assert deep_cursor, "the deep page is the last one: lower --deep"
    chain_seconds = time.perf_counter() - started
    paths = {name: _path(name, params, deep_cursor) for name, params in SCENARIOS.items()}
    out: dict[str, Any] = {
        "token": raw,
        "paths": paths,
        "tickets": Ticket.objects.count(),
        "chain_seconds": round(chain_seconds, 1),
        "scenarios": {},
    }
    for name, path in paths.items():
        get(path)  # warm-up: the token's last_used_at update happens at most once in a while
        with CaptureQueriesContext(connection) as ctx:
            rows, _cursor = get(path)
        sql = _ticket_query(ctx.captured_queries)
        planning, execution = [], []
        plan = ""
        with connection.cursor() as cursor:
            for _ in range(EXPLAIN_RUNS):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                planning.append(_plan_ms("Planning", plan))
                execution.append(_plan_ms("Execution", plan))
        out["scenarios"][name] = {
            "queries": len(ctx.captured_queries),
            "query_sql": [q["sql"][:200] for q in ctx.captured_queries],
            "rows": len(rows),
            "planning_ms": round(statistics.median(planning), 3),
            "execution_ms": round(statistics.median(execution), 3),
            "sql": sql,
            "plan": plan,
        }
    return out


def _path(name: str, params: list[tuple[str, str]], deep_cursor: str) -> str:
    if name == "profunda":
        params = [("cursor", deep_cursor)]
    return f"{LIST}?{urlencode(params)}" if params else LIST


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}", "Accept": "application/json"}


def batch(
    port: int, path: str, token: str, count: int, threads: int, seconds: float
) -> dict[str, Any]:
    """``count`` GETs of ``path`` by ``threads`` clients (``_common.http_batch``): the latencies
    of the 200s, the other answers as errors."""
    got = _common.http_batch(port, path, _headers(token), count, threads, seconds)
    answered = got["responses"]
    errors = got["errors"] + [f"HTTP {status}" for _, status, _ in answered if status != 200]
    latencies = [elapsed for elapsed, status, _ in got["responses"] if status == 200]
    return {"latencies": latencies, "errors": errors, "seconds": got["seconds"]}


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    server = _common.DEFAULT_PG_SERVER
    parser.add_argument("--small", default=f"{server}/mapro_bench_hd_10k")
    parser.add_argument("--large", default=f"{server}/mapro_bench_hd_1m")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--threads", type=int, default=4, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=40, help="requests per batch")
    parser.add_argument("--warmup", type=int, default=8, help="untimed requests per batch set")
    parser.add_argument("--deep", type=int, default=150, help="pages of the cursor chain")
    parser.add_argument("--batch-seconds", type=float, default=120)
    parser.add_argument("--max-seconds", type=float, default=1800)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        print(json.dumps(prepare(args.deep), default=str))
        return 0

    sizes = {"small": args.small, "large": args.large}
    _common.check_bench_urls(*sizes.values())
    var_dir = tempfile.mkdtemp(prefix="mapro-bench-")
    env: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "loadavg_at_start": list(os.getloadavg()),
        "workers": args.workers,
        "threads": args.threads,
        "rounds": args.rounds,
        "batch": args.batch,
        "deep_pages": args.deep,
    }
    prepared = {}
    for size, url in sizes.items():
        print(f"== {size}: preparing {urlsplit(url).path}", flush=True)
        prepared[size] = _common.run_prepare(
            __file__, _common.server_env(url, var_dir), "--deep", str(args.deep)
        )
        print(f"   {prepared[size]['tickets']} tickets", flush=True)
    servers: dict[str, _common.Server] = {}
    try:
        for size, url in sizes.items():
            servers[size] = _common.Server(
                _common.server_env(url, var_dir), args.workers, LIST,
                _headers(prepared[size]["token"]),
            )  # fmt: skip
        latencies: dict[str, dict[str, list[float]]] = {
            s: {n: [] for n in SCENARIOS} for s in sizes
        }
        errors: dict[str, dict[str, list[str]]] = {s: {n: [] for n in SCENARIOS} for s in sizes}
        busy: dict[str, dict[str, float]] = {s: dict.fromkeys(SCENARIOS, 0.0) for s in sizes}
        run_deadline = time.monotonic() + args.max_seconds
        order = list(sizes)
        for size in order:  # warm-up: every scenario on every worker, untimed
            for name in SCENARIOS:
                p = prepared[size]
                batch(servers[size].port, p["paths"][name], p["token"], args.warmup,
                      args.threads, args.batch_seconds)  # fmt: skip
        for rnd in range(args.rounds):
            if time.monotonic() > run_deadline:
                print("   stopped: --max-seconds reached", flush=True)
                break
            for name in SCENARIOS:
                for size in order if rnd % 2 == 0 else order[::-1]:
                    p = prepared[size]
                    result = batch(servers[size].port, p["paths"][name], p["token"],
                                   args.batch, args.threads, args.batch_seconds)  # fmt: skip
                    latencies[size][name] += result["latencies"]
                    errors[size][name] += result["errors"]
                    busy[size][name] += result["seconds"]
            print(f"   round {rnd + 1}/{args.rounds} done", flush=True)
    finally:
        for srv in servers.values():
            srv.stop()
    env["loadavg_at_end"] = list(os.getloadavg())

    rows, summary = [], {}
    for name in SCENARIOS:
        entry: dict[str, Any] = {}
        for size in sizes:
            p = prepared[size]["scenarios"][name]
            stats = _common.summary_ms(latencies[size][name]) if latencies[size][name] else {}
            entry[size] = {
                **stats,
                "errors": len(errors[size][name]),
                "error_samples": errors[size][name][:3],
                "throughput_rps": round(len(latencies[size][name]) / busy[size][name], 1)
                if busy[size][name]
                else 0,
                "queries": p["queries"],
                "rows": p["rows"],
                "planning_ms": p["planning_ms"],
                "execution_ms": p["execution_ms"],
            }
        small, large = entry["small"], entry["large"]
        entry["p95_ratio"] = round(large["p95_ms"] / small["p95_ms"], 2)
        entry["p50_ratio"] = round(large["median_ms"] / small["median_ms"], 2)
        entry["same_queries"] = small["queries"] == large["queries"]
        entry["target_met"] = entry["same_queries"] and entry["p95_ratio"] <= 1.5
        summary[name] = entry
        rows.append(
            [name, f"{small['median_ms']:.1f} / {small['p95_ms']:.1f}",
             f"{large['median_ms']:.1f} / {large['p95_ms']:.1f}", entry["p95_ratio"],
             f"{small['queries']} / {large['queries']}",
             f"{small['execution_ms']:.2f} / {large['execution_ms']:.2f}",
             f"{small['n']}+{small['errors']}e / {large['n']}+{large['errors']}e",
             "sí" if entry["target_met"] else "NO"]
        )  # fmt: skip
    ts, tl = prepared["small"]["tickets"], prepared["large"]["tickets"]
    print(f"\n== cola de la mesa de ayuda: {ts} vs {tl} tickets, ms (cliente, loopback HTTP)")
    _common.print_table(
        ["escenario", "p50 / p95 chica", "p50 / p95 grande", "p95 razón", "consultas",
         "ejecución SQL ms", "n + errores", "objetivo"],
        rows,
    )  # fmt: skip
    explain = []
    for size in sizes:
        for name in SCENARIOS:
            p = prepared[size]["scenarios"][name]
            explain.append(
                f"-- {name}, {prepared[size]['tickets']} tickets: {prepared[size]['paths'][name]}"
                f"\n{p['sql']}\n\n{p['plan']}"
            )
    for size in sizes:
        prepared[size].pop("token")
        for p in prepared[size]["scenarios"].values():
            p.pop("plan")
    path = _common.write_results(
        "helpdesk-queue",
        {"environment": env, "summary": summary, "prepared": prepared},
    )
    (path.parent / "helpdesk-queue-explain.txt").write_text("\n\n".join(explain) + "\n")
    print(f"\nResultados: {path} (y helpdesk-queue-explain.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
