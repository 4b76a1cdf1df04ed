"""Files of the SGSI tests go to a throwaway media directory."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
