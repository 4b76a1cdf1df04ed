import pytest

from mapro.core.testing import ensure_unit


@pytest.fixture
def units(db):
    """SG with OGTIE and two reporting units under it."""
    sg = ensure_unit("SG", "Secretaría General")
    return {
        "SG": sg,
        "OGTIE": ensure_unit("OGTIE", "OGTIE", parent=sg),
        "DGA": ensure_unit("DGA", "Dirección General de Administración", parent=sg),
        "DIGEP": ensure_unit("DIGEP", "Dirección de Gestión Patrimonial", parent=sg),
    }
