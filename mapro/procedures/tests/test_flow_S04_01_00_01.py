"""S04.01.00.01 Formulación del PGD, walked through API v1 (docs/procedures/S04.01.00.01.md).

One path, 1 → 24 (no decision in the manual). Activities 9 and 14 are one task per coordinator,
each answered by its holder; 4, 17 and 20 are agreements of CGD sessions (quorum and vote);
5 and 6 write and approve the risk matrix; 23 makes the plan vigente with its RM.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from mapro.core.testing import make_user
from mapro.govdigital.actions import plans as pa
from mapro.govdigital.choices import PlanStatus, ProjectStatus, RiskStatus
from mapro.govdigital.models import Agreement, Plan, ProjectProgress, Risk, Session
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.01.00.01"
COORDS = ("coord-innovacion", "coord-infraestructura", "coord-ciberseguridad", "coord-estadistica")
TEAM = {
    "coord-innovacion": "innovacion",
    "coord-infraestructura": "infraestructura",
    "coord-ciberseguridad": "ciberseguridad",
    "coord-estadistica": "estadistica",
}
NEW = "PGD-2027-2029"


def cgd_vote(day: str, members: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "fecha_sesion": day,
        "miembros_presentes": [{"miembro": m} for m in members],
        "acuerdo": "Se aprueba por mayoría.",
        "votos_a_favor": len(members),
        "acta": "adjunto-acta",
        **extra,
    }


RISK = {
    "etapa": "Recopilación de información",
    "activo": "Información del PEI",
    "amenaza": "Entrega tardía de información por las unidades",
    "vulnerabilidad": "Falta de un punto de contacto designado",
    "probabilidad": 4,
    "impacto": 3,
    "tratamiento": "mitigar",
    "controles": "Designar enlaces por unidad.",
    "probabilidad_residual": 2,
    "impacto_residual": 2,
    "responsable": "Responsable de asistencia y mejora continua de GD",
    "fecha_limite": "2026-03-31",
}


def acts(cgd: str) -> dict[int, Act]:
    return {
        1: Act(
            ("jefe-ogtie",),
            ("resp-mejora-gd", "esp-gobierno-digital"),
            {"anio_inicio": 2027, "anio_fin": 2029, "fecha_comunicacion": "2026-02-02"},
        ),
        2: Act(
            ("resp-mejora-gd",),
            ("esp-gobierno-digital", "jefe-ogtie"),
            {
                "cronograma": [
                    {"fase": "Diagnóstico", "actividad": "Situación actual", "duracion_dias": 20}
                ]
            },
        ),
        3: Act(
            ("jefe-ogtie",),
            ("resp-mejora-gd", "coord-estadistica"),
            {"fecha_reunion_propuesta": "2026-02-16"},
        ),
        4: Act(("cgd",), ("jefe-ogtie", "resp-mejora-gd"), cgd_vote("2026-02-16", [cgd])),
        5: Act(("resp-mejora-gd",), ("jefe-ogtie", "coord-ciberseguridad"), {"riesgos": [RISK]}),
        6: Act(
            ("jefe-ogtie",),
            ("resp-mejora-gd", "esp-seguridad-info"),
            {"fecha_aprobacion": "2026-02-20", "involucrados": "Coordinaciones de la OGTIE"},
        ),
        7: Act(
            ("jefe-ogtie",),
            ("resp-mejora-gd", "coord-innovacion"),
            {
                "fecha_reunion": "2026-02-23",
                "enfoque_estrategico": "Servicios digitales centrados en el ciudadano.",
            },
        ),
        8: Act(
            ("resp-mejora-gd",),
            ("jefe-ogtie", "coord-estadistica"),
            {"fecha_solicitud": "2026-02-24"},
        ),
        9: Act(
            COORDS, ("coord-gobierno-ti", "resp-mejora-gd", "jefe-ogtie"), {"reporte": "adjunto-9"}
        ),
        10: Act(
            ("resp-mejora-gd",),
            ("jefe-ogtie", "coord-innovacion"),
            {"reporte_consolidado": "adjunto-10"},
        ),
        11: Act(
            ("jefe-ogtie",),
            ("resp-mejora-gd", "coord-estadistica"),
            {"fecha_reunion": "2026-03-09"},
        ),
        12: Act(
            ("jefe-ogtie",),
            ("resp-mejora-gd", "coord-infraestructura"),
            {
                "fecha_reunion": "2026-03-10",
                "objetivos": [
                    {
                        "codigo": "OGD1",
                        "objetivo": "Digitalizar los servicios al ciudadano",
                        "alineamiento_pei": "AEI 01.02",
                    }
                ],
            },
        ),
        13: Act(
            ("resp-mejora-gd",),
            ("jefe-ogtie", "esp-gobierno-digital"),
            {"fecha_solicitud": "2026-03-11"},
        ),
        14: Act(
            COORDS,
            ("coord-gobierno-ti", "resp-mejora-gd"),
            {
                "proyectos": [
                    {
                        "nombre": "Mesa de partes digital",
                        "objetivo": "OGD1",
                        "presupuesto": 150000,
                        "inicio": "2027-01-01",
                        "fin": "2027-12-31",
                        "indicador": "Trámites digitales",
                        "meta": 80,
                        "unidad_medida": "%",
                    }
                ]
            },
        ),
        15: Act(
            ("resp-mejora-gd",),
            ("jefe-ogtie", "coord-innovacion"),
            {
                "portafolio_consolidado": "adjunto-15",
                "priorizacion": [{"proyecto": f"{NEW}-P01", "prioridad": 1}],
            },
        ),
        16: Act(
            ("jefe-ogtie",),
            ("resp-mejora-gd", "coord-estadistica"),
            {
                "proyectos_validados": [
                    {"proyecto": f"{NEW}-P01", "prioridad": 1},
                    {"proyecto": f"{NEW}-P02", "prioridad": 2},
                    {"proyecto": f"{NEW}-P03", "prioridad": 3},
                ],
                "fecha_reunion_propuesta": "2026-04-06",
            },
        ),
        17: Act(
            ("cgd",),
            ("jefe-ogtie", "resp-mejora-gd"),
            cgd_vote("2026-04-06", [cgd], proyectos_retirados=[{"proyecto": f"{NEW}-P03"}]),
        ),
        18: Act(
            ("resp-mejora-gd",),
            ("jefe-ogtie", "esp-gobierno-digital"),
            {
                "titulo": "Plan de Gobierno Digital del MINDEF 2027–2029",
                "documento_final": "adjunto-18",
            },
        ),
        19: Act(
            ("jefe-ogtie",),
            ("resp-mejora-gd", "coord-estadistica"),
            {"fecha_reunion_propuesta": "2026-05-04"},
        ),
        20: Act(
            ("cgd",), ("jefe-ogtie",), cgd_vote("2026-05-04", [cgd], pgd_firmado="adjunto-pgd")
        ),
        21: Act(
            ("esp-gobierno-digital",),
            ("resp-mejora-gd", "jefe-ogtie"),
            {"proyecto_informe": "adjunto-21", "proyecto_rm": "adjunto-rm"},
        ),
        22: Act(
            ("jefe-ogtie",),
            ("esp-gobierno-digital", "resp-mejora-gd"),
            {"informe_sustento": "adjunto-22"},
        ),
        23: Act(
            ("ministro",),
            ("jefe-ogtie", "esp-gobierno-digital"),
            {
                "fecha_rm": "2026-06-01",
                "opinion_tecnica_dgpp": "INFORME N° 010-2026-DGPP",
                "opinion_legal_ogaj": "INFORME LEGAL N° 020-2026-OGAJ",
                "resolucion_firmada": "adjunto-rm-firmada",
            },
        ),
        24: Act(
            ("secretario-general",),
            ("jefe-ogtie", "resp-mejora-gd"),
            {"fecha_oficio": "2026-06-03"},
        ),
    }


PATH: list[Step] = [(n, {}, [n + 1] if n < 24 else []) for n in range(1, 25)]


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    return Cast()


@time_machine.travel("2026-02-02 10:00 -05:00", tick=False)
def test_the_path_leaves_the_plan_its_portfolio_sessions_risks_and_documents(cast: Cast) -> None:
    cgd = cast["cgd"].username
    run_path(CODE, cast, acts(cgd), PATH, first=[1])
    plan = Plan.objects.get(code=NEW)
    assert plan.status == PlanStatus.VIGENTE
    assert plan.rm_number.startswith("RESOLUCIÓN N° ")
    assert plan.rm_number.endswith("-2026-MINDEF/DM")
    assert plan.pcm_oficio.startswith("OFICIO N° ") and plan.pcm_oficio.endswith("-MINDEF/SG")
    assert plan.strategic_focus == "Servicios digitales centrados en el ciudadano."
    assert plan.schedule[0]["fase"] == "Diagnóstico"
    assert [o.code for o in plan.objectives.all()] == ["OGD1"]
    # Each coordinator proposed one project of its team (activity 14).
    projects = {p.code: p for p in plan.projects.all()}
    assert sorted(p.team for p in projects.values()) == sorted(TEAM.values())
    assert projects[f"{NEW}-P01"].status == ProjectStatus.EN_EJECUCION  # approved, then the RM
    assert projects[f"{NEW}-P03"].status == ProjectStatus.NO_PRIORIZADO  # withdrawn by the CGD
    assert projects[f"{NEW}-P04"].status == ProjectStatus.NO_PRIORIZADO  # not validated at 16
    assert projects[f"{NEW}-P01"].indicators.get().target == 80
    # Three CGD approvals, each an agreement of its session with the vote and the acta.
    agreements = list(Agreement.objects.filter(plan=plan).order_by("id"))
    assert [a.subject for a in agreements] == ["cronograma", "portafolio", "documento_final"]
    assert all(a.result == "aprobado" and a.votes_for == 1 for a in agreements)
    assert all(a.session.acta_number.startswith("ACTA N° ") for a in agreements)
    # The risk of the formulation, on the scale, approved at 6.
    risk = Risk.objects.get(plan=plan)
    assert (risk.inherent, risk.residual, risk.status) == (12, 4, RiskStatus.APROBADO)


def _answer_each(walk: Walk, cast: Cast, n: int, data_for: Any) -> None:
    """Each coordinator answers its own task of ``n`` with its own data; another coordinator
    trying someone else's task gets 403."""
    tasks = [t for t in walk.detail()["tasks"] if t["n"] == n]
    by_username = {cast[r].username: r for r in COORDS}
    assert sorted(by_username[t["item"]["user"]] for t in tasks) == sorted(COORDS)
    for task in tasks:
        role = by_username[task["item"]["user"]]
        other = cast[next(r for r in COORDS if r != role)]
        url = f"{API}/tasks/{task['id']}/complete/"
        assert (
            client_for(other).post(url, {"data": data_for(role)}, format="json").status_code == 403
        )
        response = client_for(cast[role]).post(url, {"data": data_for(role)}, format="json")
        assert response.status_code == 200, response.content


@time_machine.travel("2026-02-02 10:00 -05:00", tick=False)
def test_each_coordinator_reports_its_own_projects_of_the_current_plan(cast: Cast) -> None:
    for role in (*COORDS, "resp-mejora-gd", "jefe-ogtie", "cgd"):
        cast[role]
    old = pa.do_open_plan(actor=None, start_year=2024, end_year=2026)
    pa.do_add_projects(
        old, [{"name": f"Proyecto {t}", "team": t} for t in TEAM.values()], actor=None
    )
    old = pa.do_approve_by_rm(old, actor=None, rm_number="RM N° 0100-2024-DE", rm_date="2024-03-01")
    code_of = {p.team: p.code for p in old.projects.all()}
    data = acts(cast["cgd"].username)
    walk = Walk(CODE, cast, starter="jefe-ogtie")
    for n in range(1, 9):
        walk.complete(n, role=data[n].roles[0], data=data[n].data)
    walk.assert_open(9, 9, 9, 9)
    # A coordinator cannot report another team's project: 400, the task stays open.
    task = next(
        t for t in walk.detail()["tasks"] if t["item"]["user"] == cast["coord-innovacion"].username
    )
    wrong = {
        "reporte": "r",
        "proyectos": [{"proyecto": code_of["estadistica"], "avance": 10, "estado": "en_plazo"}],
    }
    response = client_for(cast["coord-innovacion"]).post(
        f"{API}/tasks/{task['id']}/complete/", {"data": wrong}, format="json"
    )
    assert response.status_code == 400
    assert "proyectos" in response.json()["errors"]
    assert not ProjectProgress.objects.exists()

    def own(role: str) -> dict[str, Any]:
        return {
            "reporte": f"reporte-{role}",
            "proyectos": [{"proyecto": code_of[TEAM[role]], "avance": 60, "estado": "en_riesgo"}],
        }

    _answer_each(walk, cast, 9, own)
    walk.assert_open(10)
    progress = ProjectProgress.objects.filter(period__plan=old)
    assert sorted(p.project.team for p in progress) == sorted(TEAM.values())
    assert {p.reported_by for p in progress} == {cast[r] for r in COORDS}
    # 11: the jefe decides: innovation continues into the new plan, statistics is dropped.
    walk.complete(10, role="resp-mejora-gd", data=data[10].data)
    walk.complete(
        11,
        role="jefe-ogtie",
        data={
            "fecha_reunion": "2026-03-09",
            "disposiciones": [
                {"proyecto": code_of["innovacion"], "disposicion": "continua"},
                {"proyecto": code_of["estadistica"], "disposicion": "desestimado"},
            ],
        },
    )
    new = Plan.objects.get(code=NEW)
    carried = new.projects.get()
    assert carried.carried_from.code == code_of["innovacion"]
    assert old.projects.get(code=code_of["estadistica"]).status == ProjectStatus.DESESTIMADO


@time_machine.travel("2026-02-02 10:00 -05:00", tick=False)
def test_a_cgd_approval_without_quorum_is_a_field_error_and_saves_nothing(cast: Cast) -> None:
    members = [cast["cgd"], make_user("cgd", unit=cast.ogtie), make_user("cgd", unit=cast.ogtie)]
    data = acts(members[0].username)
    walk = Walk(CODE, cast, starter="jefe-ogtie")
    for n in (1, 2, 3):
        walk.complete(n, role=data[n].roles[0], data=data[n].data)
    task = walk.task_id(4)
    url = f"{API}/tasks/{task}/complete/"
    alone = cgd_vote("2026-02-16", [members[0].username])  # 1 of 3: no quorum
    response = client_for(members[0]).post(url, {"data": alone}, format="json")
    assert response.status_code == 400, response.content
    assert "quórum" in response.json()["errors"]["miembros_presentes"][0]
    assert not Session.objects.exists() and not Agreement.objects.exists()
    walk.assert_open(4)
    # A non-member named as present is refused too.
    stranger = cgd_vote("2026-02-16", [members[0].username, cast["jefe-ogtie"].username])
    response = client_for(members[0]).post(url, {"data": stranger}, format="json")
    assert response.status_code == 400
    assert "miembros_presentes" in response.json()["errors"]
    # Two of three present, but one vote in favour: no majority, not approved.
    split = cgd_vote(
        "2026-02-16", [m.username for m in members[:2]], votos_a_favor=1, votos_en_contra=1
    )
    response = client_for(members[0]).post(url, {"data": split}, format="json")
    assert response.status_code == 400
    assert "votos_a_favor" in response.json()["errors"]
    assert not Session.objects.exists()
    # With quorum and majority the session and its agreement are recorded.
    ok = cgd_vote("2026-02-16", [m.username for m in members[:2]])
    assert client_for(members[1]).post(url, {"data": ok}, format="json").status_code == 200
    session = Session.objects.get()
    assert (session.members_in_office, session.present_count, session.has_quorum) == (3, 2, True)
    walk.assert_open(5)


@time_machine.travel("2026-02-02 10:00 -05:00", tick=False)
def test_a_risk_outside_the_scale_is_a_field_error(cast: Cast) -> None:
    data = acts(cast["cgd"].username)
    walk = Walk(CODE, cast, starter="jefe-ogtie")
    for n in (1, 2, 3, 4):
        walk.complete(n, role=data[n].roles[0], data=data[n].data)
    url = f"{API}/tasks/{walk.task_id(5)}/complete/"
    for bad in ({**RISK, "probabilidad": 6}, {**RISK, "impacto": 0}):
        response = client_for(cast["resp-mejora-gd"]).post(
            url, {"data": {"riesgos": [bad]}}, format="json"
        )
        assert response.status_code == 400, response.content
        assert "riesgos" in str(response.json()["errors"])
    assert not Risk.objects.exists()
    walk.assert_open(5)


def test_only_the_jefe_starts_and_the_period_has_three_years(cast: Cast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    assert client_for(cast["resp-mejora-gd"]).post(url, {}, format="json").status_code == 403
    walk = Walk(CODE, cast, starter="jefe-ogtie")
    task = walk.task_id(1)
    response = client_for(cast["jefe-ogtie"]).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {"anio_inicio": 2027, "anio_fin": 2028, "fecha_comunicacion": "2026-02-02"}},
        format="json",
    )
    assert response.status_code == 400
    assert "anio_fin" in response.json()["errors"]
    assert not Plan.objects.exists()
