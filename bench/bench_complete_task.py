"""Completing one task: mapro's action against SpiffWorkflow's own step, in the same run.

Three sides complete the same activity with the same data at every iteration, in rotating
order (A B C, B C A, C A B, …) so that they share the machine's noise:

A. ``do_complete_task`` — the whole action: permission and scope queries, form validation,
   load the workflow from ``Instance.state`` (specless, cached spec), complete and advance,
   ``UPDATE … WHERE version = ?``, work items, history row, audit event, commit.
B. SpiffWorkflow alone, as its documentation runs it: ``BpmnWorkflowSerializer`` (default
   config, spec embedded) ``deserialize_json`` → complete the READY user task →
   ``do_engine_steps`` → ``serialize_json``. No database.
C. SpiffWorkflow as mapro's runner drives it (specless state, restricted evaluator, stuck
   check), no database: the engine share of A.

The target is median(A) / median(B) ≤ 3. Beside the wall time the script measures the CPU time
of every call: the client process's (``time.process_time``) plus, on PostgreSQL, the CPU the
connection's server process spent meanwhile (the server runs on this machine: its
``/proc/<pid>/schedstat``, nanoseconds, or ``/proc/<pid>/stat`` utime+stime in clock ticks where
schedstat is missing). Under load A's statements wait for a CPU while B waits for nothing, so
the wall ratio grows with the load average; the CPU ratio does not (docs/benchmarks.md, 1).
Each scenario follows one fixed path; after
``steps_per_instance`` steps (or when the workflow ends) all sides start a new instance
(untimed), so the state size cycles over the same range on every side.

Run: ``cd /work/main && .venv/bin/python bench/bench_complete_task.py [--db postgres]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import _common


@dataclass
class Scenario:
    name: str
    ficha: dict[str, Any]
    start_key: str
    steps_per_instance: int
    choices: dict[int, dict[str, str]] = field(default_factory=dict)


def scenarios(chain_length: int) -> list[Scenario]:
    return [
        Scenario(
            name=f"cadena sintética de {chain_length} pasos",
            ficha=_common.chain_ficha(chain_length),
            start_key="inicio",
            steps_per_instance=chain_length,
        ),
        Scenario(
            # 1 → 2 → 3 → 4 → 5 (no event) → 10 (observaciones) → 4 → 5 → 10 → … : the loop
            # of the real ficha (5 and 10 ask their two questions apart since commit 3d50db9).
            name="S04.01.00.03 (ciclo 4→5→10 por observaciones)",
            ficha=_common.load_real_ficha("S04.01.00.03"),
            start_key="revision",
            steps_per_instance=20,
            choices={5: {"evento_inesperado": "no"}, 10: {"aceptacion": "observaciones"}},
        ),
    ]


class ActionSide:
    """A: the real action, on the database."""

    label = "A do_complete_task"

    def __init__(self, scenario: Scenario, user_pk: int, data: dict[int, dict[str, Any]]):
        self.scenario = scenario
        self.user_pk = user_pk
        self.data = data
        self.instance: Any = None
        self.steps = 0
        self.item: tuple[int, int] | None = None
        self.actor: Any = None

    def _user(self) -> Any:
        from django.contrib.auth import get_user_model

        # A new user object per request, as authentication gives: grants are read again.
        return get_user_model().objects.get(pk=self.user_pk)

    def prepare(self) -> int:
        """Untimed: pick the open work item (starting a new instance if needed); its n."""
        from mapro.procedures.actions import do_start_instance
        from mapro.procedures.models import WorkItem, WorkItemState

        if self.instance is None or self.steps >= self.scenario.steps_per_instance:
            self.instance = do_start_instance(
                self.scenario.ficha["code"],
                start=self.scenario.start_key,
                data={},
                actor=self._user(),
            )
            self.steps = 0
        item = (
            WorkItem.objects.filter(instance_id=self.instance.pk, state=WorkItemState.OPEN)
            .values_list("pk", "n")
            .first()
        )
        if item is None:  # the workflow ended before steps_per_instance
            self.steps = self.scenario.steps_per_instance
            return self.prepare()
        self.item = item
        self.actor = self._user()
        return item[1]

    def run(self) -> None:
        from mapro.procedures.actions import do_complete_task

        assert self.item is not None
        do_complete_task(self.item[0], self.data[self.item[1]], actor=self.actor)
        self.steps += 1


class SpiffDefaultSide:
    """B: SpiffWorkflow's own serializer (spec embedded in the JSON) and default engine."""

    label = "B SpiffWorkflow"

    def __init__(self, scenario: Scenario, cached: Any, data: dict[int, dict[str, Any]]):
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

        self.scenario = scenario
        self.cached = cached
        self.data = data
        self.serializer = BpmnWorkflowSerializer()
        self.state: str | None = None
        self.steps = 0
        self.task_id: UUID | None = None
        self.n = 0
        self.live: Any = None

    def _ready(self, workflow: Any) -> bool:
        from SpiffWorkflow.util.task import TaskState

        from mapro.procedures.engine.runner import activity_number

        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            return False
        self.task_id = ready[0].id
        self.n = activity_number(ready[0])
        return True

    def prepare(self) -> int:
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        if self.live is not None and not self._ready(self.live):
            self.steps = self.scenario.steps_per_instance
        if self.state is None or self.steps >= self.scenario.steps_per_instance:
            workflow = BpmnWorkflow(self.cached.spec, self.cached.subprocess_specs)
            initial = {"start": self.scenario.start_key}
            workflow.task_tree.data.update(initial)
            for task in workflow.get_tasks(state=TaskState.READY):
                task.data.update(initial)
            workflow.do_engine_steps()
            self.state = self.serializer.serialize_json(workflow)
            self.steps = 0
            self.live = workflow
            self._ready(workflow)
        return self.n

    def run(self) -> None:
        assert self.state is not None and self.task_id is not None
        workflow = self.serializer.deserialize_json(self.state)
        task = workflow.get_task_from_id(self.task_id)
        task.data.update(self.data[self.n])
        task.run()
        workflow.do_engine_steps()
        self.state = self.serializer.serialize_json(workflow)
        self.live = workflow
        self.steps += 1


class EngineSide:
    """C: the engine as mapro's runner uses it (specless state), without the database."""

    label = "C mapro runner, sin BD"

    def __init__(self, scenario: Scenario, cached: Any, data: dict[int, dict[str, Any]]):
        self.scenario = scenario
        self.cached = cached
        self.data = data
        self.state: str | None = None  # JSON text, as Instance.state is read and written
        self.steps = 0
        self.task_id = ""
        self.n = 0
        self.live: Any = None

    def _ready(self, workflow: Any) -> bool:
        from mapro.procedures.engine import runner

        ready = runner.ready_user_tasks(workflow)
        if not ready:
            return False
        self.task_id = str(ready[0].id)
        self.n = runner.activity_number(ready[0])
        return True

    def prepare(self) -> int:
        from mapro.procedures.engine import runner

        if self.live is not None and not self._ready(self.live):
            self.steps = self.scenario.steps_per_instance
        if self.state is None or self.steps >= self.scenario.steps_per_instance:
            workflow = runner.new_workflow(self.cached, {"start": self.scenario.start_key})
            self.state = runner.save_workflow_json(workflow)
            self.steps = 0
            self.live = workflow
            self._ready(workflow)
        return self.n

    def run(self) -> None:
        from mapro.procedures.engine import runner

        assert self.state is not None
        workflow = runner.load_workflow(self.state, self.cached)
        runner.complete_user_task(workflow, self.task_id, self.data[self.n])
        self.state = runner.save_workflow_json(workflow)
        self.live = workflow
        self.steps += 1


class BackendClock:
    """CPU seconds spent so far by the server process of Django's connection (0 on SQLite).

    The server must run on this machine. ``/proc/<pid>/schedstat`` counts nanoseconds on the
    CPU; ``/proc/<pid>/stat`` (utime + stime) counts clock ticks of 10 ms, too coarse for one
    call, so it is only the fallback.
    """

    def __init__(self) -> None:
        self.source = "none"
        self._pid = 0

    def pid(self) -> int:
        from django.db import connection

        if connection.vendor != "postgresql":
            return 0
        connection.ensure_connection()
        return int(connection.connection.info.backend_pid)

    def refresh(self) -> None:
        """Follow the connection (called untimed, before each iteration)."""
        self._pid = self.pid()

    def __call__(self) -> float:
        if not self._pid:
            return 0.0
        try:
            with open(f"/proc/{self._pid}/schedstat") as f:
                self.source = "schedstat"
                return int(f.read().split()[0]) / 1e9
        except OSError:
            pass
        try:
            with open(f"/proc/{self._pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the server runs elsewhere: no server CPU
            self.source = "unavailable"
            return 0.0
        self.source = "stat"
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


#: The parts of ``do_complete_task`` timed by ``_breakdown`` (module, attribute). They do
#: not nest inside one another, so their sum is at most the whole.
BREAKDOWN_PARTS = [
    ("mapro.procedures.storage", "load_work_item"),
    ("mapro.procedures.actions", "can_take"),
    ("mapro.procedures.actions", "instances_visible_to"),
    ("mapro.procedures.actions", "check_form_data"),
    ("mapro.procedures.actions", "_snapshot"),
    ("mapro.procedures.engine.runner", "load_workflow"),
    ("mapro.procedures.engine.runner", "complete_user_task"),
    ("mapro.procedures.engine.runner", "save_workflow_json"),
    ("mapro.procedures.actions", "_item_changes"),
    ("mapro.procedures.storage", "write_step"),
    ("mapro.procedures.actions", "record_event"),
    ("mapro.procedures.actions", "_cancel_stale"),
    ("mapro.procedures.actions", "dispatch_effects"),
]


def _breakdown(action: ActionSide, steps: int) -> dict[str, float]:
    """Median time per completion inside each part of the action (wrapped for this phase)."""
    import importlib

    spent: dict[str, float] = {}
    originals = []

    def wrap(label: str, func: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

        return timed

    for module_name, attr in BREAKDOWN_PARTS:
        module = importlib.import_module(module_name)
        if not hasattr(module, attr):  # a part the action no longer has (renamed or merged)
            continue
        originals.append((module, attr, getattr(module, attr)))
        setattr(module, attr, wrap(attr, getattr(module, attr)))
    per_step: dict[str, list[float]] = {}
    try:
        for _ in range(steps):
            action.prepare()
            gc.collect()
            spent.clear()
            start = time.perf_counter()
            action.run()
            total = time.perf_counter() - start
            for label, value in spent.items():
                per_step.setdefault(label, []).append(value)
            per_step.setdefault("(total)", []).append(total)
            per_step.setdefault("(rest: transaction, ficha, history row…)", []).append(
                total - sum(spent.values())
            )
    finally:
        for module, attr, original in originals:
            setattr(module, attr, original)
    return {label: round(statistics.median(v) * 1000, 3) for label, v in per_step.items()}


def prepare_scenario(scenario: Scenario) -> tuple[Any, int, dict[int, dict[str, Any]]]:
    """Publish the scenario's ficha; its cached spec, the id of a user holding every role of
    it, and each activity's form data (also ``pair_complete_task.py``'s)."""
    from mapro.core.testing import ensure_unit, make_user
    from mapro.procedures.engine.specs import get_spec
    from mapro.procedures.ficha.compiler import form_schema
    from mapro.procedures.ficha.samples import sample_form_data

    ficha = scenario.ficha
    version = _common.publish(ficha)
    roles = sorted({r for act in ficha["activities"] for r in act.get("roles", [])})
    user = make_user(roles=tuple(roles), unit=ensure_unit("OGTIE", "OGTIE"))
    data = {
        act["n"]: sample_form_data(form_schema(ficha, act["n"]), scenario.choices.get(act["n"]))
        for act in ficha["activities"]
    }
    return get_spec(version.bpmn_xml), user.pk, data


def run_scenario(scenario: Scenario, iterations: int, warmup: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cached, user_pk, data = prepare_scenario(scenario)
    sides: list[Any] = [
        ActionSide(scenario, user_pk, data),
        SpiffDefaultSide(scenario, cached, data),
        EngineSide(scenario, cached, data),
    ]
    times: list[list[float]] = [[] for _ in sides]
    client_cpu: list[list[float]] = [[] for _ in sides]
    server_cpu: list[list[float]] = [[] for _ in sides]
    backend = BackendClock()
    path: list[int] = []
    for i in range(warmup + iterations):
        order = [(i + k) % len(sides) for k in range(len(sides))]
        ns = [side.prepare() for side in sides]
        if len(set(ns)) != 1:
            raise SystemExit(f"The sides diverged at iteration {i}: activities {ns}")
        backend.refresh()
        for index in order:
            # Untimed: start every call with the same heap, so that the garbage one side
            # leaves behind is not collected on another side's clock.
            gc.collect()
            server_start = backend()
            cpu_start = time.process_time()
            start = time.perf_counter()
            sides[index].run()
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu_start
            server = backend() - server_start
            if i >= warmup:
                times[index].append(elapsed)
                client_cpu[index].append(cpu)
                server_cpu[index].append(server)
        if i >= warmup:
            path.append(ns[0])

    # Queries per completion, and the share of A spent inside the database driver (separate
    # steps, not in the timings above: capturing adds its own cost).
    action = sides[0]
    counts = []
    db_share: list[float] = []
    spent = [0.0]

    def timed_execute(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - start

    for _ in range(30):
        action.prepare()
        spent[0] = 0.0
        with connection.execute_wrapper(timed_execute):
            start = time.perf_counter()
            action.run()
            total = time.perf_counter() - start
        db_share.append(spent[0] / total)
        action.prepare()
        with CaptureQueriesContext(connection) as ctx:
            action.run()
        counts.append(len(ctx.captured_queries))
    queries = [q["sql"][:160] for q in ctx.captured_queries]

    breakdown = _breakdown(action, steps=30)

    summaries = {side.label: _common.summary_ms(t) for side, t in zip(sides, times, strict=True)}
    a, b, c = (statistics.median(t) for t in times)
    a95, b95 = _common.percentile(times[0], 95), _common.percentile(times[1], 95)
    paired = [x / y for x, y in zip(times[0], times[1], strict=True)]
    cpu = [
        [c + s for c, s in zip(cl, sv, strict=True)]
        for cl, sv in zip(client_cpu, server_cpu, strict=True)
    ]
    cpu_a, cpu_b = statistics.median(cpu[0]), statistics.median(cpu[1])
    cpu_paired = [x / y for x, y in zip(cpu[0], cpu[1], strict=True) if y > 0]
    return {
        "scenario": scenario.name,
        "iterations": iterations,
        "warmup": warmup,
        "steps_per_instance": scenario.steps_per_instance,
        "activities_completed": {str(n): path.count(n) for n in sorted(set(path))},
        "sides": summaries,
        "cpu_client_ms": {
            side.label: _common.summary_ms(t) for side, t in zip(sides, client_cpu, strict=True)
        },
        "cpu_server_ms": {
            side.label: _common.summary_ms(t) for side, t in zip(sides, server_cpu, strict=True)
        },
        "cpu_server_source": backend.source,
        "cpu_ms": {side.label: _common.summary_ms(t) for side, t in zip(sides, cpu, strict=True)},
        "cpu_ratio_median_A_over_B": round(cpu_a / cpu_b, 2),
        "cpu_ratio_mean_A_over_B": round(statistics.fmean(cpu[0]) / statistics.fmean(cpu[1]), 2),
        "cpu_ratio_paired_median_A_over_B": round(statistics.median(cpu_paired), 2),
        "ratio_median_A_over_B": round(a / b, 2),
        "ratio_p95_A_over_B": round(a95 / b95, 2),
        "ratio_paired_median_A_over_B": round(statistics.median(paired), 2),
        "ratio_median_A_over_C": round(a / c, 2),
        "ratio_median_C_over_B": round(c / b, 2),
        "queries_per_completion": {"min": min(counts), "max": max(counts)},
        "A_share_in_database_execute": round(statistics.median(db_share), 3),
        "A_breakdown_median_ms": breakdown,
        "queries_of_one_completion": queries,
        "target_A_over_B": 3.0,
        "target_met": a / b <= 3.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _common.add_db_argument(parser)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--chain", type=int, default=20, help="length of the synthetic chain")
    args = parser.parse_args(argv)
    env = _common.setup(args.db, args.log_level, "complete_task")
    results = []
    for scenario in scenarios(args.chain):
        print(f"\n== {scenario.name} — {env['database']} {env['database_version']}")
        result = run_scenario(scenario, args.iterations, args.warmup)
        results.append(result)
        rows = [
            [label, s["n"], s["median_ms"], s["p95_ms"], s["mean_ms"]]
            for label, s in result["sides"].items()
        ]
        _common.print_table(["lado", "n", "mediana ms", "p95 ms", "media ms"], rows)
        print(f"CPU por llamada (cliente + servidor PostgreSQL [{result['cpu_server_source']}]):")
        rows = [
            [
                label,
                result["cpu_client_ms"][label]["median_ms"],
                result["cpu_server_ms"][label]["median_ms"],
                s["median_ms"],
                s["p95_ms"],
                s["mean_ms"],
            ]
            for label, s in result["cpu_ms"].items()
        ]
        _common.print_table(
            ["lado", "cliente med.", "servidor med.", "CPU med. ms", "p95 ms", "media ms"], rows
        )
        print(
            f"CPU A/B mediana {result['cpu_ratio_median_A_over_B']}, media "
            f"{result['cpu_ratio_mean_A_over_B']}, pareado "
            f"{result['cpu_ratio_paired_median_A_over_B']}; carga media "
            f"{[round(x, 1) for x in os.getloadavg()]}"
        )
        print(
            f"A/B mediana {result['ratio_median_A_over_B']} (objetivo ≤ 3: "
            f"{'cumple' if result['target_met'] else 'NO cumple'}), A/B p95 "
            f"{result['ratio_p95_A_over_B']}, A/B pareado {result['ratio_paired_median_A_over_B']},"
            f" A/C {result['ratio_median_A_over_C']}, C/B {result['ratio_median_C_over_B']};"
            f" consultas SQL por completar: {result['queries_per_completion']};"
            f" parte de A dentro de execute() de la BD: {result['A_share_in_database_execute']}"
        )
        print("Desglose de A (mediana por completar, ms):")
        for label, value in result["A_breakdown_median_ms"].items():
            print(f"  {label:45s} {value:8.3f}")
    env["loadavg_at_end"] = list(os.getloadavg())
    suffix = "" if args.log_level == "WARNING" else f"-{args.log_level.lower()}"
    path = _common.write_results(
        f"complete_task-{env['database']}{suffix}", {"environment": env, "results": results}
    )
    print(f"\nResultados: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
