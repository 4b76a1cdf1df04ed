"""Read queries of the procedure runtime, each filtered by what the user may see.

Every list, detail and API endpoint goes through these, so an object outside the user's scope
is simply absent (404), never shown and then refused.

- The inbox (``open_work_items_for``) is one query over the indexed ``WorkItemRole`` rows: a
  global grant of role R matches every open item of R; a unit-scoped grant matches the items of
  R whose scope unit lies in the grant's unit subtree.
- An instance is visible to whoever started it, has taken or may take one of its tasks, holds
  a global OGTIE role (the office runs every procedure), or is ``director-uo`` of the unit it
  concerns (or a unit above it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from mapro.organization.models import Role
from mapro.organization.permissions import Grant, grants_for

from .models import Instance, Procedure, TaskRecord, WorkItem, WorkItemRole, WorkItemState

#: Fields never needed by lists (the workflow state and the BPMN text are large).
_HEAVY = ("instance__state", "instance__procedure_version__bpmn_xml")


def _role_rows_q(grants: frozenset[Grant]) -> Q:
    """The ``WorkItemRole`` rows the grants cover (``Q(pk__in=[])`` for none)."""
    global_roles = sorted({g.role for g in grants if g.unit_id is None})
    q = Q(role__in=global_roles) if global_roles else Q(pk__in=[])
    for grant in grants:
        if grant.unit_id is not None and grant.role not in global_roles:
            q |= Q(role=grant.role, unit__path__startswith=grant.unit_path)
    return q


def open_work_items_for(user: Any) -> QuerySet[WorkItem]:
    """The user's inbox: open work items of their roles, in scope, oldest first (one query)."""
    grants = grants_for(user)
    if not grants:
        return WorkItem.objects.none()
    rows = WorkItemRole.objects.filter(_role_rows_q(grants), is_open=True)
    return (
        WorkItem.objects.filter(state=WorkItemState.OPEN, id__in=rows.values("work_item_id"))
        .select_related("instance__procedure_version__procedure", "unit")
        .defer(*_HEAVY)
        .order_by("created_at", "id")
    )


def can_take(user: Any, item: WorkItem) -> bool:
    """True when the user holds one of the item's roles in the scope of that role's unit."""
    grants = grants_for(user)
    for row in item.role_rows.all():
        for grant in grants:
            if grant.role != row.role:
                continue
            if grant.unit_id is None:
                return True
            if row.unit is not None and grant.covers(row.unit):
                return True
    return False


def instances_visible_to(user: Any) -> QuerySet[Instance]:
    """The instances the user may see (one query; see the module docstring for the rule)."""
    grants = grants_for(user)
    if user is None or not getattr(user, "is_authenticated", False):
        return Instance.objects.none()
    global_roles = sorted({g.role for g in grants if g.unit_id is None})
    q = Q(started_by=user)
    q |= Q(Exists(Role.objects.filter(code__in=global_roles, inside_ogtie=True)))
    q |= Q(Exists(WorkItem.objects.filter(instance=OuterRef("pk"), completed_by=user)))
    if grants:
        q |= Q(
            Exists(
                WorkItemRole.objects.filter(
                    _role_rows_q(grants), work_item__instance=OuterRef("pk")
                )
            )
        )
    for grant in grants:
        if grant.role == "director-uo" and grant.unit_id is not None:
            q |= Q(unit__path__startswith=grant.unit_path)
    return Instance.objects.filter(q)


def work_items_visible_to(user: Any) -> QuerySet[WorkItem]:
    """Work items of the instances the user may see."""
    return WorkItem.objects.filter(instance__in=instances_visible_to(user).values("pk"))


def get_instance_for_user(user: Any, instance_id: int) -> Instance:
    """The instance if the user may see it; ``InstanceNotFound`` (404) otherwise."""
    from .exceptions import InstanceNotFound

    instance = (
        instances_visible_to(user)
        .select_related("procedure_version__procedure", "unit")
        .filter(pk=instance_id)
        .first()
    )
    if instance is None:
        raise InstanceNotFound()
    return instance


def get_work_item_for_user(user: Any, item_id: int) -> WorkItem:
    """The work item if the user may see its instance; ``WorkItemNotFound`` (404) otherwise."""
    from .exceptions import WorkItemNotFound

    item = (
        work_items_visible_to(user)
        .select_related("instance__procedure_version__procedure", "unit")
        .prefetch_related("role_rows__unit")
        .defer("instance__state")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise WorkItemNotFound()
    return item


def instance_history(instance: Instance) -> QuerySet[TaskRecord]:
    return instance.history.order_by("completed_at", "id")


def instance_open_items(instance: Instance) -> QuerySet[WorkItem]:
    return instance.work_items.filter(state=WorkItemState.OPEN).order_by("created_at", "id")


def published_procedures() -> QuerySet[Procedure]:
    """Procedures with a current version, with that version loaded (one query)."""
    return (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("current_version")
        .defer("current_version__bpmn_xml")
        .order_by("code")
    )


# --- HTML screens (procedures/views.py) ------------------------------------------------------


def recent_instances_of(user: Any, procedure: Procedure, limit: int = 10) -> QuerySet[Instance]:
    """The newest instances of ``procedure`` (any version) the user may see (one query)."""
    return (
        instances_visible_to(user)
        .filter(procedure_version__procedure=procedure)
        .select_related("unit")
        .defer("state")
        .order_by("-started_at", "-id")[:limit]
    )
