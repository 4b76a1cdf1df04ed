"""Fixtures for the notification tests: the loopback SMTP server and users with roles."""

from collections.abc import Callable
from typing import Any

import pytest

from mapro.core.testing import make_user as _make_user
from mapro.notifications.testing import smtp_server  # noqa: F401 (pytest fixture)


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    return _make_user


@pytest.fixture(autouse=True)
def _no_worker_kick(settings: Any) -> None:
    """Committed test transactions must not enqueue into the real Huey queue under var/.

    The kick's own tests turn it back on with Huey in immediate (in-memory) mode.
    """
    settings.NOTIFICATIONS_KICK_WORKER = False
