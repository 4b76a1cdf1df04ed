"""Who may do what on a ticket, on top of ``mapro.organization.permissions`` (the one layer).

Roles (docs/roles.md) and what they mean at the help desk:

- ``operador-mesa`` and ``jefe-ogtie`` (DESK_ROLES) run the desk: they see every ticket,
  register tickets on behalf of anyone, validate, return, assign to any team or person, and
  close.
- The OGTIE team roles (TEAM_ROLES: coordinators, technicians, specialists) work within their
  team, which is the unit their Person belongs to (e.g. OGTIE-INFRAESTRUCTURA) and the units
  under it: they see and attend the tickets of that team and any ticket assigned to them.
  Coordinators (COORDINATOR_ROLES) also assign within their team.
- ``director-uo`` sees the tickets requested from their unit (unit scope of the grant).
- Anyone signed in with a Person is a requester: sees their own tickets, adds information,
  confirms or rejects the solution, reopens within the window.

``actor=None`` is the system (a procedure step, a scheduled job): allowed everything.
"""

from __future__ import annotations

from typing import Any

from mapro.organization.models import Person
from mapro.organization.permissions import has_role, holds_ogtie_role

DESK_ROLES = frozenset({"operador-mesa", "jefe-ogtie"})
COORDINATOR_ROLES = frozenset(
    {
        "coord-innovacion",
        "coord-infraestructura",
        "coord-ciberseguridad",
        "coord-estadistica",
        "coord-gobierno-ti",
    }
)
TEAM_ROLES = COORDINATOR_ROLES | frozenset(
    {
        "resp-mejora-gd",
        "esp-gobierno-digital",
        "esp-seguridad-info",
        "oficial-seguridad-digital",
        "resp-analisis-sistemas",
        "analista-programador",
        "resp-calidad",
        "tecnico-especialista",
        "resp-infraestructura",
        "resp-bd",
        "profesional-ogtie",
        "prof-redes",
        "resp-soporte",
        "esp-estadistico",
    }
)
STAFF_ROLES = DESK_ROLES | TEAM_ROLES
UNIT_VIEWER_ROLES = frozenset({"director-uo"})

_PERSON_ATTR = "_mapro_helpdesk_person"


def person_of(user: Any) -> Person | None:
    """The user's Person (with its unit), read once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _PERSON_ATTR):
        person = Person.objects.select_related("unit").filter(user=user).first()
        setattr(user, _PERSON_ATTR, person)
    return getattr(user, _PERSON_ATTR)


def team_path(user: Any) -> str | None:
    """The unit path of the user's team (their Person's unit) if they hold a team role."""
    if not has_role(user, TEAM_ROLES):
        return None
    person = person_of(user)
    return person.unit.path if person is not None and person.unit.path else None


def is_system(actor: Any) -> bool:
    return actor is None


def is_desk(user: Any) -> bool:
    return is_system(user) or has_role(user, DESK_ROLES)


def in_team(user: Any, team: Any) -> bool:
    """True when ``team`` (a Unit) is the user's team or under it."""
    path = team_path(user)
    return bool(path) and team is not None and team.path.startswith(path)


def can_handle(user: Any, ticket: Any) -> bool:
    """May attend the ticket (start, hold, resolve, internal notes): desk, team or assignee."""
    if is_desk(user):
        return True
    if ticket.assignee_id is not None and ticket.assignee_id == getattr(user, "pk", None):
        return has_role(user, STAFF_ROLES)
    return in_team(user, ticket.team)


def can_assign(user: Any, ticket: Any, new_team: Any) -> bool:
    """Desk roles assign anywhere; a coordinator only within their team (both ends)."""
    if is_desk(user):
        return True
    if not has_role(user, COORDINATOR_ROLES):
        return False
    return in_team(user, ticket.team) and in_team(user, new_team)


def is_requester(user: Any, ticket: Any) -> bool:
    person = person_of(user)
    return person is not None and person.pk == ticket.requester_id


def sees_internal(user: Any, ticket: Any) -> bool:
    """Internal notes are for the people who attend the ticket, not for requesters or UO."""
    return can_handle(user, ticket)


def reads_internal_answers(user: Any, instance: Any) -> bool | None:
    """Rule for ``mapro.procedures.internal``: an instance's internal answers (the steps whose
    data became an internal note) are read by whoever reads the internal notes of its ticket
    (``sees_internal``); None (no say) when the instance has no ticket.

    When both answers agree the ticket is not read: a desk role holder who holds a role of the
    OGTIE reads them either way (desk: every ticket's notes; no ticket: the OGTIE staff), and
    a user without any help desk staff role who holds no OGTIE role reads them neither way
    (``can_handle`` needs a staff role; no ticket: not OGTIE staff). This rule is the only one
    registered; a later rule would not be asked about these two cases."""
    from .models import Ticket

    if is_desk(user) and holds_ogtie_role(user):
        return True
    if not has_role(user, STAFF_ROLES) and not holds_ogtie_role(user):
        return False
    ticket = Ticket.objects.filter(instance=instance).select_related("team").order_by("id").first()
    if ticket is None:
        return None
    return sees_internal(user, ticket)
