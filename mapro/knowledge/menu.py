"""Menu entries of the knowledge base, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import MenuEntry, register

register(
    MenuEntry(
        "Base de conocimiento",
        "knowledge:article_list",
        "Soluciones conocidas y lecciones aprendidas: buscar antes de pedir soporte.",
        order=100,
    ),
)
