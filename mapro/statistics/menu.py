"""Menu entries of the sector's statistics, with the roles their pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import REPRESENTATIVE_ROLE, TEAM_ROLES

register(
    MenuEntry(
        "Información estadística",
        "statistics:team_home",
        "Órganos estadísticos y representantes, formatos, cronograma de envío, evaluación de "
        "envíos y documentos estadísticos.",
        roles=roles(TEAM_ROLES),
        order=160,
        group=REGISTERS,
    ),
    MenuEntry(
        "Mis envíos estadísticos",
        "statistics:representative_home",
        "Lo que su órgano estadístico debe remitir según el cronograma, el envío de archivos y "
        "sus observaciones.",
        roles=roles([REPRESENTATIVE_ROLE]),
        order=30,
    ),
    MenuEntry(
        "Estadística del Sector",
        "statistics:dashboard",
        "Tablero con las series clave del Sector Defensa y sus documentos estadísticos.",
        in_navbar=False,
        order=900,
    ),
)
