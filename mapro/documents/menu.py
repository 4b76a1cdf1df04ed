"""Menu entries of the documents register, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import READER_ROLES

register(
    MenuEntry(
        "Documentos oficiales",
        "documents:document_list",
        "Oficios, memorándums, informes y actas emitidos por los procedimientos, numerados.",
        roles=roles(READER_ROLES),
        order=150,
        group=REGISTERS,
    ),
)
