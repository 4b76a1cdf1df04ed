"""Menu entries of the accounts register, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .choices import READ_ALL_ROLES, READ_SCOPED_ROLES

register(
    MenuEntry(
        "Cuentas y accesos",
        "iam:account_list",
        "Registro de cuentas, accesos y privilegios, inventario de usuarios VPN y cuentas por "
        "eliminar.",
        roles=roles(READ_ALL_ROLES, READ_SCOPED_ROLES),
        order=60,
        group=REGISTERS,
    ),
)
