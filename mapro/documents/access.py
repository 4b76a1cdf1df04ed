"""Who reads the official documents (docs/registers/documents.md, "Acceso").

- OGTIE staff (``mapro.helpdesk.access.STAFF_ROLES``: the desk, the coordinators and the
  team roles) read every document, the list and its export.
- The person who started an instance reads that instance's documents (detail page, print
  view, API detail, the instance page's list); not the register's list.
- Anyone else: 403 on the list, 404 on a document.

Documents are only written by procedure steps (the effect handler), never through these pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mapro.helpdesk.access import STAFF_ROLES
from mapro.organization.permissions import has_role

READER_ROLES = STAFF_ROLES


def is_staff_reader(user: Any) -> bool:
    """Whether ``user`` reads the whole register."""
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, READER_ROLES)


def document_scope_q(user: Any) -> Q | None:
    """The documents ``user`` may read, as a Q (None: all of them)."""
    if is_staff_reader(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(instance__started_by=user)
