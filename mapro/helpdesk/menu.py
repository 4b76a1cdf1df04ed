"""Menu entries of the help desk, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import MenuEntry, register, roles

from .access import DESK_ROLES, STAFF_ROLES

register(
    MenuEntry(
        "Mis solicitudes",
        "helpdesk:my_tickets",
        "Sus pedidos a la mesa de ayuda: estado, respuestas y confirmación de la solución.",
        order=30,
    ),
    MenuEntry(
        "Nueva solicitud",
        "helpdesk:ticket_new",
        "Pedir soporte técnico, cuentas y accesos, certificado digital u otro servicio de TI.",
        in_navbar=False,
        order=40,
    ),
    MenuEntry(
        "Mesa de ayuda",
        "helpdesk:console_queue",
        "La consola de tickets: validar, asignar, atender y resolver.",
        roles=roles(STAFF_ROLES),
        order=50,
    ),
    MenuEntry(
        "Tablero de la mesa de ayuda",
        "helpdesk:dashboard",
        "Tickets abiertos por estado, equipo, prioridad y plazo (SLA), los más antiguos y la "
        "tendencia de registrados y cerrados.",
        roles=roles(STAFF_ROLES),
        in_navbar=False,
        order=52,
    ),
    MenuEntry(
        "Encuestas de satisfacción",
        "helpdesk:survey_report",
        "Cómo calificaron los solicitantes la atención, por equipo y mes.",
        roles=roles(DESK_ROLES),
        in_navbar=False,
        order=55,
    ),
)
