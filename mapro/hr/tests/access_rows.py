"""Permission-matrix rows of the HR integration (see mapro/core/tests/access_matrix.py)."""

from __future__ import annotations

from mapro.core.tests.access_matrix import PUBLIC, Row, roles
from mapro.hr.access import (
    BACKUP_READ_ROLES,
    BACKUP_RECORD_ROLES,
    DIFFERENCE_ATTEND_ROLES,
    LEAVER_READ_ROLES,
    RECONCILIATION_READ_ROLES,
)
from mapro.hr.testing import (
    leaver_event_kwargs,
    pending_difference_kwargs,
    reconciliation_kwargs,
)

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
        DIFFERENCE_ATTEND_ROLES,
        method="post",
        data={"note": "Revisado con la DGRRHH."},
        kwargs=pending_difference_kwargs,
    ),
    "hr-api:removal-report": Row("api", RECONCILIATION_READ_ROLES),
    # HTML pages (/recursos-humanos/)
    "hr:leaver_list": Row("html", LEAVER_READ_ROLES),
    "hr:leaver_export": Row("html", LEAVER_READ_ROLES),
    "hr:leaver_detail": Row("html", LEAVER_READ_ROLES, kwargs=leaver_event_kwargs),
    "hr:backup_list": Row("html", BACKUP_READ_ROLES),
    "hr:backup_export": Row("html", BACKUP_READ_ROLES),
    "hr:reconciliation_list": Row("html", RECONCILIATION_READ_ROLES),
    "hr:reconciliation_detail": Row(
        "html", RECONCILIATION_READ_ROLES, kwargs=reconciliation_kwargs
    ),
    "hr:reconciliation_export": Row(
        "html", RECONCILIATION_READ_ROLES, kwargs=reconciliation_kwargs
    ),
    "hr:difference_attend": Row(
        "html",
        DIFFERENCE_ATTEND_ROLES,
        method="post",
        data={"note": "Revisado con la DGRRHH."},
        kwargs=pending_difference_kwargs,
        ok=(302,),
    ),
    # Starting a removal from a finding of the directory comparison: the first activity's role.
    # (Without a published S04.03.01.02 the start answers 409; test_directory_reconciliation.py
    # walks it.)
    "hr:difference_start": Row(
        "html",
        roles("profesional-ogtie"),
        method="post",
        kwargs=pending_difference_kwargs,
        ok=(302, 404, 409),
    ),
    "hr:removal_report": Row("html", RECONCILIATION_READ_ROLES),
    "hr:removal_report_export": Row("html", RECONCILIATION_READ_ROLES),
}
