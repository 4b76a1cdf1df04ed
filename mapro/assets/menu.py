"""Menu entries of the inventories, with the roles its pages let in (mapro.core.menu)."""

from mapro.core.menu import REGISTERS, MenuEntry, register, roles

from .access import (
    BLOCK_READERS,
    CERT_READERS,
    PHONE_READERS,
    RESTORE_READERS,
    all_readers,
)

register(
    MenuEntry(
        "Equipos telefónicos",
        "assets:phone_list",
        "Inventario de equipos telefónicos IP y móviles, asignaciones, actas y devoluciones.",
        roles=roles(all_readers(PHONE_READERS, unit_scoped=True)),
        order=110,
        group=REGISTERS,
    ),
    MenuEntry(
        "Certificado digital",
        "assets:cert_list",
        "Tarjetas criptográficas y lectores de tarjetas: titulares, entregas y devoluciones.",
        roles=roles(all_readers(CERT_READERS, unit_scoped=True)),
        order=120,
        group=REGISTERS,
    ),
    MenuEntry(
        "Copias de restauración",
        "assets:restore_list",
        "Requerimientos de copia de restauración, su resultado y el informe semestral.",
        roles=roles(all_readers(RESTORE_READERS, unit_scoped=True)),
        order=130,
        group=REGISTERS,
    ),
    MenuEntry(
        "Lista de bloqueos",
        "assets:block_list",
        "Cuentas, dominios, URL e IP públicas bloqueadas por casos de spam y phishing.",
        roles=roles(BLOCK_READERS),
        order=140,
        group=REGISTERS,
    ),
)
