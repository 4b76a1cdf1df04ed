"""Menu entries of the digital-government registers, with the roles their pages let in."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import PLAN_VIEWERS, RISK_VIEWERS, SESSION_VIEWERS

register(
    MenuEntry(
        "Plan de Gobierno Digital",
        "govdigital:plan_list",
        "Los PGD, su portafolio de proyectos y el avance de cada periodo de seguimiento.",
        roles=roles(PLAN_VIEWERS),
        order=95,
        group=REGISTERS,
    ),
    MenuEntry(
        "Sesiones del CGD",
        "govdigital:session_list",
        "Sesiones del Comité de Gobierno Digital: asistencia, quórum, acuerdos y votaciones.",
        roles=roles(SESSION_VIEWERS),
        order=96,
        group=REGISTERS,
    ),
    MenuEntry(
        "Matriz de riesgos",
        "govdigital:risk_list",
        "Matriz de riesgos SGSI-FOR-003 con su mapa de calor.",
        roles=roles(RISK_VIEWERS),
        order=97,
        group=REGISTERS,
    ),
)
