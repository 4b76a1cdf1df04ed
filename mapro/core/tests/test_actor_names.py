"""Who acted is written one way everywhere, "usuario (Nombre Apellido)" or "sistema":
``mapro.audit.actions.actor_name``, which every register, history, log and export calls. No
module keeps a formatter of its own (there were two other forms: the full name alone, with
"sistema" or "Sistema" for the system)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from mapro.audit.actions import actor_name
from mapro.core.testing import make_user

#: A formatter of its own, or the copied body of one.
HAND_MADE = re.compile(
    r"^\s*def _?(actor|author)_(name|label)\(|get_full_name\(\) if hasattr\(", re.MULTILINE
)

#: Files allowed to match, and why.
ALLOWED = {
    "mapro/audit/actions.py": "the one formatter",
    "mapro/operations/actions.py": "a script's run token, else the user by audit's function",
    "mapro/govdigital/actions/committee.py": "a member's name on the attendance, not who acted",
}


def test_no_module_formats_who_acted_by_hand() -> None:
    root = Path(settings.BASE_DIR)
    found = sorted(
        rel
        for path in (root / "mapro").rglob("*.py")
        if "/tests/" not in (rel := path.relative_to(root).as_posix())
        and "/migrations/" not in rel
        and HAND_MADE.search(path.read_text(encoding="utf-8"))
    )
    assert found == sorted(ALLOWED)


def test_the_one_form(db) -> None:
    user = make_user("personal")
    assert actor_name(user) == f"{user.username} ({user.get_full_name()})"
    assert actor_name(None) == "sistema"
