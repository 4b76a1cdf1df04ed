"""Rows of the permission matrix for the accounts register (see core/tests/access_matrix.py).

Readers: ``choices.READ_ALL_ROLES`` and the unit-scoped ``director-uo`` (the kwargs factory
builds the account in the acting user's unit). Out-of-scope checks (a director asking for
another unit's account: 404) live in ``test_views.py`` and ``test_api.py``, because the global
readers see every account.
"""

from __future__ import annotations

from mapro.core.tests.access_matrix import ANY_USER, Row, roles
from mapro.iam import choices, testing

READERS = roles(*(choices.READ_ALL_ROLES | choices.READ_SCOPED_ROLES))
MANAGERS = roles(*choices.MANAGE_ROLES)

ROWS: dict[str, Row] = {
    "iam:account_list": Row("html", READERS),
    "iam:account_export": Row("html", READERS),
    "iam:account_detail": Row("html", READERS, kwargs=testing.account_kwargs),
    "iam:account_password_link": Row(
        "html", MANAGERS, method="post", kwargs=testing.account_kwargs
    ),
    "iam:vpn_list": Row("html", READERS),
    "iam:vpn_export": Row("html", READERS),
    "iam:vpn_movements": Row("html", READERS, kwargs={"movement": "creados"}),
    "iam:vpn_movements_export": Row("html", READERS, kwargs={"movement": "eliminados"}),
    # The reveal page asks for confirmation (GET) to any signed-in user; only the link's
    # recipient can reveal (POST), tested in test_passwords.py.
    "iam:reveal": Row("html", ANY_USER, kwargs={"pk": 999999}),
    "iam-api:account-list": Row("api", READERS),
    "iam-api:account-detail": Row("api", READERS, kwargs=testing.account_kwargs),
}
