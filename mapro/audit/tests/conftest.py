"""Fixtures for the audit tests."""

from collections.abc import Callable
from typing import Any

import pytest

from mapro.core.testing import make_user as _make_user


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """``make_user("jefe-ogtie")``: a user with a Person in OGTIE holding that role today."""
    return _make_user


@pytest.fixture(autouse=True)
def _checkpoint_file(settings: Any, tmp_path: Any) -> None:
    """Checkpoints of a test go to its own file, never to the checkout's var/."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
