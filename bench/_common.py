"""Shared set-up for the engine benchmarks (scripts, not tests: see docs/benchmarks.md).

Every benchmark runs on a throwaway database:

- SQLite (default): a new file in a temporary ``MAPRO_VAR_DIR``, deleted at exit.
- PostgreSQL (``--db postgres``): the database named by ``BENCH_DATABASE_URL`` (default
  ``postgres://mapro@127.0.0.1:55432/mapro_bench_<benchmark>``) is dropped and created
  again, then migrated. Its name must start with ``mapro_bench`` so that a typo can never
  drop a real database.

Call :func:`setup` before importing anything from ``mapro`` that touches models.

The benchmarks over loopback HTTP (``bench_helpdesk_queue.py``, ``bench_pages.py``) share the
second half of this module instead: a subprocess that prepares a kept bench database
(``run_prepare``), ``gunicorn mapro.wsgi`` on a free port (``Server``), batches of concurrent
GETs (``http_batch``) and the tables they print (``print_markdown``).
"""

from __future__ import annotations

import argparse
import atexit
import copy
import datetime
import http.client
import itertools
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_PG_SERVER = "postgres://mapro@127.0.0.1:55432"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def add_db_argument(parser: argparse.ArgumentParser, default: str = "sqlite") -> None:
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default=default,
        help="sqlite: a temporary file; postgres: BENCH_DATABASE_URL (dropped and recreated)",
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        help="LOG_LEVEL for the run (default WARNING: no log lines on the timed paths)",
    )


def _recreate_pg_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("mapro_bench"):
        raise SystemExit(f"Refusing to drop {name!r}: the bench database must be mapro_bench*.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        ident = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))


def setup(db: str, log_level: str = "WARNING", name: str = "") -> dict[str, Any]:
    """Point Django at a fresh throwaway database, ``django.setup()`` and migrate it.

    Returns a description of the environment for the results file.
    """
    var_dir = tempfile.mkdtemp(prefix="mapro-bench-")
    atexit.register(shutil.rmtree, var_dir, True)
    os.environ["MAPRO_VAR_DIR"] = var_dir
    os.environ["LOG_LEVEL"] = log_level
    os.environ.pop("REDIS_URL", None)  # no shared cache or queue: keep the run self-contained
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapro.settings")
    if db == "postgres":
        default = f"{DEFAULT_PG_SERVER}/mapro_bench{'_' + name if name else ''}"
        url = os.environ.get("BENCH_DATABASE_URL", default)
        _recreate_pg_database(url)
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    env = environment(connection)
    env["log_level"] = log_level
    return env


def git_commit() -> str:
    """The checkout's short commit id ("" outside git)."""
    try:
        return subprocess.run(  # noqa: S603 (fixed arguments)
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return ""


def environment(connection: Any) -> dict[str, Any]:
    import django
    import SpiffWorkflow  # type: ignore[import-untyped]

    commit = git_commit()
    server = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
    else:
        import sqlite3

        server = sqlite3.sqlite_version
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "database": connection.vendor,
        "database_version": server,
        "python": platform.python_version(),
        "django": django.get_version(),
        "spiffworkflow": getattr(SpiffWorkflow, "__version__", "3.2"),
        "cpus": os.cpu_count(),
        "loadavg_at_start": list(os.getloadavg()),
    }


# --- statistics ------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """n, median, p95, mean, min and max of durations given in seconds, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "min_ms": round(min(ms), 3),
        "max_ms": round(max(ms), 3),
    }


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print("  ".join(cell.rjust(widths[i]) for i, cell in enumerate(row)))
        if index == 0:
            print("  ".join("-" * w for w in widths))


def print_markdown(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A GitHub-flavoured markdown table (pasted as is into docs/benchmarks.md)."""
    print("| " + " | ".join(str(h) for h in headers) + " |")
    print("|" + "---|" * len(headers))
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


def write_results(name: str, payload: dict[str, Any]) -> Path:
    """Write ``bench/results/<name>.json`` (gitignored) and return its path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


# --- fichas and data -------------------------------------------------------------------------


def chain_ficha(length: int, code: str = "B.01", role: str = "operador-mesa") -> dict[str, Any]:
    """A synthetic linear ficha 1 → 2 → … → ``length`` → end, each step with a small form."""
    activities = []
    for n in range(1, length + 1):
        activities.append(
            {
                "n": n,
                "name": f"Paso {n} de la cadena",
                "unit": "OGTIE",
                "roles": [role],
                "form": {
                    "type": "object",
                    "required": ["nota"],
                    "properties": {
                        "nota": {"type": "string", "title": "Nota", "maxLength": 200},
                        "fecha": {"type": "string", "title": "Fecha", "format": "date"},
                    },
                },
                "next": n + 1 if n < length else "end",
            }
        )
    return {
        "code": code,
        "name": f"Cadena lineal de {length} pasos (benchmark)",
        "version": 1,
        "process": {"level1": "S04.01", "level2": None},
        "owner": "Jefe(a) de la OGTIE",
        "objective": "Medir el motor.",
        "starts": [{"key": "inicio", "label": "Inicio", "activity": 1}],
        "activities": activities,
    }


def load_real_ficha(code: str) -> dict[str, Any]:
    """A ficha of ``procedures/`` as plain JSON (the loader's line metadata stripped)."""
    from mapro.procedures.ficha.loader import load_ficha

    ficha = load_ficha(ROOT / "procedures" / f"{code}.yaml")
    loaded: dict[str, Any] = json.loads(json.dumps(ficha))
    return loaded


def publish(ficha: dict[str, Any]) -> Any:
    """Publish ``ficha`` (compiled now) as the current version of its procedure."""
    from mapro.procedures.ficha.compiler import compile_bpmn
    from mapro.procedures.ficha.hashing import content_hash
    from mapro.procedures.models import Procedure, ProcedureVersion

    ficha = copy.deepcopy(ficha)
    procedure, _ = Procedure.objects.get_or_create(
        code=ficha["code"],
        defaults={
            "name": ficha["name"],
            "level1": ficha["process"]["level1"],
            "level2": ficha["process"].get("level2") or "",
        },
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        content_hash=content_hash(ficha),
        manual_version=str(ficha["version"]),
        ficha=ficha,
        bpmn_xml=compile_bpmn(ficha),
    )
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return version


# --- servers over loopback HTTP (bench_helpdesk_queue.py, bench_pages.py) ----------------------


def check_bench_urls(*urls: str) -> None:
    """Refuse any database but a bench one (``mapro_bench*``): the scripts write to them."""
    for url in urls:
        if not urlsplit(url).path.lstrip("/").startswith("mapro_bench"):
            raise SystemExit(f"{url}: the bench databases are mapro_bench*.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(url: str, var_dir: str, **extra: str) -> dict[str, str]:
    """The environment of a server (and of its prepare step) on the kept database ``url``:
    DEBUG off, HTTPS off, ``CONN_MAX_AGE=60`` (persistent connections, as a production server
    runs; with the default 0 every request would also pay a new PostgreSQL connection), no
    Redis (the run stays self-contained), plus ``extra``."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "HTTPS": "0",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "MAPRO_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "mapro.settings",
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def use_server_env(url: str, redis: str = "", **extra: str) -> str:
    """Give this process a server's environment (``server_env``) on the bench database ``url``,
    with a fresh ``MAPRO_VAR_DIR`` (returned) and Redis only if ``redis`` names one: for a
    script that profiles or seeds in process and must see what the measured server sees."""
    check_bench_urls(url)
    var_dir = tempfile.mkdtemp(prefix="mapro-bench-")
    os.environ.update(server_env(url, var_dir, **extra))
    os.environ.pop("REDIS_URL", None)
    if redis:
        os.environ["REDIS_URL"] = redis
    return var_dir


def run_prepare(script: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    """``script --prepare *args`` in a subprocess with ``env`` (its database); the JSON object
    it prints last."""
    done = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, script, "--prepare", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=1800,
    )
    if done.returncode != 0:
        raise SystemExit(f"prepare failed for {env['DATABASE_URL']}:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class Server:
    """``gunicorn mapro.wsgi`` (``workers`` sync workers) on a free loopback port, ready once
    ``probe_path`` answers 200 with ``probe_headers``; stopped by :meth:`stop`."""

    def __init__(
        self, env: dict[str, str], workers: int, probe_path: str, probe_headers: dict[str, str]
    ) -> None:
        self.port = free_port()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        # The server's log goes to a file, never to a pipe nobody reads: a full pipe (64 KB of
        # tracebacks) blocks every worker on its next write and the run hangs.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed by stop)
            prefix="mapro-bench-gunicorn-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [gunicorn, "mapro.wsgi", "--workers", str(workers), "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "120"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                conn.request("GET", probe_path, headers=probe_headers)
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
                tail = self.log_tail()
                self.stop()
                raise SystemExit(f"server answered {status} to {probe_path}:\n{tail}")
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"gunicorn did not start:\n{self.log_tail()}") from None
                time.sleep(0.5)

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log (its tracebacks)."""
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-chars:]

    def worker_memory(self) -> list[dict[str, float]]:
        """RSS and peak RSS (MB: ``VmRSS``, ``VmHWM``) of each worker (the master's children)."""
        pid = self.process.pid
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as fh:
                children = [int(c) for c in fh.read().split()]
        except OSError:
            return []
        out = []
        for child in children:
            fields: dict[str, float] = {}
            try:
                with open(f"/proc/{child}/status") as fh:
                    for line in fh:
                        key, _, value = line.partition(":")
                        if key in ("VmRSS", "VmHWM"):
                            fields[key] = round(int(value.split()[0]) / 1024, 1)
            except OSError:
                continue
            out.append({"pid": child, "rss_mb": fields["VmRSS"], "peak_mb": fields["VmHWM"]})
        return out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def http_batch(
    port: int, path: str, headers: dict[str, str], count: int, threads: int, seconds: float
) -> dict[str, Any]:
    """``count`` GETs of ``path`` by ``threads`` clients (``http.client``, one connection per
    thread, reopened when a sync worker closes it); stops early after ``seconds``.

    ``responses``: ``(seconds to the last byte, status, Server-Timing header)`` of each
    answered request; ``errors``: the failures to get one; ``seconds``: the batch's wall time;
    ``load``: the 1-minute load average before and after."""
    tickets = itertools.count()
    lock = threading.Lock()
    responses: list[tuple[float, int, str]] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

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
                timing = response.getheader("Server-Timing") or ""
                with lock:
                    responses.append((elapsed, response.status, timing))
        finally:
            conn.close()

    load = os.getloadavg()[0]
    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {
        "responses": responses,
        "errors": errors,
        "seconds": time.perf_counter() - started,
        "load": [load, os.getloadavg()[0]],
    }
