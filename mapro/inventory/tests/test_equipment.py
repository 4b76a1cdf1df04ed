"""The equipment inventory: registration, validation, state changes, history."""

from __future__ import annotations

import datetime as dt

import pytest

from mapro.audit.selectors import history_of
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput
from mapro.inventory.actions import (
    do_change_equipment_state,
    do_register_equipment,
    do_update_equipment,
)
from mapro.inventory.choices import EquipmentState
from mapro.inventory.models import Equipment
from mapro.inventory.testing import make_inventory_world

pytestmark = pytest.mark.django_db


def test_register_printer_with_holder_and_history() -> None:
    w = make_inventory_world()
    printer = do_register_equipment(
        actor=w.soporte,
        code="IMP-0001",
        kind="impresora",
        name="HP LaserJet M404",
        serial="SN-1",
        unit=w.unit.code,
        holder=w.person.dni,
        warranty_end="2027-03-31",
        location="Piso 3",
    )
    assert printer.state == EquipmentState.OPERATIVO
    assert printer.holder == w.person and printer.unit == w.unit
    assert printer.under_warranty(dt.date(2027, 3, 31))
    assert not printer.under_warranty(dt.date(2027, 4, 1))
    do_update_equipment(printer, actor=w.soporte, location="Piso 4")
    do_change_equipment_state(printer, state="en-mantenimiento", reason="Falla", actor=w.soporte)
    actions = [e.action for e in history_of(printer)]
    assert {"equipment.register", "equipment.update", "equipment.state"} <= set(actions)


def test_bad_fields_named_and_nothing_saved() -> None:
    w = make_inventory_world()
    with pytest.raises(InvalidInput) as exc:
        do_register_equipment(
            actor=w.coord,
            code="SRV-1",
            kind="servidor",
            name="",
            ip_address="999.1.1.1",
            unit="NOEXISTE",
            warranty_end="31/02/2027",
        )
    errors = exc.value.errors
    assert set(errors) >= {"name", "ip_address", "unit", "warranty_end", "criticality"}
    assert not Equipment.objects.exists()


def test_wrong_role_cannot_register_a_kind_it_does_not_manage() -> None:
    w = make_inventory_world()
    with pytest.raises(Forbidden):
        do_register_equipment(
            actor=w.soporte, code="SRV-1", kind="servidor", name="srv", criticality="alta"
        )
    assert not Equipment.objects.exists()


def test_baja_is_final() -> None:
    w = make_inventory_world()
    pc = do_register_equipment(
        actor=w.soporte, code="PC-1", kind="computadora", name="PC", unit=w.unit
    )
    do_change_equipment_state(pc, state="dado-de-baja", reason="Obsoleto", actor=w.soporte)
    pc.refresh_from_db()
    assert pc.retired_on is not None
    with pytest.raises(Conflict):
        do_change_equipment_state(pc, state="operativo", reason="x", actor=w.soporte)
    with pytest.raises(Conflict):
        do_update_equipment(pc, actor=w.soporte, location="x")


def test_duplicate_serial_and_code_named() -> None:
    w = make_inventory_world()
    do_register_equipment(
        actor=w.soporte, code="PC-1", kind="computadora", name="PC", unit=w.unit, serial="S1"
    )
    with pytest.raises(InvalidInput) as exc:
        do_register_equipment(
            actor=w.soporte, code="pc-1", kind="computadora", name="PC", unit=w.unit, serial="S1"
        )
    assert set(exc.value.errors) == {"code", "serial"}
