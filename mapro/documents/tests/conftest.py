"""Fixtures shared by the documents' API and page tests."""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.documents.models import Document
from mapro.documents.testing import issued_oficio, uo_oficio


@pytest.fixture
def starter() -> Any:
    """A requester holding no OGTIE staff role (director of DIGEP)."""
    return make_user("director-uo", unit=ensure_unit("DIGEP", "Dirección de Gestión Patrimonial"))


@pytest.fixture
def own(starter: Any) -> Document:
    """The oficio of an instance ``starter`` started (S04.03.03.02, activity 1)."""
    return uo_oficio(starter)


@pytest.fixture
def oficio() -> Document:
    return issued_oficio()
