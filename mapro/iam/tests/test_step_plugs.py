"""Each step of the accounts register has its handler, registered for that step."""

from __future__ import annotations

from mapro.iam.procedure_effects import account_creation, account_removal, vpn_inventory
from mapro.iam.procedure_effects.common import (
    ACCOUNTS_REGISTER,
    CREATION,
    REMOVAL,
    VPN_CREATED,
    VPN_INVENTORY,
    VPN_REMOVED,
)
from mapro.procedures.effects import effect_handler


def _step_handler(code: str, n: int) -> object:
    return effect_handler("register", ACCOUNTS_REGISTER, step=(code, n))


def test_the_registers_and_documents_have_their_handlers() -> None:
    assert effect_handler("register", VPN_INVENTORY) is vpn_inventory.handle_vpn_inventory
    assert effect_handler("document", VPN_CREATED) is vpn_inventory.handle_vpn_record
    assert effect_handler("document", VPN_REMOVED) is vpn_inventory.handle_vpn_record


def test_each_step_of_the_accounts_register_has_its_own_handler() -> None:
    assert _step_handler(CREATION, 2) is account_creation.check_request_requirements
    assert _step_handler(CREATION, 9) is account_creation.create_accounts
    assert _step_handler(REMOVAL, 8) is account_removal.remove_vpn_user
    assert _step_handler(REMOVAL, 15) is account_removal.remove_reconciled


def test_a_step_nobody_handles_has_no_handler() -> None:
    # No handler for the whole register: a step that names it without a handler of its own is
    # what `mapro procedures check` reports (mapro/procedures/tests/test_effect_check.py).
    assert _step_handler(CREATION, 99) is None
