"""Stored state per instance after 0, 10 and 20 steps: specless (ours) against Spiff's default.

Each scenario starts an instance through ``do_start_instance`` and completes tasks through
``do_complete_task``; after 0, 10 and 20 completed steps it reads ``Instance.state`` back
from the database and reports, in bytes:

- ``specless``: our stored JSON (compact UTF-8), as the application writes it;
- ``stored``: what the database keeps for the column (PostgreSQL ``pg_column_size`` after
  TOAST compression; SQLite ``length``);
- ``with_spec``: SpiffWorkflow's default ``BpmnWorkflowSerializer().serialize_json`` of the
  same workflow (the spec and subprocess specs embedded in every instance);
- the zlib-compressed size of both, as a hint of what compression would leave;
- the ratio with_spec / specless.

Run: ``cd /work/main && .venv/bin/python bench/bench_state_size.py [--db postgres]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zlib
from typing import Any

import _common

STEPS = (0, 10, 20)


def _compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def stored_size(instance_pk: int) -> int:
    from django.db import connection

    function = "pg_column_size" if connection.vendor == "postgresql" else "length"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {function}(state) FROM procedures_instance WHERE id = %s",  # noqa: S608
            [instance_pk],
        )
        return int(cursor.fetchone()[0])


def run_scenario(
    name: str, ficha: dict[str, Any], start: str, choices: dict[int, dict[str, str]]
) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

    from mapro.core.testing import ensure_unit, make_user
    from mapro.procedures.actions import do_complete_task, do_start_instance
    from mapro.procedures.engine import runner
    from mapro.procedures.engine.specs import get_spec
    from mapro.procedures.ficha.compiler import form_schema
    from mapro.procedures.ficha.samples import sample_form_data
    from mapro.procedures.models import Instance, WorkItem, WorkItemState

    version = _common.publish(ficha)
    cached = get_spec(version.bpmn_xml)
    roles = sorted({r for act in ficha["activities"] for r in act.get("roles", [])})
    user = make_user(roles=tuple(roles), unit=ensure_unit("OGTIE", "OGTIE"))
    data = {
        act["n"]: sample_form_data(form_schema(ficha, act["n"]), choices.get(act["n"]))
        for act in ficha["activities"]
    }
    default_serializer = BpmnWorkflowSerializer()
    instance = do_start_instance(ficha["code"], start=start, data={}, actor=user)
    rows = []
    for step in range(max(STEPS) + 1):
        if step in STEPS:
            state = Instance.objects.get(pk=instance.pk).state
            workflow = runner.load_workflow(state, cached)
            with_spec = default_serializer.serialize_json(workflow).encode("utf-8")
            specless = _compact(state)
            rows.append(
                {
                    "scenario": name,
                    "steps": step,
                    "tasks_in_tree": len(workflow.tasks),
                    "specless": len(specless),
                    "stored": stored_size(instance.pk),
                    "with_spec": len(with_spec),
                    "specless_zlib": len(zlib.compress(specless)),
                    "with_spec_zlib": len(zlib.compress(with_spec)),
                    "ratio": round(len(with_spec) / len(specless), 2),
                    "bpmn_xml": len(version.bpmn_xml.encode("utf-8")),
                }
            )
        if step == max(STEPS):
            break
        item = WorkItem.objects.filter(instance=instance, state=WorkItemState.OPEN).first()
        if item is None:
            raise SystemExit(f"{name}: the instance ended after {step} steps")
        do_complete_task(item.pk, data[item.n], actor=get_user_model().objects.get(pk=user.pk))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _common.add_db_argument(parser)
    args = parser.parse_args(argv)
    env = _common.setup(args.db, args.log_level, "state_size")
    rows = run_scenario("cadena sintética de 25 pasos", _common.chain_ficha(25), "inicio", {})
    rows += run_scenario(
        "S04.01.00.03 (ciclo 4→5→10 por observaciones)",
        _common.load_real_ficha("S04.01.00.03"),
        "revision",
        # 5 and 10 ask their two questions apart (as in bench_complete_task.py).
        {5: {"evento_inesperado": "no"}, 10: {"aceptacion": "observaciones"}},
    )
    print(f"\n== tamaño del estado por expediente (bytes), {env['database']}")
    _common.print_table(
        ["escenario", "pasos", "tareas", "sin spec", "en BD", "con spec", "razón", "zlib sin",
         "zlib con"],
        [
            [r["scenario"], r["steps"], r["tasks_in_tree"], r["specless"], r["stored"],
             r["with_spec"], r["ratio"], r["specless_zlib"], r["with_spec_zlib"]]
            for r in rows
        ],
    )  # fmt: skip
    env["loadavg_at_end"] = list(os.getloadavg())
    payload = {"environment": env, "rows": rows}
    path = _common.write_results(f"state_size-{env['database']}", payload)
    print(f"\nResultados: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
