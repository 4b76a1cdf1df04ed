"""``mapro seed`` loads the help-desk categories of ``data`` (after the organization).

Idempotent and respectful of the administrator: a missing category is created (audited as
``category.create``); an existing one is left as the administrator last saved it, so a re-run
never undoes an edit in the admin.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mapro.audit.actions import record_event
from mapro.organization.models import Unit
from mapro.organization.seeding import register_seed_step

from . import data
from .models import Category


@transaction.atomic
def seed_categories(*, actor: Any = None) -> int:
    """Create the categories of ``data.CATEGORIES`` that are missing; return how many."""
    created = 0
    by_code = {c.code: c for c in Category.objects.all()}
    teams = {u.code: u for u in Unit.objects.filter(code__in={c.team for c in data.CATEGORIES})}
    for item in data.CATEGORIES:
        if item.code in by_code:
            continue
        if item.team not in teams:
            raise LookupError(
                f"Falta la unidad {item.team}: ejecute primero la carga de la organización."
            )
        category = Category(
            code=item.code,
            name=item.name,
            parent=by_code[item.parent] if item.parent else None,
            team=teams[item.team],
            procedure_code=item.procedure_code,
            requirements=item.requirements or {"type": "object", "properties": {}, "required": []},
            description=item.description,
        )
        category.full_clean()
        category.save()
        by_code[item.code] = category
        record_event(
            actor=actor,
            action="category.create",
            obj=category,
            after={"code": category.code, "team": item.team, "procedure": item.procedure_code},
        )
        created += 1
    return created


@register_seed_step(order=10)
def seed_step(*, demo: bool) -> str:
    """``mapro seed``'s help-desk step (the categories need the OGTIE team units)."""
    return f"Categorías de mesa de ayuda nuevas: {seed_categories()}."
