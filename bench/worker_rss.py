"""What a web worker holds after serving every page of ``bench_pages.py`` (issue #15), in-process.

Not the benchmark (``bench_pages.py`` reads the peak RSS of real gunicorn workers): a tool to
find which page makes a worker grow and which modules it loads. Steps:

1. static files are collected into a temporary ``STATIC_ROOT`` (DEBUG=0 needs the
   manifest); ``bench_pages.py --prepare``, in a subprocess pointed at ``--url``, picks the
   pages (the console, a ticket, the dashboards, "Mis solicitudes", "Mis tareas", a task,
   an instance) and their signed-in cookies, and an API token for the API lists;
2. a fresh interpreter imports ``mapro.wsgi`` as a gunicorn worker does and calls its WSGI
   ``application`` directly (no ``django.test``, which would load what a worker does not),
   each page ``--repeat`` times in order, printing after each page the process's ``VmRSS``
   and peak ``VmHWM`` (``/proc/self/status``), the status and the packages it imported first.

With ``--gunicorn``, step 2 is a real ``gunicorn mapro.wsgi`` instead (``--workers`` sync
workers, as ``bench_pages.py`` starts it), each page requested ``--repeat`` times by 4 client
threads, and the lines are each worker's ``VmRSS`` / ``VmHWM`` after each page.

Run (any migrated database with a few tickets and instances; ``--redis`` sets ``REDIS_URL``)::

    .venv/bin/python bench/worker_rss.py --url postgres://mapro@127.0.0.1:55432/<db> \\
        [--redis redis://127.0.0.1:56379/<n>] [--repeat 3] [--gunicorn --repeat 30]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

import _common
from bench_pages import Server, _server_env, batch, run_prepare

#: Runs in the fresh interpreter: argv[1] is the JSON of ``prepare()`` and the repeat count.
WORKER = r"""
import io, json, sys

def status():
    found = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    return found

def tops():
    return {name.partition(".")[0] for name, mod in sys.modules.items() if mod is not None}

spec, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
before = tops()
import mapro.wsgi
rows = [{"page": "import mapro.wsgi", **status(), "new": sorted(tops() - before)}]
for name, request in spec["requests"].items():
    seen = tops()
    environ = {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT": "text/html,application/json",
    }
    path, _, query = request["path"].partition("?")
    environ.update(PATH_INFO=path, QUERY_STRING=query)
    if "cookie" in request:
        environ["HTTP_COOKIE"] = request["cookie"]
    if "token" in request:
        environ["HTTP_AUTHORIZATION"] = "Token " + request["token"]
    codes = []
    for _ in range(repeat):
        environ["wsgi.input"] = io.BytesIO(b"")
        answer = {}
        def start_response(code, headers, exc_info=None):
            answer["code"] = code
        body = mapro.wsgi.application(environ, start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()
        codes.append(answer["code"].split()[0])
    rows.append({"page": name, **status(), "codes": sorted(set(codes)),
                 "new": sorted(tops() - seen)})
print(json.dumps(rows))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="postgres://… of a migrated database")
    parser.add_argument("--redis", default="", help="REDIS_URL for the worker (default: none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gunicorn", action="store_true", help="measure gunicorn's workers")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    var_dir = tempfile.mkdtemp(prefix="mapro-rss-")
    static_root = os.path.join(var_dir, "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=_common.ROOT,
        env={**os.environ, "STATIC_ROOT": static_root},
        check=True,
    )
    spec = run_prepare(args.url, var_dir, static_root)
    env = _server_env(args.url, var_dir, static_root)
    if args.redis:
        env["REDIS_URL"] = args.redis
    if args.gunicorn:
        return _gunicorn(args, spec, env)
    done = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-W", "ignore", "-c", WORKER, json.dumps(spec), str(args.repeat)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=_common.ROOT,
        timeout=900,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-4000:])
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"REDIS_URL={'set' if args.redis else 'unset'}; {args.repeat} requests a page")
    for row in rows:
        codes = ",".join(row.get("codes", []))
        new = " ".join(row["new"])
        print(
            f"{row['page']:<18} RSS {row['VmRSS']:6.1f}  peak {row['VmHWM']:6.1f} MB  "
            f"{codes:<4} {new}"
        )
    return 0


def _gunicorn(args: argparse.Namespace, spec: dict[str, Any], env: dict[str, str]) -> int:
    requests = spec["requests"]
    server = Server(args.url, args.workers, env, next(iter(requests.values())))
    print(f"gunicorn, {args.workers} workers; REDIS_URL={'set' if args.redis else 'unset'}")
    try:

        def line(page: str, extra: str = "") -> None:
            memory = "  ".join(
                f"{w['rss_mb']:6.1f} / {w['peak_mb']:6.1f}" for w in server.worker_memory()
            )
            print(f"{page:<18} RSS / peak MB: {memory}  {extra}", flush=True)

        line("start")
        for name, request in requests.items():
            done = batch(server.port, request, args.repeat, 4, 300)
            line(name, f"errors: {len(done['errors'])}" if done["errors"] else "")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
