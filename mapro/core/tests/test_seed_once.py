"""``seed_once`` copies a seed's rows only onto a database where they cannot clash."""

from __future__ import annotations

import uuid
from typing import Any

from mapro.core.testing import ensure_unit, seed_once
from mapro.organization.models import Unit


def test_a_table_with_as_many_but_other_rows_gets_the_seed_run_not_its_copy(db: Any) -> None:
    key = f"test.seed_once.{uuid.uuid4()}"
    ensure_unit("PREVIA-A")  # the first run finds one unit...
    first = seed_once(key, lambda: ensure_unit("SEMBRADA").pk)
    assert Unit.objects.filter(code="SEMBRADA").exists() and first
    # ...a later call finds one unit too, but it is the one the seed adds: a copy would
    # clash with it (the unique code), so the seed runs again (and finds it).
    Unit.objects.filter(code__in=["PREVIA-A", "SEMBRADA"]).delete()
    ensure_unit("SEMBRADA")
    seed_once(key, lambda: ensure_unit("SEMBRADA").pk)
    assert Unit.objects.filter(code="SEMBRADA").count() == 1


def test_a_table_in_the_first_runs_state_gets_the_copy(db: Any) -> None:
    key = f"test.seed_once.{uuid.uuid4()}"
    ensure_unit("PREVIA-B")
    seed_once(key, lambda: ensure_unit("COPIADA").pk)
    Unit.objects.filter(code="COPIADA").delete()
    calls: list[int] = []

    def seed() -> int:
        calls.append(1)
        return ensure_unit("COPIADA").pk

    seed_once(key, seed)
    assert calls == []  # copied, not run
    assert Unit.objects.filter(code="COPIADA").count() == 1
