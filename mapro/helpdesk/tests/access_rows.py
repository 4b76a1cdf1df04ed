"""Permission-matrix rows of the help desk's newer pages (format: core/tests/access_matrix.py).

Registering on behalf of someone else is the desk's (operador-mesa, jefe-ogtie); everyone else,
the teams included, gets 403."""

from __future__ import annotations

from typing import Any

from mapro.core.tests.access_matrix import Row, roles

DESK = roles("operador-mesa", "jefe-ogtie")


def _category_kwargs(user: Any) -> dict[str, Any]:
    from mapro.helpdesk.testing import simple_category

    return {"code": simple_category().code}


ROWS: dict[str, Row] = {
    "helpdesk:console_register": Row("html", DESK),
    "helpdesk:console_people": Row("html", DESK),
    "helpdesk:console_register_form": Row("html", DESK, kwargs=_category_kwargs),
}
