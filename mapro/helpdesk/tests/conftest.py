import pytest

from mapro.core.testing import seed_once
from mapro.helpdesk.seeding import seed_categories
from mapro.organization.seeding import load_organization


def _seed() -> None:
    load_organization()
    seed_categories()


@pytest.fixture
def org(db, settings, tmp_path):
    """The reference organization and the help-desk categories; files in a throwaway media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_once("organization+categories", _seed)


@pytest.fixture
def org_transactional(transactional_db, settings, tmp_path):
    """``org`` for tests that commit (threads on PostgreSQL)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_once("organization+categories", _seed)
