"""The inbox at 1k and 100k running instances: query count, latency and plans.

Instances and work items are written with ``bulk_create`` straight into the tables (each
running instance: two completed work items and one open one, with their ``WorkItemRole``
rows; the stored state is a real one of S04.01.00.03, so the tables have realistic width).
Open items are spread over roles (and, for ``director-uo``, over 20 units) so that three
users see very different shares:

- ``operador``: operador-mesa, a global role with 30 % of the open items;
- ``jefe``: jefe-ogtie, a global role with 2 %;
- ``director``: director-uo of one unit, unit-scoped: ~0.9 %.

For each size and user it measures, on fresh user objects (grants read again, as per request):

- ``first_page``: ``inbox_page(user)``, the first 50 items — what ``/tareas/`` and
  ``GET /api/v1/tasks/`` show. Target: same number of queries at both sizes, median latency
  100k/1k ≤ 1.5.
- ``page_10``: ``inbox_page(user, limit=10)`` — every user has 10 items at 1k (like for like).
- ``next_page``: 50 items after the cursor of a first page of 5 (``?cursor=``).
- ``old_page``: the first 50 rows of ``open_work_items_for(user)``, the previous way to read a
  page (one ``IN`` over all the user's role rows, then sort), kept for comparison in the
  same run.
- ``unbounded``: the whole ``open_work_items_for(user)``.
- ``api``: ``GET /api/v1/tasks/`` (first page, 50) through Django's test client (session login).
- ``detail``: ``get_work_item_for_user`` on one open item of the user (the visibility
  check every task detail runs).

The EXPLAIN (ANALYZE, BUFFERS) of the first page at the largest size is written next to the
JSON results (``bench/results/inbox-<db>-explain.txt``).

Run: ``cd /work/main && .venv/bin/python bench/bench_inbox.py`` (PostgreSQL by default).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import _common

PAGE = 50
#: Above this many visible rows the unbounded list is timed once.
UNBOUNDED_MANY = 2000
SMALL_PAGE = 10
KINDS = ("first_page", "page_10", "next_page", "old_page", "unbounded", "api", "detail")
UNITS = 20
#: Share of open items per role (director-uo rows are spread over the 20 units).
ROLE_WEIGHTS = [
    ("operador-mesa", 30),
    ("esp-seguridad-info", 20),
    ("coord-innovacion", 15),
    ("coord-infraestructura", 15),
    ("director-uo", 18),
    ("jefe-ogtie", 2),
]


class World:
    """The organization, the users and the published version the rows hang from."""

    def __init__(self) -> None:
        from mapro.core.testing import ensure_unit, make_user
        from mapro.procedures.actions import do_start_instance

        sg = ensure_unit("SG", "Secretaría General")
        self.ogtie = ensure_unit("OGTIE", "OGTIE", parent=sg)
        self.units = [ensure_unit(f"U{i:02d}", f"Unidad {i:02d}", parent=sg) for i in range(UNITS)]
        self.users = {
            "operador": make_user("operador-mesa", unit=self.ogtie),
            "jefe": make_user("jefe-ogtie", unit=self.ogtie),
            "director": make_user("director-uo", unit=self.units[0]),
        }
        ficha = _common.load_real_ficha("S04.01.00.03")
        self.version = _common.publish(ficha)
        starter = make_user("coord-innovacion", unit=self.ogtie)
        sample = do_start_instance(ficha["code"], data={}, actor=starter)
        self.sample_pk = sample.pk
        self.state_bytes = len(_dumps(sample.state))
        self.activity_names = {a["n"]: a["name"] for a in ficha["activities"]}
        cycle: list[str] = []
        for role, weight in ROLE_WEIGHTS:
            cycle += [role] * weight
        self.role_cycle = cycle
        self.created = 0

    def grow_to(self, total: int, batch: int = 2000) -> float:
        """Bulk-create running instances until there are ``total``; seconds taken."""
        from django.db import connection, transaction
        from django.db.models import Subquery

        from mapro.procedures.models import (
            Instance,
            InstanceStatus,
            WorkItem,
            WorkItemRole,
            WorkItemState,
        )

        started = time.perf_counter()
        while self.created < total:
            size = min(batch, total - self.created)
            with transaction.atomic():
                instances = Instance.objects.bulk_create(
                    [
                        Instance(
                            procedure_version=self.version,
                            start_key="revision",
                            status=InstanceStatus.RUNNING,
                            unit=self.units[(self.created + k) % UNITS],
                            started_by_name="benchmark",
                            version=3,
                        )
                        for k in range(size)
                    ]
                )
                items: list[WorkItem] = []
                roles: list[str] = []
                for k, instance in enumerate(instances):
                    serial = self.created + k
                    open_role = self.role_cycle[serial % len(self.role_cycle)]
                    for n, role, state in (
                        (1, "coord-innovacion", WorkItemState.COMPLETED),
                        (2, "esp-seguridad-info", WorkItemState.COMPLETED),
                        (3, open_role, WorkItemState.OPEN),
                    ):
                        items.append(
                            WorkItem(
                                instance=instance,
                                task_id=f"{serial:08d}-0000-4000-8000-{n:012d}",
                                n=n,
                                name=self.activity_names.get(n, "")[:400],
                                roles=[role],
                                unit=self.ogtie,
                                state=state,
                            )
                        )
                        roles.append(role)
                # The real stored state, copied on the server (no per-row JSON encoding here).
                Instance.objects.filter(pk__in=[i.pk for i in instances]).update(
                    state=Subquery(Instance.objects.filter(pk=self.sample_pk).values("state")[:1])
                )
                WorkItem.objects.bulk_create(items)
                WorkItemRole.objects.bulk_create(
                    [
                        WorkItemRole(
                            work_item=item,
                            role=role,
                            unit=item.instance.unit if role == "director-uo" else self.ogtie,
                            is_open=item.state == WorkItemState.OPEN,
                            created_at=item.created_at,
                        )
                        for item, role in zip(items, roles, strict=True)
                    ]
                )
            self.created += size
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return time.perf_counter() - started


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _fresh(user_pk: int) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_pk)


def measure(call: Callable[[Any], Any], user_pk: int, runs: int, warmup: int = 3) -> dict[str, Any]:
    """Median/p95 latency of ``call(user)`` over ``runs`` runs, and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    rows = 0
    if runs <= 1:  # one slow run: time it while counting its queries
        user = _fresh(user_pk)
        gc.collect()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            rows = call(user)
            times.append(time.perf_counter() - start)
        return {**_common.summary_ms(times), "queries": len(ctx.captured_queries), "rows": rows}
    for _ in range(warmup):
        call(_fresh(user_pk))
    for _ in range(runs):
        user = _fresh(user_pk)
        gc.collect()
        start = time.perf_counter()
        rows = call(user)
        times.append(time.perf_counter() - start)
    user = _fresh(user_pk)
    with CaptureQueriesContext(connection) as ctx:
        call(user)
    return {**_common.summary_ms(times), "queries": len(ctx.captured_queries), "rows": rows}


def run_size(world: World, size: int, runs: int, api_runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from mapro.procedures.models import WorkItemState
    from mapro.procedures.selectors import get_work_item_for_user, inbox_page, open_work_items_for

    client = Client()
    result: dict[str, Any] = {"instances": size}
    for name, user in world.users.items():
        visible = open_work_items_for(user)
        mine = visible.count()
        target = visible.filter(state=WorkItemState.OPEN).values_list("pk", flat=True).last()
        # Every user has at least 10 items at 1k: the page after the first 5 exists.
        cursor = inbox_page(_fresh(user.pk), limit=5).next_cursor
        assert cursor is not None
        client.force_login(user)

        def api(u: Any) -> int:
            response = client.get("/api/v1/tasks/")
            assert response.status_code == 200, response.status_code
            return len(response.json())

        def next_page(u: Any, after: str | None = cursor) -> int:
            return len(inbox_page(u, cursor=after).items)

        def detail(u: Any, pk: int | None = target) -> int:
            assert pk is not None
            get_work_item_for_user(u, pk)
            return 1

        # A list of thousands of rows takes seconds: time it once at that size.
        slow_runs = api_runs if mine <= UNBOUNDED_MANY else 1
        result[name] = {
            "open_items_visible": mine,
            "first_page": measure(lambda u: len(inbox_page(u).items), user.pk, runs),
            # Ten rows: every user has that many at every size (a like-for-like comparison).
            "page_10": measure(lambda u: len(inbox_page(u, limit=SMALL_PAGE).items), user.pk, runs),
            # The page after the first five (what ``?cursor=`` costs).
            "next_page": measure(next_page, user.pk, runs),
            # The previous way to read a page, for comparison in the same run.
            "old_page": measure(lambda u: len(list(open_work_items_for(u)[:PAGE])), user.pk, runs),
            "unbounded": measure(lambda u: len(list(open_work_items_for(u))), user.pk, slow_runs),
            "api": measure(api, user.pk, runs, warmup=1),
            "detail": measure(detail, user.pk, runs),
        }
        if connection.vendor == "postgresql":
            result[name]["first_page_server"] = server_times(user.pk, runs=10)
        client.logout()
    return result


def _plan_ms(what: str, plan: str) -> float:
    import re

    match = re.search(rf"{what} Time: ([\d.]+) ms", plan)
    assert match is not None, plan
    return float(match.group(1))


def server_times(user_pk: int, runs: int) -> dict[str, float]:
    """Median planning and execution time of the first page inside PostgreSQL.

    EXPLAIN ANALYZE timings leave out the client (Python, driver, row building), which on a
    shared machine is the noisiest part of the latency.
    """
    from mapro.procedures.selectors import inbox_page_queryset

    planning, execution = [], []
    for _ in range(runs):
        plan = inbox_page_queryset(_fresh(user_pk), None, PAGE + 1).explain(analyze=True)
        planning.append(_plan_ms("Planning", plan))
        execution.append(_plan_ms("Execution", plan))
    return {
        "planning_ms": round(statistics.median(planning), 3),
        "execution_ms": round(statistics.median(execution), 3),
    }


def explain(world: World) -> str:
    from django.db import connection

    from mapro.procedures.models import WorkItemState
    from mapro.procedures.selectors import (
        inbox_page_queryset,
        open_work_items_for,
        work_items_visible_to,
    )

    options: dict[str, Any] = (
        {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    )
    out = []
    for name, user in world.users.items():
        page = inbox_page_queryset(_fresh(user.pk), None, PAGE + 1)
        out.append(f"-- first page ({PAGE}) for {name}\n{page.query}\n\n{page.explain(**options)}")
        old = open_work_items_for(_fresh(user.pk))[:PAGE]
        out.append(f"-- old page ({PAGE}) for {name}\n{old.query}\n\n{old.explain(**options)}")
        target = (
            open_work_items_for(user)
            .filter(state=WorkItemState.OPEN)
            .values_list("pk", flat=True)
            .last()
        ) or 0
        # The detail's visibility query, as get_work_item_for_user builds it.
        detail = (
            work_items_visible_to(_fresh(user.pk))
            .select_related("instance__procedure_version__procedure", "unit")
            .defer("instance__state")
            .filter(pk=target)
        )
        plan = detail.explain(**options)
        out.append(f"-- detail visibility for {name}\n{detail.query}\n\n{plan}")
    return "\n\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _common.add_db_argument(parser, default="postgres")
    parser.add_argument("--sizes", default="1000,100000", help="running instances, ascending")
    parser.add_argument("--runs", type=int, default=50, help="runs of the first page")
    parser.add_argument("--api-runs", type=int, default=10, help="runs of the unbounded list/API")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    env = _common.setup(args.db, args.log_level, "inbox")
    world = World()
    print(f"estado guardado de una instancia: {world.state_bytes} bytes")
    results = []
    for size in sizes:
        seconds = world.grow_to(size)
        print(
            f"\n== {size} expedientes en curso ({seconds:.1f} s para crearlos), {env['database']}"
        )
        env[f"loadavg_at_{size}"] = list(os.getloadavg())
        result = run_size(world, size, args.runs, args.api_runs)
        results.append(result)
        rows = []
        for name in world.users:
            r = result[name]
            for kind in KINDS:
                m = r[kind]
                rows.append(
                    [name, r["open_items_visible"], kind, m["rows"], m["queries"], m["median_ms"],
                     m["p95_ms"]]
                )  # fmt: skip
        _common.print_table(
            ["usuario", "visibles", "medida", "filas", "consultas", "mediana ms", "p95 ms"], rows
        )
    explain_text = explain(world)
    comparison = []
    first, last = results[0], results[-1]
    for name in world.users:
        for kind in KINDS:
            a, b = first[name][kind], last[name][kind]
            comparison.append(
                {
                    "user": name,
                    "measure": kind,
                    "queries": [a["queries"], b["queries"]],
                    "median_ms": [a["median_ms"], b["median_ms"]],
                    "ratio": round(b["median_ms"] / a["median_ms"], 2),
                }
            )
    print(f"\n== {last['instances']} / {first['instances']} (objetivo primera página: ≤ 1.5)")
    _common.print_table(
        ["usuario", "medida", "consultas", "mediana ms", "razón"],
        [
            [c["user"], c["measure"], "→".join(map(str, c["queries"])),
             "→".join(map(str, c["median_ms"])), c["ratio"]]
            for c in comparison
        ],
    )  # fmt: skip
    if "first_page_server" in last[next(iter(world.users))]:
        print("\n== primera página dentro de PostgreSQL (EXPLAIN ANALYZE, mediana de 10), ms")
        _common.print_table(
            ["usuario", "planificación", "ejecución", "razón ejecución"],
            [
                [n, "→".join(str(r[n]["first_page_server"]["planning_ms"]) for r in (first, last)),
                 "→".join(str(r[n]["first_page_server"]["execution_ms"]) for r in (first, last)),
                 round(last[n]["first_page_server"]["execution_ms"]
                       / first[n]["first_page_server"]["execution_ms"], 1)]
                for n in world.users
            ],
        )  # fmt: skip
    env["loadavg_at_end"] = list(os.getloadavg())
    name = f"inbox-{env['database']}"
    path = _common.write_results(
        name,
        {
            "environment": env,
            "page": PAGE,
            "state_bytes": world.state_bytes,
            "results": results,
            "comparison": comparison,
            "explain": explain_text,
        },
    )
    (path.parent / f"{name}-explain.txt").write_text(explain_text)
    print(f"\nResultados: {path} (y {name}-explain.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
