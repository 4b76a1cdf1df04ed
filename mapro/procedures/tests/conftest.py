"""Fixtures of the procedures tests (the data itself lives in ``runtime_helpers``)."""

from typing import Any

import pytest

from mapro.procedures.models import ProcedureVersion

from .runtime_helpers import FICHA, People, publish


@pytest.fixture
def people(db: Any) -> People:
    """Units and one user per role the synthetic ficha needs (see ``People``)."""
    return People()


@pytest.fixture
def t01(db: Any) -> ProcedureVersion:
    """The synthetic ficha ``T.01`` published as the current version."""
    return publish(FICHA)
