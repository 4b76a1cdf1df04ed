"""The procedure steps that write the accounts register and the VPN inventory, by procedure.

- ``account_creation`` — S04.03.01.01 (creación y modificación de cuentas): activities 2, 6, 9
  and 15 of ``{register: "Registro de cuentas, accesos y privilegios"}``.
- ``account_removal`` — S04.03.01.02 (baja de cuentas): activities 2, 8 and 15 of the same
  register (3 and 4, and the PST backups of 15, are the HR app's: ``mapro.hr.procedure_effects``).
- ``vpn_inventory`` — both procedures: ``{register: "Inventario de usuarios VPN"}`` and
  ``{document: "Registro de usuarios VPN creados|eliminados"}``.
- ``common`` — reading the request (its person, documents and requirements) shared by both.

Each handler is registered for its own step in ``IamConfig.ready`` with
``mapro.procedures.effects.register_effect_handler(..., step=(code, n))``; the actor is the
user who completed the step (the engine checked the role).
"""

from .common import ACCOUNTS_REGISTER, CREATION, REMOVAL, VPN_CREATED, VPN_INVENTORY, VPN_REMOVED

__all__ = [
    "ACCOUNTS_REGISTER",
    "CREATION",
    "REMOVAL",
    "VPN_CREATED",
    "VPN_INVENTORY",
    "VPN_REMOVED",
]
