"""Menu entry of the run records, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import READ_ROLES

register(
    MenuEntry(
        "Ejecuciones",
        "operations:run_list",
        "Registro de ejecuciones: copias de respaldo, respaldos de configuración y revisiones "
        "de logs, con su resultado, evidencia y acción correctiva.",
        roles=roles(READ_ROLES),
        order=75,
        group=REGISTERS,
    ),
)
