"""S04.04.00.02 Contención de ataques spam y/o phishing, walked path by path through API v1.

Paths (docs/procedures/S04.04.00.02.md): A 1-2-3-4-5-6-7-fin (spam), B 1-…-5-8-9-10-fin (phishing
no concretado), and the "phishing concretado" paths 1-…-5-8-11-12, then the two parallel lines
{13-14-[15]-16-17 ‖ 18-19} joining at 20, then 21-fin: C with the account deleted (14 "Sí" → 15) and
D with only the compromised mails deleted (14 "No" → 16). C is walked with the cybersecurity line
finished first, with the infrastructure line finished first, and interleaved; D interleaved.
The reporter (``personal``) works in a unit other than OGTIE, so the instance belongs to it.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.04.00.02"
REQUESTER_ROLES = {"personal", "director-uo"}
BLOCKS = {"register": "Lista de bloqueos de spam y phishing"}
BLOQUEOS = {
    "bloqueos": [
        {"tipo": "cuenta", "valor": "soporte@mindef-gob.pe.example"},
        {"tipo": "dominio", "valor": "mindef-gob.pe.example"},
        {"tipo": "enlace", "valor": "https://mindef-gob.pe.example/login"},
        {"tipo": "ip", "valor": "185.220.101.45"},
    ]
}
CIERRE = {
    "accion_realizada": "Remitente bloqueado; usuarios notificados.",
    "fecha_cierre": "2025-09-02",
}


class ReporterCast(Cast):
    """The walk's cast, with the reporting staff and the unit's director in DGRRHH."""

    def __init__(self) -> None:
        super().__init__()
        self.uo = ensure_unit("DGRRHH", "Dirección General de Recursos Humanos", parent=self.sg)

    def __getitem__(self, role: str) -> Any:
        if role in REQUESTER_ROLES and role not in self._users:
            self._users[role] = make_user(role, unit=self.uo)
        return super().__getitem__(role)


TECNICO_WRONG = ("operador-mesa", "coord-ciberseguridad", "esp-seguridad-info", "personal")

ACTS: dict[int, Act] = {
    1: Act(
        ("personal",),
        ("tecnico-especialista", "operador-mesa", "director-uo"),
        {
            "cuenta_reporte": "alerta",
            "remitente": "soporte@mindef-gob.pe.example",
            "asunto_correo": "Su buzón ha superado el límite",
            "fecha_recepcion": "2025-09-01T08:40:00-05:00",
            "correo_reenviado": "adjunto-correo-reenviado",
        },
    ),
    2: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "personal", "resp-soporte"),
        {
            "numero_ticket": "MA-2025-006001",
            "usuario_reporta": "Ana Quispe",
            "unidad_organizacion": "DGRRHH",
            "cuenta_origen": "soporte@mindef-gob.pe.example",
            "tipo_preliminar": "phishing",
            "asignado_a": "Téc. Vargas",
        },
    ),
    3: Act(
        ("tecnico-especialista",),
        TECNICO_WRONG,
        {"datos_completos": True, "cantidad_usuarios": 37, "impacto": "37 buzones."},
    ),
    4: Act(
        ("tecnico-especialista",),
        TECNICO_WRONG,
        {"comunicado_como": "phishing", "fecha_notificacion": "2025-09-01T09:30:00-05:00"},
    ),
    5: Act(
        ("tecnico-especialista",),
        TECNICO_WRONG,
        {
            "remitente": "soporte@mindef-gob.pe.example",
            "enlaces": [{"url": "https://mindef-gob.pe.example/login"}],
            "adjuntos": [{"nombre": "factura.zip"}],
            "ips_publicas": [{"ip": "185.220.101.45"}],
        },
    ),
    6: Act(("tecnico-especialista",), TECNICO_WRONG, BLOQUEOS),
    7: Act(("tecnico-especialista",), TECNICO_WRONG, CIERRE),
    8: Act(
        ("tecnico-especialista",),
        TECNICO_WRONG,
        {"usuarios_comprometidos": "jperez", "evidencia": "Inicio de sesión desde IP extranjera."},
    ),
    9: Act(("tecnico-especialista",), TECNICO_WRONG, BLOQUEOS),
    10: Act(("tecnico-especialista",), TECNICO_WRONG, CIERRE),
    11: Act(
        ("tecnico-especialista",),
        TECNICO_WRONG,
        {"usuarios_comprometidos": "jperez", "fecha_notificacion": "2025-09-01T10:00:00-05:00"},
    ),
    12: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "resp-infraestructura", "coord-infraestructura", "personal"),
        {"cuentas_comprometidas": [{"cuenta": "jperez@mindef.gob.pe", "usuario": "J. Pérez"}]},
    ),
    13: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "resp-infraestructura", "personal"),
        {"categoria": "Seguridad / Phishing", "asignado_a": "Ing. Rojas"},
    ),
    14: Act(
        ("resp-infraestructura",),
        ("tecnico-especialista", "coord-infraestructura", "profesional-ogtie", "operador-mesa"),
        {
            "bloqueo_temporal": True,
            "bloqueo_owa": True,
            "cambio_contrasena": True,
            "acciones_comunicadas": "Bloqueo, cambio de contraseña y depuración de correos.",
        },
    ),
    15: Act(
        ("resp-infraestructura",),
        ("tecnico-especialista", "profesional-ogtie", "operador-mesa"),
        {
            "cuentas_nuevas": [
                {
                    "cuenta_eliminada": "jperez@mindef.gob.pe",
                    "cuenta_nueva": "jperez2@mindef.gob.pe",
                }
            ],
            "fecha_entrega": "2025-09-02",
        },
    ),
    16: Act(
        ("profesional-ogtie",),
        ("resp-infraestructura", "tecnico-especialista", "esp-seguridad-info"),
        {"resultado_analisis": "Reglas de reenvío maliciosas eliminadas."},
    ),
    17: Act(
        ("esp-seguridad-info",),
        ("tecnico-especialista", "coord-ciberseguridad", "oficial-seguridad-digital"),
        {"fecha_hora_charla": "2025-09-05T15:00:00-05:00", "participantes": "J. Pérez"},
    ),
    18: Act(("tecnico-especialista",), TECNICO_WRONG, BLOQUEOS),
    19: Act(("tecnico-especialista",), TECNICO_WRONG, CIERRE),
    20: Act(
        ("coord-ciberseguridad",),
        ("tecnico-especialista", "jefe-ogtie", "esp-seguridad-info", "oficial-seguridad-digital"),
        {
            "situacion_detectada": "Phishing concretado con un usuario.",
            "acciones_ejecutadas": "Bloqueos, cuenta nueva, análisis del buzón y charla.",
            "informe": "adjunto-informe-phishing",
            "documento_sistradoc": "INFORME N° 00077-2025-MINDEF/SG-OGTIE",
        },
    ),
    21: Act(
        ("jefe-ogtie",),
        ("coord-ciberseguridad", "oficial-seguridad-digital", "tecnico-especialista"),
        {},
    ),
}

HEAD: list[Step] = [(1, {}, [2]), (2, {}, [3]), (3, {}, [4]), (4, {}, [5])]
A_SPAM: list[Step] = [*HEAD, (5, {"tipo_correo": "spam"}, [6]), (6, {}, [7]), (7, {}, [])]
PHISHING: list[Step] = [*HEAD, (5, {"tipo_correo": "phishing"}, [8])]
B_NO_CONCRETADO: list[Step] = [
    *PHISHING,
    (8, {"se_concreto": "no"}, [9]),
    (9, {}, [10]),
    (10, {}, []),
]
CONCRETADO: list[Step] = [
    *PHISHING,
    (8, {"se_concreto": "si"}, [11]),
    (11, {}, [12]),
    (12, {}, [13, 18]),
]
TAIL: list[Step] = [(20, {}, [21]), (21, {}, [])]
C_CIBERSEGURIDAD_PRIMERO: list[Step] = [
    *CONCRETADO,
    (18, {}, [13, 19]),
    (19, {}, [13]),
    (13, {}, [14]),
    (14, {"cuenta_comprometida": "si"}, [15]),
    (15, {}, [16]),
    (16, {}, [17]),
    (17, {}, [20]),
    *TAIL,
]
C_INFRAESTRUCTURA_PRIMERO: list[Step] = [
    *CONCRETADO,
    (13, {}, [14, 18]),
    (14, {"cuenta_comprometida": "si"}, [15, 18]),
    (15, {}, [16, 18]),
    (16, {}, [17, 18]),
    (17, {}, [18]),
    (18, {}, [19]),
    (19, {}, [20]),
    *TAIL,
]
C_INTERCALADA: list[Step] = [
    *CONCRETADO,
    (13, {}, [14, 18]),
    (18, {}, [14, 19]),
    (14, {"cuenta_comprometida": "si"}, [15, 19]),
    (19, {}, [15]),
    (15, {}, [16]),
    (16, {}, [17]),
    (17, {}, [20]),
    *TAIL,
]
D_SOLO_CORREOS: list[Step] = [
    *CONCRETADO,
    (18, {}, [13, 19]),
    (13, {}, [14, 19]),
    (14, {"cuenta_comprometida": "no"}, [16, 19]),
    (16, {}, [17, 19]),
    (19, {}, [17]),
    (17, {}, [20]),
    *TAIL,
]

PATHS: dict[str, list[Step]] = {
    "A-spam": A_SPAM,
    "B-phishing-no-concretado": B_NO_CONCRETADO,
    "C-concretado-ciberseguridad-primero": C_CIBERSEGURIDAD_PRIMERO,
    "C-concretado-infraestructura-primero": C_INFRAESTRUCTURA_PRIMERO,
    "C-concretado-intercalada": C_INTERCALADA,
    "D-concretado-solo-correos": D_SOLO_CORREOS,
}
#: (tickets created, tickets closed, activities that feed the block list).
EXPECTED = {
    "A-spam": (1, 1, [6]),
    "B-phishing-no-concretado": (1, 1, [9]),
    "C-concretado-ciberseguridad-primero": (2, 2, [18]),
    "C-concretado-infraestructura-primero": (2, 2, [18]),
    "C-concretado-intercalada": (2, 2, [18]),
    "D-concretado-solo-correos": (2, 2, [18]),
}


@pytest.fixture
def cast(db: Any) -> ReporterCast:
    publish_ficha(CODE)
    return ReporterCast()


@pytest.mark.parametrize(("name", "rotate"), [(name, i) for i, name in enumerate(PATHS)])
def test_every_path_ends_completed(cast: ReporterCast, name: str, rotate: int) -> None:
    path = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=[1], rotate=rotate)
    detail = walk.detail()
    assert detail["unit"] == "DGRRHH"
    tickets = [e["ticket"] for step in detail["history"] for e in step["effects"] if "ticket" in e]
    created, closed, blocks = EXPECTED[name]
    assert (tickets.count("create"), tickets.count("close")) == (created, closed)
    assert [step["n"] for step in detail["history"] if BLOCKS in step["effects"]] == blocks
    notified = [step["n"] for step in detail["history"] for e in step["effects"] if "notify" in e]
    assert notified[0] == 4  # usuarios, Jefe(a) y Oficial de seguridad digital, in every path


def test_the_paths_cover_every_activity_and_branch() -> None:
    visited = {n for path in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 22))
    answers = {(n, v) for path in PATHS.values() for n, extra, _ in path for v in extra.values()}
    assert answers == {
        (5, "spam"),
        (5, "phishing"),
        (8, "si"),
        (8, "no"),
        (14, "si"),
        (14, "no"),
    }


def _open_at(cast: ReporterCast, steps: list[Step]) -> Walk:
    walk = Walk(CODE, cast, starter="personal")
    for n, extra, _ in steps:
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    return walk


@pytest.mark.parametrize(
    ("steps", "n", "field", "question", "branches"),
    [
        (
            HEAD,
            5,
            "tipo_correo",
            "Tipo de correo reportado",
            [("spam", "Spam"), ("phishing", "Phishing")],
        ),
        (
            PHISHING,
            8,
            "se_concreto",
            "¿Se concretó satisfactoriamente?",
            [("si", "Sí"), ("no", "No")],
        ),
        (
            [*CONCRETADO, (13, {}, [14, 18])],
            14,
            "cuenta_comprometida",
            "¿La cuenta está comprometida?",
            [
                ("si", "Sí (se elimina la cuenta)"),
                ("no", "No (se eliminan solamente los correos comprometidos)"),
            ],
        ),
    ],
)
def test_decisions_ask_the_manuals_questions(
    cast: ReporterCast,
    steps: list[Step],
    n: int,
    field: str,
    question: str,
    branches: list[tuple[str, str]],
) -> None:
    walk = _open_at(cast, steps)
    open_before = walk.open_activities()
    history_before = walk.detail()["history"]
    task = walk.task_id(n)
    user = cast[ACTS[n].roles[0]]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    assert form["properties"][field]["title"] == question
    assert [(o["const"], o["title"]) for o in form["properties"][field]["oneOf"]] == branches
    assert field in form["required"]
    response = client_for(user).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {**ACTS[n].data, field: "tal-vez"}},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert walk.open_activities() == open_before
    assert walk.detail()["history"] == history_before


def test_the_report_needs_the_sender(cast: ReporterCast) -> None:
    """A report without the sender account is refused with the field named; nothing recorded."""
    walk = Walk(CODE, cast, starter="personal")
    data = {k: v for k, v in ACTS[1].data.items() if k != "remitente"}
    response = client_for(cast["personal"]).post(
        f"{API}/tasks/{walk.task_id(1)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert "remitente" in response.json()["errors"]
    walk.assert_open(1)
    assert walk.detail()["history"] == []


def test_the_report_is_stored_per_unit(cast: ReporterCast) -> None:
    """Activity 1 ("Unidades de organización", personal) is scoped to the reporter's unit."""
    walk = Walk(CODE, cast, starter="personal")
    task = walk.task_id(1)
    for other in (cast.outsider("personal"), make_user("personal", unit=cast.ogtie)):
        response = client_for(other).post(
            f"{API}/tasks/{task}/complete/", {"data": ACTS[1].data}, format="json"
        )
        assert response.status_code == 404
    walk.assert_open(1)


def test_the_report_for_the_jefe_waits_for_both_lines(cast: ReporterCast) -> None:
    """The informe (20) opens only when the infrastructure line (…17) and 18-19 both finished."""
    walk = _open_at(cast, CONCRETADO)
    for n, extra in ((13, {}), (14, {"cuenta_comprometida": "no"}), (16, {}), (17, {})):
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    walk.assert_open(18)
    inbox = client_for(cast["coord-ciberseguridad"]).get(f"{API}/tasks/").json()
    assert [t["n"] for t in inbox if t["instance"] == walk.id] == []
    walk.complete(18, role="tecnico-especialista", data=ACTS[18].data)
    walk.assert_open(19)
    walk.complete(19, role="tecnico-especialista", data=ACTS[19].data)
    walk.assert_open(20)
    inbox = client_for(cast["coord-ciberseguridad"]).get(f"{API}/tasks/").json()
    assert [t["n"] for t in inbox if t["instance"] == walk.id] == [20]
    assert walk.detail()["status"] == "running"


def test_every_line_leaves_its_ticket_closed_once(cast: ReporterCast) -> None:
    """Report ticket: created in 2, closed in 19; infrastructure ticket: created 13, closed 16."""
    walk = run_path(CODE, cast, ACTS, C_INTERCALADA, first=[1])
    tickets = {
        step["n"]: [e["ticket"] for e in step["effects"] if "ticket" in e]
        for step in walk.detail()["history"]
    }
    assert [n for n, t in tickets.items() if "create" in t] == [2, 13]
    assert [n for n, t in tickets.items() if "close" in t] == [19, 16]
    assert tickets[15] == ["annotate"]


def test_only_staff_may_report(cast: ReporterCast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    for role in ("tecnico-especialista", "operador-mesa", "jefe-ogtie"):
        assert client_for(cast[role]).post(url, {}, format="json").status_code == 403
    assert client_for(cast["personal"]).post(url, {}, format="json").status_code == 201
