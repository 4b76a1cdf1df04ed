"""Changing the help-desk catalogue: categories and SLA targets (the admin calls these)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden, InvalidInput

from ..models import Category, SlaTarget

CATEGORY_FIELDS = (
    "code",
    "name",
    "parent",
    "description",
    "team",
    "procedure_code",
    "requirements",
    "is_active",
)
SLA_FIELDS = ("category", "priority", "response_minutes", "resolution_minutes")


def _check_admin(actor: Any) -> None:
    if actor is not None and not (actor.is_staff or actor.is_superuser):
        raise Forbidden()


def _values(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.pk if hasattr(value, "pk") else value
    return out


def _full_clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise InvalidInput(errors=exc.message_dict) from None


@transaction.atomic
def do_save_category(category: Category, *, actor: Any) -> Category:
    """Create or update a category (its requirements must stay in the form subset)."""
    _check_admin(actor)
    before = None
    if category.pk:
        before = _values(Category.objects.get(pk=category.pk), CATEGORY_FIELDS)
    _full_clean(category)
    category.save()
    after = _values(category, CATEGORY_FIELDS)
    if before is not None:
        keys = [k for k in after if before[k] != after[k]]
        before, after = {k: before[k] for k in keys}, {k: after[k] for k in keys}
    record_event(
        actor=actor,
        action="category.update" if before is not None else "category.create",
        obj=category,
        before=before,
        after=after,
    )
    return category


@transaction.atomic
def do_save_sla_target(target: SlaTarget, *, actor: Any) -> SlaTarget:
    """Create or update the response/resolution target of a category and priority."""
    _check_admin(actor)
    before = _values(SlaTarget.objects.get(pk=target.pk), SLA_FIELDS) if target.pk else None
    _full_clean(target)
    target.save()
    record_event(
        actor=actor,
        action="sla_target.update" if before else "sla_target.create",
        obj=target,
        before=before,
        after=_values(target, SLA_FIELDS),
    )
    return target


@transaction.atomic
def do_delete_sla_target(target: SlaTarget, *, actor: Any) -> None:
    """Remove a target (the category falls back to its ancestor's or the defaults)."""
    _check_admin(actor)
    before = _values(target, SLA_FIELDS)
    record_event(actor=actor, action="sla_target.delete", obj=target, before=before)
    target.delete()
