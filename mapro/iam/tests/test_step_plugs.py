"""Other apps plug into single steps of the accounts register; unknown steps are skipped."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from mapro.iam import procedure_effects as pe
from mapro.procedures.effects import Outcome, effect_handler


def _call(code: str, n: int) -> Any:
    instance = SimpleNamespace(procedure_code=code, pk=1)
    return SimpleNamespace(instance=instance, activity={"n": n}, data={}, actor=None)


def test_the_registers_and_documents_have_their_handlers() -> None:
    assert effect_handler("register", pe.ACCOUNTS_REGISTER) is pe.handle_accounts_register
    assert effect_handler("register", pe.VPN_INVENTORY) is pe.handle_vpn_inventory
    assert effect_handler("document", pe.VPN_CREATED) is pe.handle_vpn_record
    assert effect_handler("document", pe.VPN_REMOVED) is pe.handle_vpn_record


def test_unknown_step_is_skipped() -> None:
    outcome = pe.handle_accounts_register(_call("S04.99.99.99", 1))
    assert outcome is not None and outcome.status == "skipped"


def test_a_plugged_step_wins_and_a_second_plug_is_refused(monkeypatch: Any) -> None:
    monkeypatch.setattr(pe, "PLUGGED_STEPS", {})

    def mine(call: Any) -> Outcome:
        return Outcome.applied(plug=True)

    pe.register_account_step("S04.03.01.01", 9, mine)
    pe.register_account_step("S04.03.01.01", 9, mine)  # the same again: harmless
    assert pe.handle_accounts_register(_call("S04.03.01.01", 9)).detail == {"plug": True}
    with pytest.raises(ValueError, match="Ya hay un manejador"):
        pe.register_account_step("S04.03.01.01", 9, lambda call: None)
