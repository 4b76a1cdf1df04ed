"""Menu entries of the cronogramas, with the roles their pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .selectors import READ_ROLES

register(
    MenuEntry(
        "Cronogramas",
        "schedules:schedule_list",
        "Procedimientos que se inician por calendario: cronogramas, aprobación, programado "
        "frente a ejecutado y suscripción en su calendario.",
        roles=roles(READ_ROLES),
        order=25,
    ),
)

register(
    MenuEntry(
        "Cronogramas anuales",
        "schedules:plan_list",
        "Cronogramas anuales de los procedimientos (Formato N° 01): líneas, firma, versiones, "
        "programado frente a ejecutado con vencidos, calendario mensual y anual.",
        roles=roles(READ_ROLES),
        order=26,
        group=REGISTERS,
    ),
)
