"""Menu entries of the leavers register, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import LEAVER_READ_ROLES

register(
    MenuEntry(
        "Bajas de personal",
        "hr:leaver_list",
        "Alertas de baja de RR. HH., backups PST, conciliación semestral de altas y bajas e "
        "informe de eliminación de cuentas.",
        roles=roles(LEAVER_READ_ROLES),
        order=90,
        group=REGISTERS,
    ),
)
