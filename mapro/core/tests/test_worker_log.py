"""The background worker's log under ``mapro start``: each line printed once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

STARTED = "Huey consumer started"


def test_each_huey_line_is_printed_once(tmp_path: Path):
    # The worker as `mapro start` runs it (mapro.core.management.commands.start), on a
    # throwaway SQLite queue; stop it as soon as it has said it started.
    env = {
        **os.environ,
        "MAPRO_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "mapro.cli", "run_huey", "--workers", "1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 60
    try:
        assert worker.stdout is not None
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if STARTED in line:
                time.sleep(1)  # room for a duplicate to show
                break
    finally:
        worker.send_signal(signal.SIGINT)
        rest, _ = worker.communicate(timeout=30)
    lines.extend(rest.splitlines())
    started = [line for line in lines if STARTED in line]
    assert len(started) == 1, "\n".join(lines)
    assert "INFO huey" in started[0]  # through the project's one handler and format
