"""Rows of the permission matrix for the equipment inventory (mapro/core/tests/access_matrix.py).

Readers are ``access.ALL_READERS`` (a Director(a) de unidad reads the equipment of their unit:
the kwargs factories build it in the acting user's unit). Writes on a printer are for the roles
that manage printers (``access.managers_of("impresora")``); other managers get 403.
"""

from __future__ import annotations

from mapro.core.tests.access_matrix import Row, roles
from mapro.inventory import access, testing

READERS = roles(*access.ALL_READERS)
PRINTER_MANAGERS = roles(*access.managers_of("impresora"))
MANAGERS = roles(*access.INVENTORY_MANAGERS)

ROWS: dict[str, Row] = {
    "inventory:equipment_list": Row("html", READERS),
    "inventory:equipment_export": Row("html", READERS),
    "inventory:equipment_detail": Row("html", READERS, kwargs=testing.equipment_kwargs),
    "inventory:equipment_import": Row("html", MANAGERS),
    # Actions on the detail page (success: back to the page).
    "inventory:equipment_state": Row(
        "html",
        PRINTER_MANAGERS,
        method="post",
        kwargs=testing.equipment_kwargs,
        data={"state": "en-mantenimiento", "reason": "Revisión"},
        ok=(302,),
    ),
    "inventory:maintenance_record": Row(
        "html",
        PRINTER_MANAGERS,
        method="post",
        kwargs=testing.equipment_kwargs,
        data={"kind": "preventivo", "outcome": "pendiente", "scheduled_on": "2025-02-01"},
        ok=(302,),
    ),
    "inventory:maintenance_list": Row("html", READERS),
    "inventory:maintenance_export": Row("html", READERS),
    "inventory-api:equipment-list": Row("api", READERS),
    "inventory-api:equipment-detail": Row("api", READERS, kwargs=testing.equipment_kwargs),
    "inventory-api:equipment-state": Row(
        "api",
        PRINTER_MANAGERS,
        method="post",
        kwargs=testing.equipment_kwargs,
        data={"state": "en-mantenimiento", "reason": "Revisión"},
    ),
    # Without a file: 400 naming ``file`` for a manager, 403 for anyone else.
    "inventory-api:equipment-import": Row("api", MANAGERS, method="post", data={}, ok=(400,)),
    "inventory-api:maintenance-list": Row("api", READERS),
    "inventory-api:maintenance-detail": Row("api", READERS, kwargs=testing.maintenance_kwargs),
    "inventory-api:maintenance-outcome": Row(
        "api",
        PRINTER_MANAGERS,
        method="post",
        kwargs=testing.pending_maintenance_kwargs,
        data={"outcome": "solucionado", "performed_on": "2025-01-10"},
    ),
    "inventory-api:maintenance-warranty": Row(
        "api",
        PRINTER_MANAGERS,
        method="post",
        kwargs=testing.unsolved_maintenance_kwargs,
        data={"warranty": "con-garantia", "checked_with": "DIGEPAT"},
    ),
}
