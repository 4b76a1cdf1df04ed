"""Menu entries of the SGSI registers, with the roles their pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import ASSET_READERS, DOC_READERS

register(
    MenuEntry(
        "Documentos del SGSI",
        "sgsi:document_list",
        "Políticas, procedimientos, planes y formatos del SGSI: versiones, aprobación y revisión.",
        roles=roles(DOC_READERS),
        order=152,
        group=REGISTERS,
    ),
    MenuEntry(
        "Inventario de activos (SGSI-FOR-002)",
        "sgsi:asset_list",
        "Activos de infraestructura y de información, con su gestión de cambios (Formato N° 01).",
        roles=roles(ASSET_READERS),
        order=153,
        group=REGISTERS,
    ),
)
