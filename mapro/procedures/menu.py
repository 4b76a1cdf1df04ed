"""Menu entries of the procedures, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import MenuEntry, register

register(
    MenuEntry(
        "Mis tareas",
        "procedures:inbox",
        "Las tareas pendientes de sus roles en los procedimientos en curso.",
        order=10,
    ),
    MenuEntry(
        "Procedimientos",
        "procedures:catalog",
        "Los procedimientos del MAPRO S04: fichas, diagramas e inicio de expedientes.",
        order=20,
    ),
)
