"""``mapro seed --demo`` loads a few SGSI documents and assets, once; without --demo, none."""

from __future__ import annotations

import pytest

from mapro.sgsi.models import AssetChange, InformationAsset, SgsiDocument
from mapro.sgsi.seeding import seed_step

pytestmark = pytest.mark.django_db


def test_demo_registers_are_loaded_once() -> None:
    assert "sin datos" in seed_step(demo=False)
    assert not SgsiDocument.objects.exists()
    assert "6 documento(s) y 3 activo(s)" in seed_step(demo=True)
    assert "0 documento(s) y 0 activo(s)" in seed_step(demo=True)
    policy = SgsiDocument.objects.get(code="SGSI-POL-001")
    assert policy.status == "vigente" and policy.current_version is not None
    observed = SgsiDocument.objects.get(code="SGSI-PRO-004")
    assert observed.versions.get().status == "observada" and observed.observations.exists()
    assert InformationAsset.objects.count() == 3
    assert AssetChange.objects.count() == 6
