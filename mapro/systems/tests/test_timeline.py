"""A system's life across both procedures: developed by S04.02.00.01, then maintained by
S04.02.00.02; its page and API show one timeline from the requirement to each production."""

from __future__ import annotations

import pytest

from mapro.procedures.testing import API, Cast, Walk, client_for, publish_ficha
from mapro.systems.models import InformationSystem

from . import test_flow_S04_02_00_01 as dev
from . import test_flow_S04_02_00_02 as maint
from .flow_helpers import Stepper

pytestmark = pytest.mark.django_db


def test_timeline_from_requirement_to_production_across_both_procedures() -> None:
    cast = Cast()
    walk, s = dev._walk(cast)
    dev._to_development(s, "alta-media")
    s.step(14)
    dev._quality(s, cast, "sonarqube-clean.json", "zap-clean.json", {})
    dev._tests_to_production(s, defects_first=False)
    s.step(30, {"publicacion_externa": "no"})
    dev._closure(s)
    walk.assert_completed(walk.completed)

    publish_ficha(maint.CODE)
    walk2 = Walk(maint.CODE, cast, starter="director-uo", start="mantenimiento")
    s2 = Stepper(walk2, maint.ROLES, maint.DATA)
    maint._to_tests(s2, cast)
    for n in range(9, 14):
        s2.step(n)
    s2.step(14, {"defectos_encontrados": "no"})
    maint._qa_to_production(s2)
    s2.step(23, {"publicacion_externa": "no"})
    maint._closure(s2)
    walk2.assert_completed(walk2.completed)

    system = InformationSystem.objects.get(code="SIGEDOC")
    assert system.state == "en-produccion"
    detail = client_for(cast["director-uo"]).get(f"{API}/systems/{system.pk}/").json()
    timeline = detail["timeline"]
    procedures = [e["procedure"] for e in timeline if e["procedure"]]
    # every step of the development comes before the first step of the maintenance
    assert procedures.index(maint.CODE) > len(procedures) - procedures[::-1].index(dev.CODE) - 1
    titles = [e["title"] for e in timeline]
    assert titles.index("Versión 1.0.0 en producción") < titles.index("Versión 2.1.0 en producción")
    assert detail["changes"] == [] and detail["reviews"] == []  # the matrix is OGTIE's
    ogtie = client_for(cast["jefe-ogtie"]).get(f"{API}/systems/{system.pk}/").json()
    assert [c["kind"] for c in ogtie["changes"]] == ["correctivo", "nuevo"]
    assert all(c["status"] == "implementado" for c in ogtie["changes"])
    assert [r["decided"] for r in ogtie["reviews"]] == ["si", "si"]
    assert [r["version"] for r in detail["releases"]] == ["2.1.0", "1.0.0"]
    page = client_for(cast["director-uo"])
    page.force_login(cast["director-uo"])
    html = page.get(f"/sistemas/{system.pk}/").content.decode()
    assert html.index("Versión 1.0.0 en producción") < html.index("Versión 2.1.0 en producción")
