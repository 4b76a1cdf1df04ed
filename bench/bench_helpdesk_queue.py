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
- ``filtrada_abiertos_4`` and ``busqueda_rara_4``: the same with ``size=4``. At 10k those two
  match only 4 and 6 tickets, so their 50-row pages are short there and full at 1M; with 4
  rows a page both sizes render the same number of rows;
- ``filtrada_abiertos_soporte``: the open statuses of ``soporte-tecnico`` (any priority): a
  selective filter on open tickets whose page is full at both sizes (89 matches at 10k, 7,417
  at 1M), the like-for-like counterpart of ``filtrada_abiertos`` with 50 rows a page.

Targets (issue 4): the same number of SQL queries at both sizes, and p95(1M) / p95(10k) ≤ 1.5.

Run::

    .venv/bin/python bench/bench_helpdesk_queue.py \\
        --small postgres://mapro@127.0.0.1:55432/mapro_bench_hd_10k \\
        --large postgres://mapro@127.0.0.1:55432/mapro_bench_hd_1m
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import itertools
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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
SCENARIOS["filtrada_abiertos_4"] = [*SCENARIOS["filtrada_abiertos"], ("size", "4")]
SCENARIOS["busqueda_rara_4"] = [*SCENARIOS["busqueda_rara"], ("size", "4")]
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

    def get(path: str) -> dict[str, Any]:
        response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        body: dict[str, Any] = response.json()
        return body

    # Follow the cursor chain ``deep`` pages down (untimed; it also warms the caches up).
    started = time.perf_counter()
    body = get(LIST)
    for _ in range(deep):
        assert body["next_cursor"], "fewer pages than --deep"
        body = get(f"{LIST}?{urlencode({'cursor': body['next_cursor']})}")
    deep_cursor = body["next_cursor"]
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
            body = get(path)
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
            "rows": len(body["results"]),
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


def _server_env(url: str, var_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "HTTPS": "0",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "MAPRO_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "mapro.settings",
        "PYTHONPATH": str(_common.ROOT),
    }
    env.pop("REDIS_URL", None)
    return env


def run_prepare(url: str, deep: int, var_dir: str) -> dict[str, Any]:
    """``prepare`` in a subprocess whose DATABASE_URL is ``url``."""
    done = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, __file__, "--prepare", "--deep", str(deep)],
        env=_server_env(url, var_dir),
        capture_output=True,
        text=True,
        check=False,
        cwd=_common.ROOT,
        timeout=1800,
    )
    if done.returncode != 0:
        raise SystemExit(f"prepare failed for {url}:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the server and the clients ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``gunicorn mapro.wsgi`` on a free loopback port, stopped by :meth:`stop`."""

    def __init__(self, url: str, workers: int, var_dir: str, token: str) -> None:
        self.port = free_port()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [gunicorn, "mapro.wsgi", "--workers", str(workers), "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "120"],
            env=_server_env(url, var_dir),
            cwd=_common.ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _ = request_once(self.port, LIST, token)
                if status == 200:
                    return
                raise SystemExit(f"server answered {status}")
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    err = self.process.stderr.read().decode() if self.process.stderr else ""
                    self.stop()
                    raise SystemExit(f"gunicorn did not start:\n{err[-3000:]}") from None
                time.sleep(0.5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def request_once(port: int, path: str, token: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Token {token}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def batch(
    port: int, path: str, token: str, count: int, threads: int, seconds: float
) -> dict[str, Any]:
    """``count`` GETs of ``path`` by ``threads`` clients; stops early after ``seconds``."""
    tickets = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while next(tickets) < count and time.monotonic() < deadline:
                start = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    elapsed = time.perf_counter() - start
                    if response.will_close:
                        conn.close()  # a sync worker closes after each response
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    if response.status == 200:
                        latencies.append(elapsed)
                    else:
                        errors.append(f"HTTP {response.status}")
        finally:
            conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {"latencies": latencies, "errors": errors, "seconds": time.perf_counter() - started}


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    server = "postgres://mapro@127.0.0.1:55432"
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
    for url in sizes.values():
        if not urlsplit(url).path.lstrip("/").startswith("mapro_bench"):
            raise SystemExit(f"{url}: the bench databases are mapro_bench*.")
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
        prepared[size] = run_prepare(url, args.deep, var_dir)
        print(f"   {prepared[size]['tickets']} tickets", flush=True)
    servers: dict[str, Server] = {}
    try:
        for size, url in sizes.items():
            servers[size] = Server(url, args.workers, var_dir, prepared[size]["token"])
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
