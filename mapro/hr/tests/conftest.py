"""Fixtures of the HR tests."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import SECRET


@pytest.fixture(autouse=True)
def _webhook_secret(settings: Any) -> None:
    settings.HR_WEBHOOK_SECRET = SECRET
    settings.HR_WEBHOOK_TOLERANCE_SECONDS = 300


@pytest.fixture
def published(db: Any) -> Any:
    """S04.03.01.02 published as ``mapro procedures publish`` would."""
    from mapro.procedures.testing import publish_ficha

    return publish_ficha("S04.03.01.02")


@pytest.fixture
def leaver(db: Any) -> Any:
    """A person (DNI 40125896) with a network account, a mailbox and a VPN user."""
    from mapro.iam.testing import make_account, make_person

    person = make_person("Jorge Luis", "Paredes Ríos", dni="40125896")
    make_account(person, kind="red", account_name="jparedes")
    make_account(person, kind="correo", account_name="jparedes@mindef.gob.pe")
    make_account(person, kind="vpn", account_name="vpn.jparedes")
    return person
