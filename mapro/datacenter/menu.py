"""Menu entries of the data-center register, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import ALL_READERS

register(
    MenuEntry(
        "Centro de datos",
        "datacenter:logbook_list",
        "Bitácora de ingresos al centro de datos (Formato N° 1), visitas abiertas y visitas.",
        roles=roles(ALL_READERS),
        order=70,
        group=REGISTERS,
    ),
)
