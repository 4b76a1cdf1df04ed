"""Menu entries of the incident register, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import REGISTER_ROLES

register(
    MenuEntry(
        "Incidentes",
        "incidents:incident_list",
        "Matriz de registro de incidentes de seguridad de la información (SGSI-FOR-006).",
        roles=roles(REGISTER_ROLES),
        order=80,
        group=REGISTERS,
    ),
)
