"""S04.02.00.01 Desarrollo, implementación y puesta en producción de sistemas de información,
walked path by path through API v1 (docs/procedures/S04.02.00.01.md).

Every activity is completed by a holder of the role the manual names, after two holders of
other roles and a director of another unit got 403. The three paths cover every branch of the
seven decisions (3, 8, 22, 30, 32, 36, 37) and every loop back (22→17, 34→32, 37→35/38→35).
Along the main path the registers are checked: the catalogue entry created at 6, the Git access
request of S04.03.01.01 linked at 14, the quality review and its acta at 15, the release at 27,
its deployment at 29, the inventory at 43, and the system's timeline.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.documents.models import Document
from mapro.procedures.testing import API, Cast, Walk, client_for, publish_ficha
from mapro.systems.models import ChangeRecord, InformationSystem, QualityReview, Release

from .flow_helpers import INFRA, Stepper, upload

CODE = "S04.02.00.01"
pytestmark = pytest.mark.django_db

#: The Responsable of each activity, as the manual names it (roles.md).
ROLES: dict[int, tuple[str, ...]] = {
    1: ("director-uo",),
    **{n: ("jefe-ogtie",) for n in (2, 5, 45)},
    **{n: ("coord-innovacion",) for n in (3, 4, 6, 8, 14, 43, 44)},
    **{n: ("resp-analisis-sistemas",) for n in (7, 9, 10, 11, 12, 16)},
    **{n: ("analista-programador",) for n in (13, 15, 17, 26, 27, 42)},
    **{n: ("resp-calidad",) for n in range(18, 26)},
    **{n: ("operador-mesa",) for n in (28, 31, 34, 40)},
    **{n: INFRA for n in (29, 30, 36, 38)},
    **{n: ("tecnico-especialista",) for n in (32, 33, 35, 37, 39)},
    41: ("coord-infraestructura",),
}

DATA: dict[int, dict[str, Any]] = {
    1: {
        "oficio": "OFICIO N° 00120-2026-MINDEF/SG-OGTIE",
        "nombre_sistema": "Sistema de gestión documental",
        "proceso": "Gestión documental",
        "problematica": "Los expedientes se tramitan en papel.",
        "justificacion": "Ley de Gobierno Digital.",
    },
    3: {"alcance": "Trámite de expedientes de la sede central."},
    4: {"sustento": "No hay recursos este año.", "alternativa": "Usar el SGD de la PCM."},
    6: {"codigo_sistema": "SIGEDOC", "nombre_sistema": "Sistema de gestión documental"},
    11: {"acta_requerimiento": "ACTA-REQ-014-2026"},
    13: {"acta_desarrollo": "ACTA-DES-009-2026"},
    14: {
        "ruta_proyecto": "\\\\fs01\\proyectos\\sigedoc",
        "repositorio": "https://git.mindef.gob.pe/ogtie/sigedoc",
        "url_desarrollo": "https://sigedoc-desa.mindef.gob.pe",
    },
    17: {"numero_ticket": "MA-2026-00411"},
    19: {"plan_pruebas": "PP-2026-007", "interfaces": 6, "dias_control_calidad": 4},
    23: {"informe_pruebas": "IP-2026-007", "acta_qa": "QA-2026-007"},
    24: {"informe_final_pruebas": "UAT-2026-007"},
    25: {"informe_control_calidad": "ICC-2026-007"},
    26: {
        "acta_conformidad": "AC-2026-003",
        "conformidad_de": "Director de DIGEP",
        "fecha_conformidad": "2026-11-20",
    },
    27: {
        "version": "1.0.0",
        "commit_tag": "v1.0.0",
        "solicitud_pase": "SPP-2026-011",
        "cambios": "Primera versión: registro y trámite de expedientes.",
    },
    29: {"fecha_pase": "2026-11-25"},
    31: {"numero_ticket_publicacion": "MA-2026-00450"},
    33: {"datos_solicitados": "IP privada y puertos."},
    35: {"configuracion": "NAT 443 → 10.1.2.3:8443"},
    38: {"solicitud_reformulada": "Puerto 8443 en lugar de 8080."},
    42: {"fecha_capacitacion": "2026-11-30", "asistentes": 14},
    43: {
        "criticidad": "alta",
        "tecnologias": "Java 21, PostgreSQL 16",
        "url_produccion": "https://sigedoc.mindef.gob.pe",
        "servidores": [{"servidor": "srv-app-01"}, {"servidor": "srv-bd-02"}],
    },
    44: {"bondades": "Trámite sin papel."},
}


def _walk(cast: Cast) -> tuple[Walk, Stepper]:
    publish_ficha(CODE)
    walk = Walk(CODE, cast, starter="director-uo", start="requerimiento")
    walk.assert_open(1)
    return walk, Stepper(walk, ROLES, DATA)


def _to_development(s: Stepper, complexity: str) -> None:
    for n, extra, after in [
        (1, {}, [2]),
        (2, {}, [3]),
        (3, {"viable": "si"}, [6]),
        (6, {}, [7]),
        (7, {}, [8]),
        (8, {"complejidad": complexity}, [9] if complexity == "alta-media" else [11]),
    ]:
        s.step(n, extra, open_after=after)
    for n in [9, 10] if complexity == "alta-media" else [11]:
        s.step(n)
    s.step(12, open_after=[13])
    s.step(13, open_after=[14])


def proposed_form(s: Stepper, n: int) -> dict[str, Any]:
    """The defaults the task form of ``n`` proposes to the programmer."""
    task = s.walk.task_id(n)
    response = client_for(s.walk.cast["analista-programador"]).get(f"{API}/tasks/{task}/")
    assert response.status_code == 200, response.content
    props = response.json()["form"]["properties"]
    return {k: p["default"] for k, p in props.items() if "default" in p}


def _quality(s: Stepper, cast: Cast, sonar: str, zap: str, extra: dict[str, Any]) -> None:
    assert "cumple" not in proposed_form(s, 15)  # nothing uploaded yet: nothing proposed
    data = {
        "commit": "a1b2c3d",
        "reporte_sonarqube": upload(cast, "SIGEDOC", sonar),
        "reporte_zap": upload(cast, "SIGEDOC", zap),
        **extra,
    }
    # the form now proposes the reports just uploaded and the gate's «¿cumple?»
    proposed = proposed_form(s, 15)
    assert proposed["reporte_sonarqube"] == data["reporte_sonarqube"]
    assert proposed["reporte_zap"] == data["reporte_zap"]
    assert proposed["cumple"] == ("no" if sonar == "sonarqube-issues.json" else "si")
    s.step(15, data, open_after=[16])
    s.step(16, open_after=[17])


def _tests_to_production(s: Stepper, *, defects_first: bool) -> None:
    for n in (17, 18, 19, 20, 21):
        s.step(n)
    if defects_first:
        s.step(22, {"defectos_encontrados": "si", "defectos": 2}, open_after=[17])
        for n in (17, 18, 19, 20, 21):
            s.step(n)
    s.step(22, {"defectos_encontrados": "no"}, open_after=[23])
    for n in range(23, 30):
        s.step(n)


def _closure(s: Stepper) -> None:
    for n in range(40, 46):
        s.step(n)


def test_not_viable_ends_with_the_oficio_of_observations() -> None:
    cast = Cast()
    walk, s = _walk(cast)
    s.step(1, open_after=[2])
    s.step(2, open_after=[3])
    s.step(3, {"viable": "no"}, open_after=[4])
    s.step(4, open_after=[5])
    s.step(5)
    walk.assert_completed([1, 2, 3, 4, 5])
    assert not InformationSystem.objects.exists()
    assert Document.objects.filter(instance_id=walk.id, kind="Oficio").count() == 1


def test_high_complexity_to_production_without_publication_writes_the_registers() -> None:
    cast = Cast()
    walk, s = _walk(cast)
    _to_development(s, "alta-media")
    system = InformationSystem.objects.get(code="SIGEDOC")
    assert (system.state, system.owner_unit.code, system.origin_instance_id) == (
        "en-desarrollo",
        "OGTIE",
        walk.id,
    )
    change = ChangeRecord.objects.get(instance_id=walk.id)
    assert (change.kind, change.status, change.procedure_code) == ("nuevo", "en-curso", CODE)

    # 14: the Git access is an S04.03.01.01 request: another procedure's number is refused
    publish_ficha("S04.03.01.01")
    errors = s.refuse(14, {"expediente_acceso_git": walk.id})["errors"]
    assert list(errors) == ["expediente_acceso_git"]
    request = client_for(cast["personal"]).post(
        f"{API}/procedures/S04.03.01.01/instances/", {"data": {}}, format="json"
    )
    assert request.status_code == 201, request.content
    s.step(14, {"expediente_acceso_git": request.json()["id"]}, open_after=[15, 16])
    system.refresh_from_db()
    assert system.git_access_instance_id == request.json()["id"]
    assert system.repository.endswith("/sigedoc")

    # 15: reports over the default gate: «¿cumple?» left empty takes the gate's «no cumple»
    _quality(s, cast, "sonarqube-issues.json", "zap-report.json", {})
    review = QualityReview.objects.get(instance_id=walk.id)
    assert (review.proposed, review.decided, review.override_reason) == ("no", "no", "")
    acta = Document.objects.get(instance_id=walk.id, kind__startswith="Acta de revisión de código")
    assert acta.number and review.acta_number == acta.number
    body = dict(acta.body)
    assert body["SonarQube (análisis estático)"].endswith(
        "Bloqueante: 1; Crítica: 1; Mayor: 1; Menor: 1; Informativa: 1"
    )
    assert "Alto: 1; Medio: 1; Bajo: 1; Informativo: 1" in body["OWASP ZAP (escaneo de seguridad)"]
    assert body["Resultado"] == "No cumple"

    _tests_to_production(s, defects_first=False)
    release = Release.objects.get(instance_id=walk.id)
    assert (release.version, release.commit_ref, release.accepted_by_name) == (
        "1.0.0",
        "v1.0.0",
        "Director de DIGEP",
    )
    assert str(release.released_on) == "2026-11-25" and release.deployed_by_name
    assert "QA-2026-007" in release.quality_evidence and acta.number in release.quality_evidence
    change.refresh_from_db()
    system.refresh_from_db()
    assert (change.status, change.system_version, system.state) == (
        "implementado",
        "1.0.0",
        "en-produccion",
    )
    s.step(30, {"publicacion_externa": "no"}, open_after=[40])
    _closure(s)
    walk.assert_completed(walk.completed)
    system.refresh_from_db()
    assert system.servers == ["srv-app-01", "srv-bd-02"] and system.criticality == "alta"

    detail = client_for(cast["jefe-ogtie"]).get(f"{API}/systems/{system.pk}/").json()
    titles = [e["title"] for e in detail["timeline"]]
    assert titles[:2] == ["Expediente iniciado", "1. Remitir ficha de requerimiento"]
    assert (
        "Versión 1.0.0 en producción" in titles
        and "45. Tomar conocimiento del cierre del proyecto" in titles
    )
    assert {e["procedure"] for e in detail["timeline"] if e["procedure"]} >= {CODE, "S04.03.01.01"}
    page = client_for(cast["jefe-ogtie"])
    page.force_login(cast["jefe-ogtie"])
    assert "Versión 1.0.0 en producción" in page.get(f"/sistemas/{system.pk}/").content.decode()


def test_low_complexity_with_defects_and_every_publication_loop() -> None:
    cast = Cast()
    walk, s = _walk(cast)
    _to_development(s, "baja")
    s.step(14, open_after=[15, 16])
    # clean reports, but the analyst says «no cumple» without a reason: refused, then with one
    sonar, zap = (
        upload(cast, "SIGEDOC", "sonarqube-clean.json"),
        upload(cast, "SIGEDOC", "zap-clean.json"),
    )
    base = {"commit": "f00ba4", "reporte_sonarqube": sonar, "reporte_zap": zap}
    assert proposed_form(s, 15)["cumple"] == "si"
    assert list(s.refuse(15, {**base, "cumple": "no"})["errors"]) == ["motivo_cumple"]
    assert list(s.refuse(15, {**base, "reporte_sonarqube": zap})["errors"]) == ["reporte_sonarqube"]
    assert (
        not QualityReview.objects.exists()
        and not Document.objects.filter(instance_id=walk.id).exists()
    )
    s.step(
        15,
        {**base, "cumple": "no", "motivo_cumple": "Falta cobertura de pruebas."},
        open_after=[16],
    )
    review = QualityReview.objects.get(instance_id=walk.id)
    assert (review.proposed, review.decided) == ("si", "no") and review.overridden
    s.step(16, open_after=[17])
    _tests_to_production(s, defects_first=True)
    s.step(30, {"publicacion_externa": "si"}, open_after=[31])
    s.step(31, open_after=[32])
    s.step(32, {"datos_completos": "no"}, open_after=[33])
    s.step(33, open_after=[34])
    s.step(34, open_after=[32])
    s.step(32, {"datos_completos": "si"}, open_after=[35])
    s.step(35, open_after=[36])
    s.step(36, {"resultados_satisfactorios": "no"}, open_after=[37])
    s.step(37, {"inconveniente_solicitud": "si"}, open_after=[38])
    s.step(38, open_after=[35])
    s.step(35, open_after=[36])
    s.step(36, {"resultados_satisfactorios": "no"}, open_after=[37])
    s.step(37, {"inconveniente_solicitud": "no"}, open_after=[35])
    s.step(35, open_after=[36])
    s.step(36, {"resultados_satisfactorios": "si"}, open_after=[39])
    s.step(39, open_after=[40])
    _closure(s)
    walk.assert_completed(walk.completed)
    assert 11 in walk.completed and 9 not in walk.completed and walk.completed.count(22) == 2


def test_a_used_system_code_or_version_is_refused_and_nothing_saved() -> None:
    cast = Cast()
    InformationSystem.objects.create(code="SIGEDOC", name="Otro", owner_unit=cast.ogtie)
    walk, s = _walk(cast)
    for n, extra in ((1, {}), (2, {}), (3, {"viable": "si"})):
        s.step(n, extra)
    assert list(s.refuse(6, {})["errors"]) == ["codigo_sistema"]
    assert not ChangeRecord.objects.exists()
    assert list(s.refuse(3 if False else 6, {"codigo_sistema": "bad code!"})["errors"]) == [
        "codigo_sistema"
    ]
    s.step(6, {"codigo_sistema": "SIGEDOC2"})
    assert InformationSystem.objects.filter(code="SIGEDOC2", origin_instance_id=walk.id).exists()
