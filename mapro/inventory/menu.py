"""Menu entries of the equipment inventory, with the roles its pages let in."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import ALL_READERS

register(
    MenuEntry(
        "Inventario de equipos",
        "inventory:equipment_list",
        "Servidores, equipos de comunicaciones, computadoras, impresoras y plataformas de "
        "seguridad: estado, garantía, titular e historial.",
        roles=roles(ALL_READERS),
        order=118,
        group=REGISTERS,
    ),
    MenuEntry(
        "Mantenimientos de equipos",
        "inventory:maintenance_list",
        "Mantenimientos preventivos y correctivos, garantía, oficios de baja e informes.",
        roles=roles(ALL_READERS),
        order=119,
        group=REGISTERS,
    ),
)
