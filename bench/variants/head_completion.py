"""A variant for ``pair_complete_task.py``: the working tree's completion ("on") against the
last commit's ("off").

``off`` puts in place ``do_complete_task`` of ``HEAD``'s ``mapro/procedures/actions.py``, with
``HEAD``'s ``storage.py`` and ``mapro/core/db.py`` under it, each loaded from ``git show`` as a
module of its own; the rest of the code (engine, audit, forms) is the working tree's on both
sides. Another base than ``HEAD``: ``PAIR_BASE=<commit>``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import mapro.procedures.actions as actions

ROOT = Path(__file__).resolve().parents[2]
BASE = os.environ.get("PAIR_BASE", "HEAD")


def _load(name: str, path: str) -> Any:
    text = subprocess.run(  # noqa: S603 - git, a path of ours and a commit the developer names
        ["git", "-C", str(ROOT), "show", f"{BASE}:{path}"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(text)
    spec = importlib.util.spec_from_file_location(name, file.name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # relative imports resolve against the package in the name
    spec.loader.exec_module(module)
    return module


_db = _load("mapro.core._pair_db", "mapro/core/db.py")
_storage = _load("mapro.procedures._pair_storage", "mapro/procedures/storage.py")
_storage.pipeline = _db.pipeline
_actions = _load("mapro.procedures._pair_actions", "mapro/procedures/actions.py")
_actions.storage, _actions.pipeline = _storage, _db.pipeline
_working_tree = actions.do_complete_task


def on() -> None:
    actions.do_complete_task = _working_tree


def off() -> None:
    actions.do_complete_task = _actions.do_complete_task
