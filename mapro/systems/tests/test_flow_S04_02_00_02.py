"""S04.02.00.02 Mantenimiento de sistemas informáticos, walked path by path through API v1
(docs/procedures/S04.02.00.02.md).

Every activity is completed by a holder of the role the manual names, after two holders of
other roles got 403. The two paths cover every branch of the five decisions (14, 23, 25, 29,
30) and every loop back (14→9, 27→25, 31→28, 30→28). A request for a system not in the
catalogue or dado de baja, and a release with a version already used, are refused naming the
field, with nothing saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mapro.procedures.testing import API, Cast, Walk, client_for, publish_ficha
from mapro.systems import actions
from mapro.systems.models import ChangeRecord, InformationSystem, QualityReview, Release
from mapro.systems.testing import make_system

from .flow_helpers import INFRA, Stepper, upload

CODE = "S04.02.00.02"
pytestmark = pytest.mark.django_db

ROLES: dict[int, tuple[str, ...]] = {
    1: ("director-uo",),
    **{n: ("jefe-ogtie",) for n in (2, 38)},
    **{n: ("resp-analisis-sistemas",) for n in (3, 4, 8)},
    **{n: ("analista-programador",) for n in (5, 7, 9, 18, 19, 35)},
    **{n: ("coord-innovacion",) for n in (6, 36, 37)},
    **{n: ("resp-calidad",) for n in range(10, 18)},
    **{n: ("operador-mesa",) for n in (20, 24, 27, 33)},
    **{n: INFRA for n in (21, 22, 23, 29, 31)},
    **{n: ("tecnico-especialista",) for n in (25, 26, 28, 30, 32)},
    34: ("coord-infraestructura",),
}

DATA: dict[int, dict[str, Any]] = {
    1: {
        "oficio": "OFICIO N° 00310-2026-MINDEF/SG-DIGEP",
        "sistema": "sigedoc",
        "tipo_mantenimiento": "correctivo",
        "descripcion": "El reporte mensual suma mal los expedientes archivados.",
    },
    3: {"acta_requerimiento": "ACTA-REQ-031-2026"},
    5: {"acta_desarrollo": "ACTA-DES-020-2026"},
    6: {"ruta_proyecto": "\\\\fs01\\proyectos\\sigedoc-2.1"},
    9: {"numero_ticket": "MA-2026-00520"},
    11: {"plan_pruebas": "PP-2026-019"},
    15: {"informe_pruebas": "IP-2026-019", "acta_qa": "QA-2026-019"},
    16: {"informe_final_pruebas": "UAT-2026-019"},
    17: {"informe_control_calidad": "ICC-2026-019"},
    18: {
        "acta_conformidad": "AC-2026-011",
        "conformidad_de": "Directora de DIGEP",
        "fecha_conformidad": "2026-12-01",
    },
    19: {
        "version": "2.1.0",
        "commit_tag": "v2.1.0",
        "solicitud_pase": "SPP-2026-031",
        "cambios": "Corrige la suma del reporte mensual.",
    },
    21: {"ubicacion_respaldo": "NAS-01:/respaldos/sigedoc/2026-12-02"},
    22: {"fecha_pase": "2026-12-02"},
    24: {"numero_ticket_publicacion": "MA-2026-00533"},
    26: {"datos_solicitados": "IP pública de origen."},
    28: {"configuracion": "Regla de firewall 443."},
    31: {"solicitud_reformulada": "Origen 200.48.0.0/16."},
    35: {"fecha_capacitacion": "2026-12-04"},
    36: {"tecnologias": "Java 21, PostgreSQL 16"},
    37: {"bondades": "Reporte mensual correcto."},
}


@pytest.fixture
def cast() -> Cast:
    publish_ficha(CODE)
    return Cast()


def _system(cast: Cast) -> InformationSystem:
    system = make_system("SIGEDOC", unit=cast.ogtie, name="Sistema de gestión documental")
    actions.set_state(system, "en-produccion", actor=None)
    actions.do_register_release(system, version="1.0.0", actor=None, check=False)
    return system


def _walk(cast: Cast) -> tuple[Walk, Stepper]:
    walk = Walk(CODE, cast, starter="director-uo", start="mantenimiento")
    walk.assert_open(1)
    return walk, Stepper(walk, ROLES, DATA)


def _to_tests(s: Stepper, cast: Cast) -> None:
    for n in (1, 2, 3, 4, 5):
        s.step(n, open_after=[n + 1])
    s.step(6, open_after=[7, 8])
    reports = {
        "commit": "c0ffee1",
        "reporte_sonarqube": upload(cast, "SIGEDOC", "sonarqube-clean.json"),
        "reporte_zap": upload(cast, "SIGEDOC", "zap-clean.json"),
    }
    s.step(8, open_after=[7])
    s.step(7, reports, open_after=[9])


def _qa_to_production(s: Stepper) -> None:
    for n in range(15, 23):
        s.step(n, open_after=[n + 1])


def _closure(s: Stepper) -> None:
    for n in range(34, 39):
        s.step(n)


def test_corrective_maintenance_without_defects_or_publication(cast: Cast) -> None:
    system = _system(cast)
    walk, s = _walk(cast)
    _to_tests(s, cast)
    system.refresh_from_db()
    assert system.state == "en-mantenimiento"
    change = ChangeRecord.objects.get(instance_id=walk.id)
    assert (change.system_id, change.kind, change.status) == (system.pk, "correctivo", "en-curso")
    review = QualityReview.objects.get(instance_id=walk.id)
    assert (review.proposed, review.decided) == ("si", "si") and review.acta_number
    for n in (9, 10, 11, 12, 13):
        s.step(n, open_after=[n + 1])
    s.step(14, {"defectos_encontrados": "no"}, open_after=[15])
    _qa_to_production(s)
    s.step(23, {"publicacion_externa": "no"}, open_after=[34])
    _closure(s)
    walk.assert_completed(walk.completed)
    release = Release.objects.get(instance_id=walk.id)
    change.refresh_from_db()
    system.refresh_from_db()
    assert (release.version, release.released_on, release.accepted_by_name) == (
        "2.1.0",
        dt.date(2026, 12, 2),
        "Directora de DIGEP",
    )
    assert list(release.closes.all()) == [change]
    assert (change.status, change.system_version) == ("implementado", "2.1.0")
    assert system.state == "en-produccion" and system.technologies == "Java 21, PostgreSQL 16"
    timeline = client_for(cast["jefe-ogtie"]).get(f"{API}/systems/{system.pk}/").json()["timeline"]
    assert "1. Remitir ficha de requerimiento" in [e["title"] for e in timeline]
    assert {e["procedure"] for e in timeline if e["procedure"]} == {CODE}


def test_evolutive_maintenance_with_defects_and_every_publication_loop(cast: Cast) -> None:
    _system(cast)
    walk, s = _walk(cast)
    s.data = {**DATA, 1: {**DATA[1], "tipo_mantenimiento": "evolutivo"}}
    _to_tests(s, cast)
    for n in (9, 10, 11, 12, 13):
        s.step(n)
    s.step(14, {"defectos_encontrados": "si", "defectos": 3}, open_after=[9])
    for n in (9, 10, 11, 12, 13):
        s.step(n)
    s.step(14, {"defectos_encontrados": "no"}, open_after=[15])
    _qa_to_production(s)
    s.step(23, {"publicacion_externa": "si"}, open_after=[24])
    s.step(24, open_after=[25])
    s.step(25, {"datos_completos": "no"}, open_after=[26])
    s.step(26, open_after=[27])
    s.step(27, open_after=[25])
    s.step(25, {"datos_completos": "si"}, open_after=[28])
    s.step(28, open_after=[29])
    s.step(29, {"resultados_satisfactorios": "no"}, open_after=[30])
    s.step(30, {"inconveniente_solicitud": "si"}, open_after=[31])
    s.step(31, open_after=[28])
    s.step(28, open_after=[29])
    s.step(29, {"resultados_satisfactorios": "no"}, open_after=[30])
    s.step(30, {"inconveniente_solicitud": "no"}, open_after=[28])
    s.step(28, open_after=[29])
    s.step(29, {"resultados_satisfactorios": "si"}, open_after=[32])
    s.step(32, open_after=[33])
    s.step(33, open_after=[34])
    _closure(s)
    walk.assert_completed(walk.completed)
    assert ChangeRecord.objects.get(instance_id=walk.id).kind == "evolutivo"


def test_request_for_a_system_not_in_the_catalogue_or_retired_is_refused(cast: Cast) -> None:
    system = _system(cast)
    walk, s = _walk(cast)
    errors = s.refuse(1, {"sistema": "NOEXISTE"})["errors"]
    assert list(errors) == ["sistema"] and "no está en el catálogo" in errors["sistema"][0]
    actions.do_retire_system(
        system,
        decommissioned_on=dt.date(2026, 11, 1),
        data_location="NAS-01",
        backup_location="git-archivo",
        actor=None,
        check=False,
    )
    errors = s.refuse(1, {})["errors"]
    assert list(errors) == ["sistema"] and "dado de baja" in errors["sistema"][0]
    assert not ChangeRecord.objects.exists() and walk.detail()["history"] == []


def test_a_release_with_a_version_already_used_is_refused(cast: Cast) -> None:
    _system(cast)
    walk, s = _walk(cast)
    _to_tests(s, cast)
    for n in range(9, 14):
        s.step(n)
    s.step(14, {"defectos_encontrados": "no"})
    for n in range(15, 19):
        s.step(n)
    errors = s.refuse(19, {"version": "1.0.0"})["errors"]
    assert list(errors) == ["version"] and "ya existe" in errors["version"][0]
    assert not Release.objects.filter(instance_id=walk.id).exists()
    s.step(19, open_after=[20])
    assert Release.objects.get(instance_id=walk.id).version == "2.1.0"
