"""Validating and consolidating the organs' statistical files, against frictionless alone.

20 organs each send one CSV of 50,000 rows (a row per record: a key, a region of 25, a month,
three counts whose total must equal the sum of its parts). Measured, organ after organ:

- ``frictionless``: the library alone validating the same file against the same Table Schema
  (``frictionless.validate(Resource(path=…, schema=…))``) — the baseline;
- ``submit``: ``do_submit`` — read the file, the Table Schema check by frictionless, the
  Spanish error translation, the cross-check (total = sum of parts), the stored version;
- ``consolidate``: ``do_evaluate_submission(accept=True)`` — the accepted version's rows typed
  and written to the consolidated table (replacing the organ's rows of the period);
- ``total`` = submit + consolidate, the pipeline a file goes through.

Reported as rows per second and as the ratio pipeline / frictionless alone (1.0 = as fast as
validating alone; the pipeline also checks, stores and consolidates, so it is below 1).

Run: ``cd /work/main && .venv/bin/python bench/bench_statistics.py --db postgres`` (default 20
organs × 50,000 rows; ``--organs``/``--rows`` for a smaller run); results in
``bench/results/statistics-<db>.json``. ``mapro/statistics/tests/test_bench.py`` runs it
small.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

YEAR = 2026
REGIONS = [f"R{n:02d}" for n in range(1, 26)]
SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "codigo", "title": "Código", "type": "string", "constraints": {"required": True}},
        {
            "name": "region",
            "title": "Región",
            "type": "string",
            "constraints": {"required": True, "enum": REGIONS},
        },
        {
            "name": "mes",
            "title": "Mes",
            "type": "integer",
            "constraints": {"required": True, "minimum": 1, "maximum": 12},
        },
        {
            "name": "hombres",
            "title": "Hombres",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "mujeres",
            "title": "Mujeres",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "total",
            "title": "Total",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
    ],
    "primaryKey": ["codigo"],
}
CHECKS = [{"type": "suma", "total": "total", "parts": ["hombres", "mujeres"]}]


def write_file(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f["name"] for f in SCHEMA["fields"]])
        for i in range(rows):
            men, women = rng.randrange(0, 500), rng.randrange(0, 500)
            writer.writerow([f"K{i:07d}", REGIONS[i % 25], 1 + i % 12, men, women, men + women])


def prepare(organs: int) -> dict[str, Any]:
    """The dataset, ``organs`` organs with their representative, an approved cronograma."""
    from mapro.core.testing import ensure_role
    from mapro.statistics.actions import do_save_dataset
    from mapro.statistics.testing import approved_calendar, representative

    ensure_role("resp-organo-estadistico")
    dataset = do_save_dataset(
        code="bench", title="Registro (benchmark)", schema=SCHEMA, checks=CHECKS, actor=None
    )
    codes = [f"ORG{n:02d}" for n in range(1, organs + 1)]
    reps = {code: representative(code, username=f"bench-{code.lower()}") for code in codes}
    approved_calendar(YEAR, organs=codes)
    return {"dataset": dataset, "reps": reps}


def run(organs: int, rows: int, directory: Path) -> dict[str, Any]:
    """Time frictionless alone and the pipeline on ``organs`` files of ``rows`` rows."""
    from frictionless import Resource, Schema, validate

    from mapro.core.testing import make_user
    from mapro.statistics.actions import do_evaluate_submission, do_submit
    from mapro.statistics.models import ConsolidatedRow

    world = prepare(organs)
    especialista = make_user("esp-estadistico")
    warm = directory / "warm.csv"  # imports and caches of both paths before timing
    write_file(warm, 10, seed=99)
    validate(
        Resource(path=warm.name, basepath=str(directory), schema=Schema.from_descriptor(SCHEMA))
    )
    timings: dict[str, float] = {"frictionless": 0.0, "submit": 0.0, "consolidate": 0.0}
    per_organ = []
    for index, (code, rep) in enumerate(world["reps"].items()):
        path = directory / f"{code}.csv"
        write_file(path, rows, seed=index)
        start = time.perf_counter()
        resource = Resource(
            path=path.name, basepath=str(directory), schema=Schema.from_descriptor(SCHEMA)
        )
        report = validate(resource)
        alone = time.perf_counter() - start
        assert report.valid, report.flatten(["type", "note"])[:3]
        content = path.read_bytes()
        start = time.perf_counter()
        submission = do_submit(
            dataset="bench",
            organization=code,
            period=str(YEAR),
            content=content,
            filename=path.name,
            actor=rep,
        )
        submitted = time.perf_counter() - start
        assert submission.status == "recibido", submission.errors[:3]
        start = time.perf_counter()
        do_evaluate_submission(submission, accept=True, actor=especialista)
        consolidated = time.perf_counter() - start
        timings["frictionless"] += alone
        timings["submit"] += submitted
        timings["consolidate"] += consolidated
        per_organ.append(
            {
                "organ": code,
                "frictionless_s": round(alone, 3),
                "submit_s": round(submitted, 3),
                "consolidate_s": round(consolidated, 3),
            }
        )
        print(
            f"  {code}: frictionless {alone:.2f} s, envío {submitted:.2f} s, "
            f"consolidación {consolidated:.2f} s"
        )
    written = ConsolidatedRow.objects.filter(dataset=world["dataset"]).count()
    assert written == organs * rows, (written, organs * rows)
    total_rows = organs * rows
    pipeline = timings["submit"] + timings["consolidate"]
    rates = {
        "frictionless_rows_per_s": round(total_rows / timings["frictionless"]),
        "submit_rows_per_s": round(total_rows / timings["submit"]),
        "consolidate_rows_per_s": round(total_rows / timings["consolidate"]),
        "pipeline_rows_per_s": round(total_rows / pipeline),
    }
    return {
        "organs": organs,
        "rows_per_organ": rows,
        "rows": total_rows,
        "seconds": {k: round(v, 2) for k, v in timings.items()} | {"pipeline": round(pipeline, 2)},
        **rates,
        "ratio_pipeline_to_frictionless": round(timings["frictionless"] / pipeline, 3),
        "ratio_submit_to_frictionless": round(timings["frictionless"] / timings["submit"], 3),
        "per_organ": per_organ,
    }


def main(argv: list[str] | None = None) -> int:
    import _common

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _common.add_db_argument(parser, default="postgres")
    parser.add_argument("--organs", type=int, default=20)
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args(argv)
    env = _common.setup(args.db, args.log_level, "statistics")
    print(f"== {args.organs} órganos × {args.rows} filas, {env['database']}")
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.organs, args.rows, Path(tmp))
    env["loadavg_at_end"] = list(os.getloadavg())
    _common.print_table(
        ["medida", "segundos", "filas/s"],
        [
            ["frictionless solo", result["seconds"]["frictionless"],
             result["frictionless_rows_per_s"]],
            ["envío (validación + controles)", result["seconds"]["submit"],
             result["submit_rows_per_s"]],
            ["consolidación", result["seconds"]["consolidate"], result["consolidate_rows_per_s"]],
            ["envío + consolidación", result["seconds"]["pipeline"],
             result["pipeline_rows_per_s"]],
        ],
    )  # fmt: skip
    print(
        f"razón (envío + consolidación) / frictionless solo: "
        f"{result['ratio_pipeline_to_frictionless']}"
    )
    path = _common.write_results(
        f"statistics-{env['database']}", {"environment": env, "result": result}
    )
    print(f"resultados: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
