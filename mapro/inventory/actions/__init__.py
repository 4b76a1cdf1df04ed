"""Actions of the equipment inventory (``do_*``), by register."""

from .equipment import (
    do_change_equipment_state,
    do_register_equipment,
    do_update_equipment,
)

__all__ = ["do_change_equipment_state", "do_register_equipment", "do_update_equipment"]
