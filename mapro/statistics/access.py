"""Who does what in the sector's statistics (docs/registers/statistics.md, "Acceso").

- The statistics team (``TEAM_ROLES``: the coordinator, the especialistas, the Jefe(a) de la
  OGTIE) reads everything: organs, datasets, calendar, every submission, publications.
- The coordinator and the Jefe(a) (``MANAGER_ROLES``) register designations, datasets and the
  cronograma; the Secretario(a) General approves the cronograma (``APPROVER_ROLES``).
- The especialista and the coordinator evaluate submissions (``EVALUATOR_ROLES``).
- A representative (``REPRESENTATIVE_ROLE``) sends data only for the organs they are designated
  for today (``Designation``), and sees only those organs' entries and submissions.
- Every signed-in MINDEF user opens the dashboard; the open-data page is public.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mapro.organization.models import ExternalOrganization
from mapro.organization.permissions import has_role

TEAM_ROLES = ("coord-estadistica", "esp-estadistico", "jefe-ogtie")
MANAGER_ROLES = ("coord-estadistica", "jefe-ogtie")
EVALUATOR_ROLES = ("esp-estadistico", "coord-estadistica")
APPROVER_ROLES = ("secretario-general",)
REPRESENTATIVE_ROLE = "resp-organo-estadistico"
CALENDAR_READERS = (*TEAM_ROLES, *APPROVER_ROLES, REPRESENTATIVE_ROLE)


def is_team(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, TEAM_ROLES)


def designated_organizations(
    user: Any, day: datetime.date | None = None
) -> QuerySet[ExternalOrganization]:
    """The organs ``user`` represents on ``day`` (today): a current designation of their person."""
    from .models import Designation
    from .selectors import current_designation_q

    if not getattr(user, "is_authenticated", False):
        return ExternalOrganization.objects.none()
    day = day or timezone.localdate()
    ids = Designation.objects.filter(current_designation_q(day), person__user=user).values_list(
        "organization_id", flat=True
    )
    return ExternalOrganization.objects.filter(pk__in=list(ids))


def is_representative(user: Any) -> bool:
    return designated_organizations(user).exists()
