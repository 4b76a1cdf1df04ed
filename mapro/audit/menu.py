"""Menu entries of the audit trail, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import VIEWER_ROLES

register(
    MenuEntry(
        "Auditoría",
        "audit:event_list",
        "Consultar el registro de auditoría: quién hizo qué y cuándo.",
        roles=roles(VIEWER_ROLES),
        order=160,
        group=REGISTERS,
    ),
)
