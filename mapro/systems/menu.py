"""Menu entries of the catalogue of information systems (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import READERS, SYSTEM_READERS

register(
    MenuEntry(
        "Sistemas de información",
        "systems:system_list",
        "Catálogo de sistemas: estado, ambientes, versiones y su línea de tiempo.",
        roles=roles(SYSTEM_READERS),
        order=150,
        group=REGISTERS,
    ),
    MenuEntry(
        "Matriz de cambios de sistemas",
        "systems:change_list",
        "Matriz de gestión de cambios de sistemas y aplicaciones (Formato N° 1).",
        roles=roles(READERS),
        order=151,
        group=REGISTERS,
    ),
)
