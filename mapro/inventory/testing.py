"""Test data of the equipment inventory, made through the real actions.

``make_inventory_world()`` gives the people of the tests (one per managing role, a reader, a
director of a unit, a holder) and ``new_equipment(kind, ...)`` registers equipment as the
system (``check=False``). Other apps' tests (run records, catalogue of systems) use
``new_equipment`` to get a server or a switch.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from mapro.core.testing import ensure_unit, make_user
from mapro.organization.models import Person, Unit

from .actions import do_record_maintenance, do_register_equipment
from .choices import EquipmentKind
from .models import Equipment, Maintenance

_n = itertools.count(1)


@dataclass
class InventoryWorld:
    unit: Unit
    other_unit: Unit
    soporte: Any
    coord: Any
    infra: Any
    redes: Any
    tecnico: Any
    coord_ciber: Any
    jefe: Any
    mesa: Any
    director: Any
    outsider: Any
    person: Person


def make_inventory_world() -> InventoryWorld:
    ogtie = ensure_unit("OGTIE", "Oficina General de Tecnologías de la Información y Estadística")
    sg = ensure_unit("SG", "Secretaría General")
    unit = ensure_unit("DGA", "Dirección General de Administración", parent=sg)
    other = ensure_unit("DIGEP", "Dirección de Gestión Patrimonial", parent=sg)
    director = make_user("director-uo", unit)
    return InventoryWorld(
        unit=unit,
        other_unit=other,
        soporte=make_user("resp-soporte", ogtie),
        coord=make_user("coord-infraestructura", ogtie),
        infra=make_user("resp-infraestructura", ogtie),
        redes=make_user("prof-redes", ogtie),
        tecnico=make_user("tecnico-especialista", ogtie),
        coord_ciber=make_user("coord-ciberseguridad", ogtie),
        jefe=make_user("jefe-ogtie", ogtie),
        mesa=make_user("operador-mesa", ogtie),
        director=director,
        outsider=make_user("personal", unit),
        person=Person.objects.get(user=director),
    )


def new_equipment(
    kind: str = EquipmentKind.IMPRESORA, unit: Unit | None = None, **extra: Any
) -> Equipment:
    """Register one equipment of ``kind`` as the system (code ``<KIND>-<n>``)."""
    n = next(_n)
    data: dict[str, Any] = {
        "code": f"{kind[:3].upper()}-T{n:04d}",
        "kind": kind,
        "name": f"{EquipmentKind(kind).label} {n}",
    }
    if kind == EquipmentKind.SERVIDOR:
        data["criticality"] = "alta"
    if kind in (EquipmentKind.COMPUTADORA, EquipmentKind.LAPTOP, EquipmentKind.IMPRESORA):
        data["unit"] = unit or ensure_unit("DGA", "Dirección General de Administración")
    elif unit is not None:
        data["unit"] = unit
    data.update(extra)
    return do_register_equipment(actor=None, check=False, **data)


# --- URL kwargs for the permission matrix (mapro/inventory/tests/access_rows.py) --------------


def user_unit(user: Any) -> Unit:
    """The unit of the user's person (so a Director(a) de unidad sees what is built there)."""
    person = Person.objects.filter(user=user).select_related("unit").first() if user else None
    return person.unit if person is not None else ensure_unit("DGA", "Dirección General")


def equipment_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": new_equipment(EquipmentKind.IMPRESORA, user_unit(user)).pk}


def _maintenance(user: Any, outcome: str) -> Maintenance:
    import datetime as dt

    printer = new_equipment(EquipmentKind.IMPRESORA, user_unit(user))
    return do_record_maintenance(
        printer,
        kind="correctivo",
        outcome=outcome,
        performed_on=None if outcome == "pendiente" else dt.date(2025, 1, 10),
        scheduled_on=dt.date(2025, 1, 10),
        actor=None,
        check=False,
    )


def maintenance_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": _maintenance(user, "solucionado").pk}


def pending_maintenance_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": _maintenance(user, "pendiente").pk}


def unsolved_maintenance_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": _maintenance(user, "no-solucionado").pk}
