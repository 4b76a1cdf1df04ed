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

- ``first_page``: the first 50 rows of ``open_work_items_for(user)`` — what a paginated
  inbox shows. Target: same number of queries at both sizes, median latency 100k/1k ≤ 1.5.
- ``unbounded``: the whole selector, which is what ``GET /api/v1/tasks/`` returns today.
- ``api``: ``GET /api/v1/tasks/`` through Django's test client (session login).
- ``detail``: ``get_work_item_for_user`` on one open item of the user (the visibility
  check every task detail and completion runs).

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
#: Above this many visible rows the unbounded list and the API are timed once.
UNBOUNDED_MANY = 2000
FICHA = "instance__procedure_version__ficha"
SMALL_PAGE = 10
KINDS = ("first_page", "page_defer_ficha", "page_10", "unbounded", "api", "detail")
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
                        )
                        for item, role in zip(items, roles, strict=True)
                    ]
                )
            self.created += size
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return time.perf_counter() - started


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


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
    from mapro.procedures.selectors import get_work_item_for_user, open_work_items_for

    client = Client()
    result: dict[str, Any] = {"instances": size}
    for name, user in world.users.items():
        visible = open_work_items_for(user)
        mine = visible.count()
        target = visible.filter(state=WorkItemState.OPEN).values_list("pk", flat=True).last()
        client.force_login(user)

        def api(u: Any) -> int:
            response = client.get("/api/v1/tasks/")
            assert response.status_code == 200, response.status_code
            return len(response.json())

        def detail(u: Any, pk: int | None = target) -> int:
            assert pk is not None
            get_work_item_for_user(u, pk)
            return 1

        # A list of thousands of rows takes seconds: time it once at that size.
        slow_runs = api_runs if mine <= UNBOUNDED_MANY else 1
        result[name] = {
            "open_items_visible": mine,
            "first_page": measure(
                lambda u: len(list(open_work_items_for(u)[:PAGE])), user.pk, runs
            ),
            # The same page without loading each row's procedure ficha (a proposed change).
            "page_defer_ficha": measure(
                lambda u: len(list(open_work_items_for(u).defer(FICHA)[:PAGE])), user.pk, runs
            ),
            # Ten rows: every user has that many at every size (a like-for-like comparison).
            "page_10": measure(
                lambda u: len(list(open_work_items_for(u)[:SMALL_PAGE])), user.pk, runs
            ),
            "unbounded": measure(lambda u: len(list(open_work_items_for(u))), user.pk, slow_runs),
            "api": measure(api, user.pk, slow_runs, warmup=1),
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
    from mapro.procedures.selectors import open_work_items_for

    planning, execution = [], []
    for _ in range(runs):
        plan = open_work_items_for(_fresh(user_pk))[:PAGE].explain(analyze=True)
        planning.append(_plan_ms("Planning", plan))
        execution.append(_plan_ms("Execution", plan))
    return {
        "planning_ms": round(statistics.median(planning), 3),
        "execution_ms": round(statistics.median(execution), 3),
    }


def explain(world: World) -> str:
    from django.db import connection

    from mapro.procedures.models import WorkItemState
    from mapro.procedures.selectors import open_work_items_for, work_items_visible_to

    options: dict[str, Any] = (
        {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    )
    out = []
    for name, user in world.users.items():
        page = open_work_items_for(_fresh(user.pk))[:PAGE]
        out.append(f"-- first page ({PAGE}) for {name}\n{page.query}\n\n{page.explain(**options)}")
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


#: The proposed inbox index, tried on the throwaway database only (raw SQL, no migration):
#: the item's creation time copied into WorkItemRole, and an index that yields a role's open
#: rows already in inbox order, so a page reads ``PAGE`` index entries instead of every
#: visible row.
EXPERIMENT_DDL = [
    "ALTER TABLE procedures_workitemrole ADD COLUMN bench_created_at timestamp with time zone",
    "UPDATE procedures_workitemrole r SET bench_created_at = w.created_at "
    "FROM procedures_workitem w WHERE w.id = r.work_item_id",
    "CREATE INDEX bench_wirole_open_order ON procedures_workitemrole "
    "(role, unit_id, bench_created_at, work_item_id) WHERE is_open",
    "CREATE INDEX bench_wirole_open_order_global ON procedures_workitemrole "
    "(role, bench_created_at, work_item_id) WHERE is_open",
    "ANALYZE procedures_workitemrole",
]

#: One branch per grant, each already limited, merged and limited again (UNION ALL of
#: LIMITed branches): the cost is grants × page, whatever the table size.
EXPERIMENT_QUERY = """
SELECT w.id, w.instance_id, w.n, w.name, w.roles, w.unit_id, w.state, w.created_at, w.due_at,
       p.code AS procedure
FROM (
  SELECT DISTINCT ON (created_at, work_item_id) work_item_id, created_at FROM (
    {branches}
  ) b ORDER BY created_at, work_item_id LIMIT {page}
) page
JOIN procedures_workitem w ON w.id = page.work_item_id
JOIN procedures_instance i ON i.id = w.instance_id
JOIN procedures_procedureversion v ON v.id = i.procedure_version_id
JOIN procedures_procedure p ON p.id = v.procedure_id
ORDER BY page.created_at, page.work_item_id
"""

GLOBAL_BRANCH = """(SELECT work_item_id, bench_created_at AS created_at
     FROM procedures_workitemrole WHERE is_open AND role = %s
     ORDER BY bench_created_at, work_item_id LIMIT {page})"""
UNIT_BRANCH = """(SELECT work_item_id, bench_created_at AS created_at
     FROM procedures_workitemrole WHERE is_open AND role = %s AND unit_id = %s
     ORDER BY bench_created_at, work_item_id LIMIT {page})"""


def experiment(world: World, runs: int) -> dict[str, Any]:
    """Try the proposed index and query on the largest size; plans and latency per user."""
    from django.db import connection

    from mapro.organization.models import Unit
    from mapro.organization.permissions import grants_for

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        for statement in EXPERIMENT_DDL:
            cursor.execute(statement)
    out: dict[str, Any] = {}
    for name, user in world.users.items():
        branches: list[str] = []
        params: list[Any] = []
        for grant in sorted(grants_for(_fresh(user.pk)), key=lambda g: g.role):
            if grant.unit_id is None:
                branches.append(GLOBAL_BRANCH.format(page=PAGE))
                params.append(grant.role)
            else:  # a unit-scoped grant: one branch per unit of its subtree
                subtree = Unit.objects.filter(path__startswith=grant.unit_path or "")
                for unit_id in subtree.values_list("pk", flat=True):
                    branches.append(UNIT_BRANCH.format(page=PAGE))
                    params += [grant.role, unit_id]
        sql = EXPERIMENT_QUERY.format(branches="\n    UNION ALL\n    ".join(branches), page=PAGE)
        times = []
        rows = 0
        with connection.cursor() as cursor:
            for _ in range(runs):
                start = time.perf_counter()
                cursor.execute(sql, params)
                rows = len(cursor.fetchall())
                times.append(time.perf_counter() - start)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        out[name] = {"rows": rows, **_common.summary_ms(times), "sql": sql, "plan": plan}
    return out


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
    last_size = sizes[-1]
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
    tried = experiment(world, args.runs)
    now = {n: results[-1][n]["first_page"]["median_ms"] for n in world.users}
    if tried:
        print(f"\n== índice propuesto (solo en esta BD de prueba), {last_size} expedientes")
        _common.print_table(
            ["usuario", "filas", "mediana ms", "p95 ms", "actual: primera página ms"],
            [
                [n, t["rows"], t["median_ms"], t["p95_ms"], now[n]]
                for n, t in tried.items()
            ],
        )  # fmt: skip
        explain_text += "\n\n".join(
            f"-- proposed index and query, {n}\n{t['sql']}\n{t['plan']}" for n, t in tried.items()
        )
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
            "experiment": {n: _without(t, "plan") for n, t in tried.items()},
            "explain": explain_text,
        },
    )
    (path.parent / f"{name}-explain.txt").write_text(explain_text)
    print(f"\nResultados: {path} (y {name}-explain.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
