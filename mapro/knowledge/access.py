"""Who may read and write the base de conocimiento (on ``mapro.organization.permissions``).

- Any signed-in employee reads published articles (the portal suggests them).
- The OGTIE roles that attend tickets (``mapro.helpdesk.access.STAFF_ROLES``) see drafts too,
  write and edit articles, and link them to the tickets they attend.
- Publishing (the review) is for the coordinators and ``jefe-ogtie``, never by the author.
"""

from __future__ import annotations

from typing import Any

from mapro.helpdesk.access import COORDINATOR_ROLES, STAFF_ROLES
from mapro.organization.permissions import has_role

EDITOR_ROLES = frozenset(STAFF_ROLES)
REVIEWER_ROLES = frozenset(COORDINATOR_ROLES | {"jefe-ogtie"})


def is_editor(user: Any) -> bool:
    return user is None or has_role(user, EDITOR_ROLES)


def is_reviewer(user: Any) -> bool:
    return user is None or has_role(user, REVIEWER_ROLES)
