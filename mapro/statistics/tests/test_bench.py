"""The statistics benchmark (bench/bench_statistics.py) runs, small: 2 organs × 300 rows go
through frictionless alone and through the pipeline, and every row is consolidated."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from django.conf import settings

BENCH = Path(settings.BASE_DIR) / "bench" / "bench_statistics.py"


def test_the_benchmark_runs_small(db: Any, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_statistics", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(organs=2, rows=300, directory=tmp_path)
    assert result["rows"] == 600
    assert result["frictionless_rows_per_s"] > 0 and result["pipeline_rows_per_s"] > 0
    assert result["ratio_pipeline_to_frictionless"] > 0
