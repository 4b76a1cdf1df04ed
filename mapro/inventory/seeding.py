"""``mapro seed --demo``: demo equipment and two years of maintenances, through the actions.

Nothing without ``--demo`` (the inventory is the institution's own data: it is imported,
``importing.py``). With ``--demo``: servers, communications equipment, security platforms
(with the demo cybersecurity team as responsibles and users), and the computers and printers of
the demo unit (DIGEP, where the demo Director(a) and "personal" work). The printer
``IMP-DIGEP-001`` gets a maintenance every four months over the last two years (preventive and
corrective, one unsolved and sent for warranty replacement), so its page shows its whole
history. Idempotent: equipment whose code exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from mapro.organization.models import Person, Unit
from mapro.organization.seeding import register_seed_step

from .actions import (
    do_assign_platform_responsibles,
    do_change_equipment_state,
    do_create_platform_profile,
    do_grant_platform_access,
    do_record_maintenance,
    do_record_warranty,
    do_register_equipment,
)
from .models import Equipment

DEMO_UNIT = "DIGEP"
HISTORY_PRINTER = "IMP-DIGEP-001"
#: Days before the seed's day of each maintenance of the history printer (two years), with its
#: kind and whether it solved the problem.
PRINTER_HISTORY: tuple[tuple[int, str, bool], ...] = (
    (700, "preventivo", True),
    (580, "correctivo", True),
    (460, "preventivo", True),
    (340, "preventivo", True),
    (220, "correctivo", False),
    (100, "preventivo", True),
    (20, "preventivo", True),
)


def _person(username: str) -> Person | None:
    return Person.objects.filter(user__username=username).first()


def _equipment(today: dt.date) -> list[dict[str, Any]]:
    holder = _person("personal")
    director = _person("director-uo")
    return [
        {
            "code": "SRV-APP-01",
            "kind": "servidor",
            "name": "srv-app-01",
            "criticality": "alta",
            "ip_address": "10.10.1.11",
            "unit": "OGTIE",
            "location": "Centro de datos, rack 2",
            "brand": "HPE",
            "model_name": "ProLiant DL380 Gen10",
        },
        {
            "code": "SRV-BD-01",
            "kind": "servidor",
            "name": "srv-bd-01",
            "criticality": "alta",
            "ip_address": "10.10.1.21",
            "unit": "OGTIE",
            "location": "Centro de datos, rack 2",
            "brand": "Dell",
            "model_name": "PowerEdge R750",
        },
        {
            "code": "SRV-BK-01",
            "kind": "servidor",
            "name": "srv-backup-01",
            "criticality": "media",
            "ip_address": "10.10.1.31",
            "unit": "OGTIE",
            "location": "Centro de datos, rack 3",
        },
        {
            "code": "SW-CORE-01",
            "kind": "switch",
            "name": "sw-core-01",
            "ip_address": "10.10.0.2",
            "unit": "OGTIE",
            "brand": "Cisco",
            "model_name": "Catalyst 9500",
        },
        {
            "code": "RT-BORDE-01",
            "kind": "router",
            "name": "rt-borde-01",
            "ip_address": "10.10.0.1",
            "unit": "OGTIE",
            "brand": "Cisco",
            "model_name": "ISR 4451",
        },
        {
            "code": "CT-01",
            "kind": "central-telefonica",
            "name": "Central telefónica IP",
            "unit": "OGTIE",
            "brand": "Cisco",
            "model_name": "Unified CM",
        },
        {
            "code": "FW-01",
            "kind": "plataforma-seguridad",
            "name": "Firewall perimetral",
            "unit": "OGTIE",
            "brand": "Fortinet",
            "model_name": "FortiGate 600E",
            "warranty_end": today.replace(year=today.year + 1),
        },
        {
            "code": "EDR-01",
            "kind": "plataforma-seguridad",
            "name": "Antivirus / EDR",
            "unit": "OGTIE",
        },
        {
            "code": HISTORY_PRINTER,
            "kind": "impresora",
            "name": "Impresora DIGEP piso 2",
            "brand": "HP",
            "model_name": "LaserJet Pro M404",
            "serial": "DEMO-IMP-001",
            "unit": DEMO_UNIT,
            "location": "Piso 2",
            "holder": holder,
            "acquired_on": today - dt.timedelta(days=900),
            "warranty_end": today + dt.timedelta(days=200),
            "warranty_provider": "HP Perú",
        },
        {
            "code": "IMP-DIGEP-002",
            "kind": "impresora",
            "name": "Multifuncional DIGEP",
            "unit": DEMO_UNIT,
            "location": "Piso 1",
            "warranty_end": today - dt.timedelta(days=30),
        },
        {
            "code": "PC-DIGEP-001",
            "kind": "computadora",
            "name": "PC Asistente",
            "unit": DEMO_UNIT,
            "holder": holder,
            "brand": "Lenovo",
            "model_name": "ThinkCentre M70",
        },
        {
            "code": "PC-DIGEP-002",
            "kind": "laptop",
            "name": "Laptop Dirección",
            "unit": DEMO_UNIT,
            "holder": director,
            "brand": "Dell",
            "model_name": "Latitude 5440",
        },
        {"code": "PC-DIGEP-003", "kind": "computadora", "name": "PC antigua", "unit": DEMO_UNIT},
    ]


def _history(printer: Equipment, today: dt.date) -> int:
    made = 0
    for days, kind, solved in PRINTER_HISTORY:
        day = today - dt.timedelta(days=days)
        maintenance = do_record_maintenance(
            printer,
            kind=kind,
            scheduled_on=day,
            performed_on=day,
            outcome="solucionado" if solved else "no-solucionado",
            findings="" if solved else "No jala el papel: rodillo de arrastre dañado.",
            action_taken="Limpieza, revisión del fusor y prueba de impresión."
            if solved
            else "Diagnóstico; se revisa la garantía con DIGEPAT.",
            ticket=f"MA-{day.year}-{1000 + days:06d}",
            actor=None,
            check=False,
        )
        if not solved:
            do_record_warranty(
                maintenance,
                warranty="con-garantia",
                checked_with="DIGEPAT",
                actor=None,
                check=False,
            )
            # Replaced by the supplier under warranty: back in service.
            do_change_equipment_state(
                printer,
                state="operativo",
                reason="Cambio por garantía realizado",
                actor=None,
                check=False,
            )
        made += 1
    return made


def _platform_access(platform: Equipment) -> None:
    tecnico, coord = _person("tecnico-especialista"), _person("coord-ciberseguridad")
    if tecnico is not None and coord is not None:
        do_assign_platform_responsibles(
            platform, primary=tecnico, secondary=coord, actor=None, check=False
        )
    admin = do_create_platform_profile(
        platform,
        name="Administrador total",
        functions="Toda la configuración",
        actor=None,
        check=False,
    )
    reader = do_create_platform_profile(
        platform,
        name="Monitoreo",
        functions="Lectura de registros (logs)",
        actor=None,
        check=False,
    )
    do_grant_platform_access(
        platform,
        username="fwadmin",
        profile=admin,
        full_admin=True,
        vaulted=True,
        actor=None,
        check=False,
    )
    if tecnico is not None:
        do_grant_platform_access(
            platform, username="tecnico", profile=reader, person=tecnico, actor=None, check=False
        )


@transaction.atomic
def seed_demo_inventory() -> str:
    today = timezone.localdate()
    if not Unit.objects.filter(code=DEMO_UNIT).exists():
        return "pendiente: cargue la organización"
    created = maintenances = 0
    for spec in _equipment(today):
        if Equipment.objects.filter(code=spec["code"]).exists():
            continue
        equipment = do_register_equipment(actor=None, check=False, **spec)
        created += 1
        if equipment.code == HISTORY_PRINTER:
            maintenances += _history(equipment, today)
        elif equipment.code == "FW-01":
            _platform_access(equipment)
        elif equipment.code == "PC-DIGEP-003":
            do_change_equipment_state(
                equipment,
                state="dado-de-baja",
                reason="Obsoleta (demostración)",
                actor=None,
                check=False,
            )
    return f"{created} equipo(s) de demostración, {maintenances} mantenimiento(s)"


@register_seed_step(order=70)
def seed_step(*, demo: bool) -> str:
    """``mapro seed``'s inventory step: demo data only with ``--demo``."""
    if not demo:
        return "Inventario de equipos: sin datos de referencia (se importa)."
    return f"Inventario de equipos: {seed_demo_inventory()}."
