"""Rows of the permission matrix for the systems app (see mapro/core/tests/access_matrix.py).

The factories build the system in the acting user's unit, so a Director(a) de unidad reads it;
out-of-scope (another unit's system: 404) is checked in ``test_registers_api.py``.
"""

from __future__ import annotations

from mapro.core.tests.access_matrix import Row, roles
from mapro.systems import access, testing

SYSTEM_READERS = roles(*access.SYSTEM_READERS)
READERS = roles(*access.READERS)

ROWS: dict[str, Row] = {
    # HTML (under /sistemas/)
    "systems:system_list": Row("html", SYSTEM_READERS),
    "systems:system_export": Row("html", SYSTEM_READERS),
    "systems:system_detail": Row("html", SYSTEM_READERS, kwargs=testing.system_kwargs),
    "systems:release_list": Row("html", SYSTEM_READERS),
    "systems:release_export": Row("html", SYSTEM_READERS),
    "systems:release_detail": Row("html", SYSTEM_READERS, kwargs=testing.release_kwargs),
    "systems:change_list": Row("html", READERS),
    "systems:change_export": Row("html", READERS),
    "systems:change_detail": Row("html", READERS, kwargs=testing.change_kwargs),
    "systems:report_list": Row("html", READERS),
    "systems:report_export": Row("html", READERS),
    "systems:report_detail": Row("html", READERS, kwargs=testing.report_kwargs),
    "systems:report_upload": Row("html", roles(*access.REPORT_UPLOADERS)),
    # API v1
    "systems-api:system-list": Row("api", SYSTEM_READERS),
    "systems-api:system-detail": Row("api", SYSTEM_READERS, kwargs=testing.system_kwargs),
    "systems-api:release-list": Row("api", SYSTEM_READERS),
    "systems-api:release-detail": Row("api", SYSTEM_READERS, kwargs=testing.release_kwargs),
    "systems-api:release-deploy": Row(
        "api",
        roles(*access.RELEASE_MANAGERS),
        method="post",
        kwargs=testing.release_kwargs,
        data={},
    ),
    "systems-api:change-list": Row("api", READERS),
    "systems-api:change-detail": Row("api", READERS, kwargs=testing.change_kwargs),
    "systems-api:report-list": Row("api", READERS),
    "systems-api:report-detail": Row("api", READERS, kwargs=testing.report_kwargs),
    "systems-api:gate-list": Row("api", READERS),
}
