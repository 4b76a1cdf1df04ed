"""Add N running procedure instances to a bench database loaded by ``seed_tickets.py``.

For ``bench_pages.py`` (the inbox "Mis tareas" and the instance page at scale; see
docs/benchmarks.md, section 8). The rows are those of ``bench_inbox.py`` (its ``World``):
each running instance of S04.01.00.03 has two completed work items and one open one, with
their ``WorkItemRole`` rows and the real stored state of a started instance, written with
``bulk_create``. The open items are spread over roles as ``bench_inbox.ROLE_WEIGHTS`` says
(``operador-mesa`` 30 %, so the demo user ``operador-mesa``, a global holder, sees 30 % of
them in its inbox). Unlike ``bench_inbox.py`` it does not recreate the database: it adds to
the one given, and does nothing when it already holds ``--instances`` or more.

Run::

    .venv/bin/python bench/seed_instances.py --instances 100000 \\
        --url postgres://mapro@127.0.0.1:55432/mapro_bench_hd_1m
"""

from __future__ import annotations

import argparse
import sys
import time

import _common


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--instances", type=int, default=100_000)
    args = parser.parse_args(argv)
    _common.use_server_env(args.url)
    import django

    django.setup()
    from bench_inbox import World

    from mapro.procedures.models import Instance

    have = Instance.objects.count()
    if have >= args.instances:
        print(f"{have} instances already: nothing to add")
        return 0
    started = time.perf_counter()
    world = World()
    world.created = Instance.objects.count()
    seconds = world.grow_to(args.instances)
    print(
        f"{Instance.objects.count()} instances ({world.created - have} added in "
        f"{seconds:.0f} s; {time.perf_counter() - started:.0f} s in all)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
