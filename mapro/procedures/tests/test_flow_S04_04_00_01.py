"""S04.04.00.01 Administración de plataformas de seguridad informática, walked through API v1.

Paths (docs/procedures/S04.04.00.01.md): A asignacion 1-2-3-4(reglas)-5-fin; B actividad
4(monitoreo)-6(sí)-7-8-9-fin; C 4(monitoreo)-6(no)-fin; D 4(back up)-10-11-12(sí)-11-12(no)-fin;
E 4(mantenimiento OGTIE)-13-fin; F 4(contratista)-14-15-16-fin. Each walk asserts what the
steps wrote: responsibles, profiles, users, the platform's activities, its maintenances and the
informe de conformidad with its referral to the DIRAB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mapro.core.testing import ensure_unit
from mapro.inventory.models import Equipment, Maintenance, PlatformAccount, PlatformActivity
from mapro.inventory.testing import new_equipment
from mapro.organization.actions import do_create_person
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.04.00.01"
NOW = dt.datetime(2026, 2, 3, 10, tzinfo=ZoneInfo("America/Lima"))
WRONG = ("resp-soporte", "jefe-ogtie", "operador-mesa")

ACTS: dict[int, Act] = {
    1: Act(
        ("coord-ciberseguridad",),
        ("tecnico-especialista", "jefe-ogtie", "coord-infraestructura"),
        {
            "plataforma": "FW-01",
            "responsable_primario": "41000001",
            "responsable_secundario": "41000002",
        },
    ),
    2: Act(
        ("tecnico-especialista",),
        ("coord-ciberseguridad", "resp-soporte"),
        {
            "perfiles": [
                {"nombre": "Administrador total", "funciones": "Todo"},
                {"nombre": "Monitoreo", "funciones": "Solo lectura de logs"},
            ]
        },
    ),
    3: Act(
        ("tecnico-especialista",),
        ("coord-ciberseguridad", "resp-soporte"),
        {
            "usuarios": [
                {
                    "usuario": "fwadmin",
                    "perfil": "Administrador total",
                    "administracion_total": True,
                    "resguardado_cifrado": True,
                },
                {"usuario": "jperez", "perfil": "Monitoreo", "dni": "41000002"},
            ]
        },
    ),
    4: Act(("tecnico-especialista",), WRONG, {"plataforma": "FW-01"}),
    5: Act(
        ("tecnico-especialista",),
        WRONG,
        {"motivo": "incidente", "referencia": "INC-12", "reglas": "Bloqueo 203.0.113.9"},
    ),
    6: Act(
        ("tecnico-especialista",),
        WRONG,
        {"periodo": "Enero 2026", "hallazgos": "Escaneo de puertos desde el exterior."},
    ),
    7: Act(
        ("tecnico-especialista",),
        WRONG,
        {"asunto": "Reporte de escaneos", "contenido": "Top 10 IPs de origen."},
    ),
    8: Act(
        ("coord-ciberseguridad",),
        ("tecnico-especialista", "jefe-ogtie"),
        {"asunto": "Informe de monitoreo FW-01"},
    ),
    9: Act(("jefe-ogtie",), ("coord-ciberseguridad", "tecnico-especialista"), {}),
    10: Act(
        ("tecnico-especialista",),
        WRONG,
        {
            "periodo": "Enero 2026",
            "servidor_virtual": "VM-BACKUP-01",
            "copias": [{"sistema": "FW-01", "archivo": "fw01-2026-01.conf", "tamano": "2 MB"}],
        },
    ),
    11: Act(
        ("tecnico-especialista",),
        ("coord-ciberseguridad", "jefe-ogtie"),
        {"asunto": "Informe de generación de back up enero 2026"},
    ),
    12: Act(
        ("coord-ciberseguridad",),
        ("tecnico-especialista", "jefe-ogtie"),
        {"observaciones": "Falta el hash del archivo."},
    ),
    13: Act(
        ("tecnico-especialista",),
        WRONG,
        {"tipo": "preventivo", "fecha_ejecucion": "2026-02-02", "actividades": "Actualización"},
    ),
    14: Act(
        ("tecnico-especialista",),
        WRONG,
        {
            "contratista": "SecureNet SAC",
            "personal_contratista": "Luis Ramos, DNI 42000001",
            "tipo": "correctivo",
            "fecha_ejecucion": "2026-02-02",
            "actividades": "Cambio de fuente de poder",
        },
    ),
    15: Act(
        ("coord-ciberseguridad",),
        ("tecnico-especialista", "jefe-ogtie"),
        {"asunto": "Conformidad del mantenimiento de FW-01", "conformidad": True},
    ),
    16: Act(
        ("jefe-ogtie",),
        ("coord-ciberseguridad", "tecnico-especialista"),
        {"asunto": "Remisión de la conformidad de FW-01"},
    ),
}


def line(kind: str) -> dict[str, Any]:
    return {"tipo_actividad": kind}


PATHS: dict[str, tuple[str, list[Step], list[int]]] = {
    "A-asignacion-y-reglas": (
        "asignacion",
        [(1, {}, [2]), (2, {}, [3]), (3, {}, [4]), (4, line("reglas"), [5]), (5, {}, [])],
        [1],
    ),
    "B-monitoreo-con-reportes": (
        "actividad",
        [
            (4, line("monitoreo"), [6]),
            (6, {"requiere_reportes": "si"}, [7]),
            (7, {}, [8]),
            (8, {}, [9]),
            (9, {}, []),
        ],
        [4],
    ),
    "C-monitoreo-sin-reportes": (
        "actividad",
        [(4, line("monitoreo"), [6]), (6, {"requiere_reportes": "no"}, [])],
        [4],
    ),
    "D-backup-observado": (
        "actividad",
        [
            (4, line("backup"), [10]),
            (10, {}, [11]),
            (11, {}, [12]),
            (12, {"hay_observaciones": "si"}, [11]),
            (11, {"subsanacion": "Se añadió el hash."}, [12]),
            (12, {"hay_observaciones": "no"}, []),
        ],
        [4],
    ),
    "E-mantenimiento-ogtie": (
        "actividad",
        [(4, line("mantenimiento-ogtie"), [13]), (13, {}, [])],
        [4],
    ),
    "F-mantenimiento-contratista": (
        "actividad",
        [
            (4, line("mantenimiento-contratista"), [14]),
            (14, {}, [15]),
            (15, {}, [16]),
            (16, {}, []),
        ],
        [4],
    ),
}


@pytest.fixture
def cast(db: Any) -> Iterator[Cast]:
    with time_machine.travel(NOW, tick=False):
        publish_ficha(CODE)
        cast = Cast()
        ogtie = ensure_unit("OGTIE")
        for dni, name in (("41000001", "Ana"), ("41000002", "Juan")):
            do_create_person(
                actor=None, dni=dni, first_name=name, last_name="Prueba", unit=ogtie, regime="cas"
            )
        new_equipment("plataforma-seguridad", code="FW-01", name="Firewall perimetral")
        yield cast


def _activities(walk: Walk) -> list[str]:
    return list(
        PlatformActivity.objects.filter(instance_id=walk.id)
        .order_by("id")
        .values_list("kind", flat=True)
    )


@pytest.mark.parametrize("name", list(PATHS))
def test_every_path_ends_completed_and_writes_the_registers(cast: Cast, name: str) -> None:
    start, path, first = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=first, start=start)
    assert walk.detail()["start"] == start
    platform = Equipment.objects.get(code="FW-01")
    if name == "A-asignacion-y-reglas":
        assert platform.responsible is not None and platform.responsible.dni == "41000001"
        assert platform.backup_responsible is not None
        assert sorted(platform.profiles.values_list("name", flat=True)) == [
            "Administrador total",
            "Monitoreo",
        ]
        admin = PlatformAccount.objects.get(username="fwadmin")
        assert admin.full_admin and admin.vaulted and admin.instance_id == walk.id
        assert _activities(walk) == ["reglas"]
    elif name == "B-monitoreo-con-reportes":
        activity = PlatformActivity.objects.get(instance_id=walk.id)
        assert activity.kind == "monitoreo" and activity.reports_required
        assert activity.report is not None and activity.report.number.startswith("INFORME N°")
    elif name == "C-monitoreo-sin-reportes":
        activity = PlatformActivity.objects.get(instance_id=walk.id)
        assert not activity.reports_required and activity.report is None
    elif name == "D-backup-observado":
        activity = PlatformActivity.objects.get(instance_id=walk.id)
        assert activity.kind == "backup" and "fw01-2026-01.conf" in activity.summary
        assert activity.report is not None  # the informe re-sent after the observation
    elif name == "E-mantenimiento-ogtie":
        maintenance = Maintenance.objects.get(instance_id=walk.id)
        assert (maintenance.executor, maintenance.kind) == ("ogtie", "preventivo")
        assert _activities(walk) == ["mantenimiento-ogtie"]
    elif name == "F-mantenimiento-contratista":
        maintenance = Maintenance.objects.get(instance_id=walk.id)
        assert maintenance.contractor == "SecureNet SAC"
        activity = PlatformActivity.objects.get(instance_id=walk.id)
        assert activity.maintenance == maintenance
        assert activity.report is not None and activity.report.kind == "Informe de conformidad"
        assert activity.referral is not None
        assert activity.referral.number.startswith("MEMORÁNDUM N°")


def test_the_paths_cover_every_activity_start_and_branch() -> None:
    visited = {n for _, path, _ in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 17))
    assert {start for start, _, _ in PATHS.values()} == {"asignacion", "actividad"}
    answers = {
        (n, v)
        for _, path, _ in PATHS.values()
        for n, extra, _ in path
        for k, v in extra.items()
        if k in ("tipo_actividad", "requiere_reportes", "hay_observaciones")
    }
    assert answers == {
        (4, "reglas"),
        (4, "monitoreo"),
        (4, "backup"),
        (4, "mantenimiento-ogtie"),
        (4, "mantenimiento-contratista"),
        (6, "si"),
        (6, "no"),
        (12, "si"),
        (12, "no"),
    }


def _refused(walk: Walk, n: int, role: str, data: dict[str, Any]) -> dict[str, Any]:
    before = walk.detail()["history"]
    response = client_for(walk.cast[role]).post(
        f"{API}/tasks/{walk.task_id(n)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400, response.content
    walk.assert_open(n)
    assert walk.detail()["history"] == before
    return response.json()["errors"]  # type: ignore[no-any-return]


def test_a_platform_not_in_the_inventory_or_not_a_platform_is_refused(cast: Cast) -> None:
    new_equipment("servidor", code="SRV-01")
    with time_machine.travel(NOW, tick=False):
        walk = Walk(CODE, cast, starter="tecnico-especialista", start="actividad")
        for code, message in (
            ("NOPE", "No hay en el inventario un equipo «NOPE»."),
            ("SRV-01", "SRV-01 no es una plataforma de seguridad informática."),
        ):
            errors = _refused(
                walk, 4, "tecnico-especialista", {"plataforma": code, **line("reglas")}
            )
            assert errors == {"plataforma": [message]}


def test_the_full_admin_user_must_be_kept_encrypted(cast: Cast) -> None:
    with time_machine.travel(NOW, tick=False):
        walk = Walk(CODE, cast, starter="coord-ciberseguridad", start="asignacion")
        walk.complete(1, role="coord-ciberseguridad", data=ACTS[1].data)
        walk.complete(2, role="tecnico-especialista", data=ACTS[2].data)
        rows = [{"usuario": "root", "perfil": "Administrador total", "administracion_total": True}]
        errors = _refused(walk, 3, "tecnico-especialista", {"usuarios": rows})
    assert errors["usuarios"][0].startswith("Fila 1: El usuario de administración total")
    assert not PlatformAccount.objects.exists()


def test_the_same_person_cannot_be_both_responsibles(cast: Cast) -> None:
    with time_machine.travel(NOW, tick=False):
        walk = Walk(CODE, cast, starter="coord-ciberseguridad", start="asignacion")
        data = {**ACTS[1].data, "responsable_secundario": "41000001"}
        errors = _refused(walk, 1, "coord-ciberseguridad", data)
    assert errors == {
        "responsable_secundario": ["El responsable secundario debe ser otra persona."]
    }
    assert Equipment.objects.get(code="FW-01").responsible is None
