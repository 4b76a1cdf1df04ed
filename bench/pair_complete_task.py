"""Two versions of the task completion in one run, paired: is a change worth 0.05 ms?

``bench_complete_task.py`` compares mapro's completion (A) with SpiffWorkflow's bare step (B).
Between two runs of it the same code moves by 0.2–0.4 ms of CPU on this shared machine, so a
change that saves 0.1 ms cannot be seen by running it before and after. This script runs the
chain of ``bench_complete_task`` with three sides interleaved in rotating order, as that script
does: A with a change switched off, A with it switched on, and B. Each completion is timed by
CPU (client + the PostgreSQL backend, ``BackendClock``); the two A sides complete the same
activities of their own instances, so the difference of each pair of completions measures the
change under the same noise (docs/benchmarks.md, section 1, session 10).

A change is a Python file (``variant``) that defines ``on()`` and ``off()``: each puts one
version in place, usually by assigning module attributes, e.g. ``do_complete_task`` from
``git show HEAD:mapro/procedures/actions.py`` loaded as another module against the working
tree's. ``off`` and ``on`` run before every completion of their side; B runs with whichever
was set last, which it does not use.

Run: ``cd /work/main && .venv/bin/python bench/pair_complete_task.py variant.py --db postgres``.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import statistics
import sys
import time
from typing import Any

import _common
import bench_complete_task as complete


def _variant(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("pair_variant", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"No se puede cargar {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant", help="file with on() and off()")
    _common.add_db_argument(parser)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--chain", type=int, default=20, help="length of the synthetic chain")
    args = parser.parse_args(argv)
    _common.setup(args.db, args.log_level, "complete_task")

    variant = _variant(args.variant)  # after set-up: it may import models
    scenario = complete.scenarios(args.chain)[0]
    cached, user_pk, data = complete.prepare_scenario(scenario)
    sides: list[Any] = [
        complete.ActionSide(scenario, user_pk, data),
        complete.ActionSide(scenario, user_pk, data),
        complete.SpiffDefaultSide(scenario, cached, data),
    ]
    switches = [variant.off, variant.on, lambda: None]
    labels = ["A off", "A on", "B SpiffWorkflow"]
    backend = complete.BackendClock()
    cpu: list[list[float]] = [[] for _ in sides]
    for i in range(args.warmup + args.iterations):
        ns = [side.prepare() for side in sides]
        if len(set(ns)) != 1:
            raise SystemExit(f"The sides diverged at iteration {i}: activities {ns}")
        backend.refresh()
        for k in range(len(sides)):
            index = (i + k) % len(sides)
            switches[index]()
            gc.collect()
            server_start = backend()
            client_start = time.process_time()
            sides[index].run()
            spent = time.process_time() - client_start + backend() - server_start
            if i >= args.warmup:
                cpu[index].append(spent)
    variant.off()
    b = statistics.median(cpu[2])
    for label, values in zip(labels, cpu, strict=True):
        median = statistics.median(values)
        print(f"{label:16s} CPU mediana {median * 1000:6.3f} ms  A/B {median / b:5.2f}")
    diff = [on - off for off, on in zip(cpu[0], cpu[1], strict=True)]
    print(
        f"on − off por par: mediana {statistics.median(diff) * 1000:+.3f} ms, media "
        f"{statistics.fmean(diff) * 1000:+.3f} ms ({len(diff)} pares); carga media "
        f"{[round(x, 1) for x in os.getloadavg()]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
