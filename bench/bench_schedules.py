"""The worker's due-occurrence scan at 1k, 10k and 100k cronogramas: queries and latency.

Every minute the worker asks which approved schedules have an occurrence due
(``mapro.schedules.actions.cronogramas.due_schedules``). That read must not grow with the
register: it reads a partial index on ``next_occurrence_at`` (approved schedules only) in order
and stops after the due ones.

The schedules are written with ``bulk_create`` straight into the table: 80 % approved with their
next occurrence spread over the coming year, 10 % drafts, 10 % retired, and at every size the
same **20 due** (next occurrence in the past) — the like-for-like case a tick meets. Measured
on each size:

- ``scan``: ``due_schedules(now)``, the tick's read (20 rows). Target: the same number of
  queries at every size, median latency at 100k ≤ 1.5 × at 1k.
- ``scan_none``: the same read one minute before the earliest due occurrence (0 rows).
- ``tick``: the whole ``do_start_due_occurrences`` on the 20 due schedules (each starts an
  instance of a one-step procedure, inside a transaction that is rolled back so every run finds
  them due again) — the scan plus 20 starts.

Run: ``cd /work/main && .venv/bin/python bench/bench_schedules.py --db postgres`` (or
``--db sqlite``); results in ``bench/results/schedules-<db>.json``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import random
import time
from typing import Any

import _common

DUE = 20
KINDS = ("scan", "scan_none", "tick")


class World:
    """The procedure, the unit and role, and the schedules written so far."""

    def __init__(self) -> None:
        from django.utils import timezone

        from mapro.core.testing import ensure_role, ensure_unit
        from mapro.procedures.models import Procedure

        _common.publish(_common.chain_ficha(1, code="B.01"))
        self.procedure = Procedure.objects.get(code="B.01")
        self.unit = ensure_unit("OGTIE")
        ensure_role("operador-mesa")
        self.now = timezone.now().replace(microsecond=0)
        self.count = 0
        self.rng = random.Random(12)

    def _row(self, i: int, *, due: bool = False) -> Any:
        from mapro.schedules.models import Schedule

        roll = self.rng.random()
        status = "approved" if due or roll < 0.8 else ("draft" if roll < 0.9 else "retired")
        if due:
            upcoming = self.now - datetime.timedelta(minutes=5 + i)
        elif status == "approved":
            upcoming = self.now + datetime.timedelta(minutes=self.rng.randint(60, 525_600))
        else:
            upcoming = None
        return Schedule(
            name=f"Cronograma {i}",
            procedure=self.procedure,
            start_key="inicio",
            unit=self.unit,
            role="operador-mesa",
            rrule="FREQ=DAILY",
            dtstart=self.now - datetime.timedelta(days=400),
            status=status,
            approved_at=self.now - datetime.timedelta(days=1) if status == "approved" else None,
            next_occurrence_at=upcoming,
        )

    def grow_to(self, size: int) -> float:
        from mapro.schedules.models import Schedule

        started = time.perf_counter()
        if self.count == 0:
            Schedule.objects.bulk_create([self._row(i, due=True) for i in range(DUE)])
            self.count = DUE
        batch = []
        for i in range(self.count, size):
            batch.append(self._row(i))
            if len(batch) == 5000:
                Schedule.objects.bulk_create(batch)
                batch = []
        if batch:
            Schedule.objects.bulk_create(batch)
        self.count = size
        _analyze()
        return time.perf_counter() - started


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(fn: Any, runs: int) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    fn()  # warm up (plan cache, calendar, spec cache)
    with CaptureQueriesContext(connection) as captured:
        rows = fn()
    queries = len(captured.captured_queries)
    reset_queries()
    durations = []
    gc.disable()
    try:
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            durations.append(time.perf_counter() - started)
    finally:
        gc.enable()
    stats = _common.summary_ms(durations)
    return {"rows": rows, "queries": queries, **stats}


def run_size(world: World, runs: int, tick_runs: int) -> dict[str, Any]:
    from django.db import transaction

    from mapro.schedules.actions.cronogramas import do_start_due_occurrences, due_schedules

    earliest = world.now - datetime.timedelta(minutes=5 + DUE)

    def scan() -> int:
        return len(due_schedules(world.now))

    def scan_none() -> int:
        return len(due_schedules(earliest - datetime.timedelta(minutes=1)))

    class Rollback(Exception):
        pass

    def tick() -> int:
        started = 0
        try:
            with transaction.atomic():
                started = len(do_start_due_occurrences(world.now))
                raise Rollback
        except Rollback:
            pass
        return started

    result = {
        "schedules": world.count,
        "scan": _measure(scan, runs),
        "scan_none": _measure(scan_none, runs),
        "tick": _measure(tick, tick_runs),
    }
    return result


def explain(world: World) -> str:
    from django.db import connection

    from mapro.schedules.choices import ScheduleStatus
    from mapro.schedules.models import Schedule

    qs = (
        Schedule.objects.filter(status=ScheduleStatus.APPROVED, next_occurrence_at__lte=world.now)
        .select_related("procedure", "unit")
        .order_by("next_occurrence_at", "id")[:100]
    )
    sql, params = qs.query.sql_with_params()
    postgres = connection.vendor == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if postgres else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}", params)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _common.add_db_argument(parser, default="postgres")
    parser.add_argument("--sizes", default="1000,10000,100000", help="schedules, ascending")
    parser.add_argument("--runs", type=int, default=200, help="runs of each scan")
    parser.add_argument("--tick-runs", type=int, default=10, help="runs of the whole tick")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    env = _common.setup(args.db, args.log_level, "schedules")
    world = World()
    results = []
    for size in sizes:
        seconds = world.grow_to(size)
        print(f"\n== {size} cronogramas ({seconds:.1f} s para crearlos), {env['database']}")
        env[f"loadavg_at_{size}"] = list(os.getloadavg())
        result = run_size(world, args.runs, args.tick_runs)
        results.append(result)
        _common.print_table(
            ["medida", "filas", "consultas", "mediana ms", "p95 ms"],
            [
                [kind, result[kind]["rows"], result[kind]["queries"], result[kind]["median_ms"],
                 result[kind]["p95_ms"]]
                for kind in KINDS
            ],
        )  # fmt: skip
    first = results[0]
    print(f"\n== razón respecto de {first['schedules']} (objetivo scan: ≤ 1.5, mismas consultas)")
    comparison = []
    for result in results[1:]:
        for kind in KINDS:
            a, b = first[kind], result[kind]
            comparison.append(
                {
                    "schedules": [first["schedules"], result["schedules"]],
                    "measure": kind,
                    "queries": [a["queries"], b["queries"]],
                    "median_ms": [a["median_ms"], b["median_ms"]],
                    "ratio": round(b["median_ms"] / a["median_ms"], 2),
                }
            )
    _common.print_table(
        ["cronogramas", "medida", "consultas", "mediana ms", "razón"],
        [
            ["→".join(map(str, c["schedules"])), c["measure"], "→".join(map(str, c["queries"])),
             "→".join(map(str, c["median_ms"])), c["ratio"]]
            for c in comparison
        ],
    )  # fmt: skip
    plan = explain(world)
    print(f"\n== plan del scan con {world.count} cronogramas\n{plan}")
    env["loadavg_at_end"] = list(os.getloadavg())
    path = _common.write_results(
        f"schedules-{env['database']}",
        {
            "environment": env,
            "due": DUE,
            "results": results,
            "comparison": comparison,
            "plan": plan,
        },
    )
    print(f"\nresultados: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
