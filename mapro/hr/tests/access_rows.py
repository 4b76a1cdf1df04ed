"""Permission-matrix rows of the HR integration (see mapro/core/tests/access_matrix.py)."""

from __future__ import annotations

from mapro.core.tests.access_matrix import PUBLIC, Row
from mapro.hr.access import (
    BACKUP_RECORD_ROLES,
    LEAVER_READ_ROLES,
    RECONCILIATION_READ_ROLES,
)
from mapro.hr.testing import pending_difference_kwargs, reconciliation_kwargs

ROWS: dict[str, Row] = {
    # Public but signed: without the HMAC headers every caller (anonymous, session or token)
    # gets 401; the signature tests are in mapro/hr/tests/test_webhook.py.
    "hr-api:leaver-webhook": Row("api", PUBLIC, method="post", data={}, anonymous=401, ok=(401,)),
    "hr-api:leaver-event-list": Row("api", LEAVER_READ_ROLES),
    # An empty body: 400 naming the fields for a recording role, 403 for anyone else.
    "hr-api:mailbox-backup-create": Row("api", BACKUP_RECORD_ROLES, method="post", ok=(400,)),
    "hr-api:directory-deletion-create": Row("api", BACKUP_RECORD_ROLES, method="post", ok=(400,)),
    "hr-api:reconciliation-list": Row("api", RECONCILIATION_READ_ROLES),
    "hr-api:reconciliation-detail": Row(
        "api", RECONCILIATION_READ_ROLES, kwargs=reconciliation_kwargs
    ),
    "hr-api:difference-attend": Row(
        "api",
        frozenset({"coord-infraestructura", "profesional-ogtie"}),
        method="post",
        data={"note": "Revisado con la DGRRHH."},
        kwargs=pending_difference_kwargs,
    ),
    "hr-api:removal-report": Row("api", RECONCILIATION_READ_ROLES),
}
