"""Rows of the permission matrix for the directory (see core/tests/access_matrix.py).

The operator's decisions on an operation (retry, completed by hand) are for those who run
S04.03.01.01/.02 (``choices.OPERATE_ROLES``). Retrying answers 409 without a directory
configured (the matrix runs without one); with one it redirects (test_connector.py).
"""

from __future__ import annotations

from mapro.core.tests.access_matrix import Row, roles
from mapro.directory import choices, testing

OPERATORS = roles(*choices.OPERATE_ROLES)

ROWS: dict[str, Row] = {
    "directory:operation_retry": Row(
        "html", OPERATORS, method="post", ok=(302, 409), kwargs=testing.failed_operation_kwargs
    ),
    "directory:operation_manual": Row(
        "html", OPERATORS, method="post", ok=(302,), kwargs=testing.failed_operation_kwargs
    ),
}
