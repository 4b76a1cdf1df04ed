"""``mapro seed`` loads the help-desk categories of ``data`` (after the organization).

Idempotent and respectful of the administrator. A missing category is created (audited as
``category.create``). An existing one gets the seed's newer values (``requirements.defaults``
of the account categories, a renamed category…) only in the fields the seed owns (``OWNED``)
and only where the field still holds what the seed wrote before (audited as
``category.seed_update``): a field the administrator changed in the admin is left as they
saved it, for good. What the seed wrote last is kept on the category (``Category.seeded``);
for categories seeded before that record existed, the seed's earlier values are known by
their fingerprints (``EARLIER``, from the history of ``data.py``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction

from mapro.audit.actions import record_event
from mapro.organization.models import Unit
from mapro.organization.seeding import register_seed_step

from . import data
from .models import Category

#: The fields ``mapro seed`` owns on a category (parent and team by code).
OWNED = ("name", "parent", "team", "procedure_code", "requirements", "description")

#: SHA-256 fingerprints (``fingerprint``) of values earlier seeds wrote that today's ``data``
#: no longer has, per category and field (``data.py`` at 85a8506, fc0e2a4, ccc8690, 950cb10
#: and ef42d70: the account categories' requirements before their ``defaults``). Needed only
#: for categories seeded before ``Category.seeded``; later changes are read from that record.
EARLIER: dict[str, dict[str, frozenset[str]]] = {
    "cuentas-creacion": {
        "requirements": frozenset(
            {
                "432dd6ed4a909e33787d13d3e1625c64e8f1036a022bde6e5f6169d23a07254f",
                "4a98150dfb621b6ed193d88ab1771e7b395691afc9c666a4aa5d904fc99cc46e",
            }
        )
    },
    "cuentas-modificacion": {
        "requirements": frozenset(
            {"7cab55f9bb3f998d81304eefe117f57b57c3c3038668129dd2d3ab7047a2a65a"}
        )
    },
    "cuentas-privilegios": {
        "requirements": frozenset(
            {"436cbc1b4dcc9b087a2a96e5c865dc8c718e54c413ac16dbe8f6f202e390d4af"}
        )
    },
    "cuentas-vpn": {
        "requirements": frozenset(
            {"144d3f48b13c3b7dd6f357fc53266ba346f2468a90b6a9d240408d371471bedf"}
        )
    },
}

_EMPTY_FORM: dict[str, Any] = {"type": "object", "properties": {}, "required": []}


def fingerprint(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def seed_values(item: data.CategoryData) -> dict[str, Any]:
    """What the seed writes for ``item``, field by field (parent and team as codes)."""
    return {
        "name": item.name,
        "parent": item.parent or "",
        "team": item.team,
        "procedure_code": item.procedure_code,
        "requirements": item.requirements or dict(_EMPTY_FORM),
        "description": item.description,
    }


def stored_values(category: Category) -> dict[str, Any]:
    """The category's values of the fields the seed owns (parent and team as codes)."""
    return {
        "name": category.name,
        "parent": category.parent.code if category.parent is not None else "",
        "team": category.team.code,
        "procedure_code": category.procedure_code,
        "requirements": category.requirements,
        "description": category.description,
    }


def _teams() -> dict[str, Unit]:
    teams = {u.code: u for u in Unit.objects.filter(code__in={c.team for c in data.CATEGORIES})}
    missing = {c.team for c in data.CATEGORIES} - set(teams)
    if missing:
        raise LookupError(
            f"Falta la unidad {sorted(missing)[0]}: ejecute primero la carga de la organización."
        )
    return teams


@transaction.atomic
def seed_categories(*, actor: Any = None) -> int:
    """Create the categories of ``data.CATEGORIES`` that are missing; return how many."""
    created = 0
    by_code = {c.code: c for c in Category.objects.all()}
    teams: dict[str, Unit] | None = None
    for item in data.CATEGORIES:
        if item.code in by_code:
            continue
        teams = teams or _teams()
        values = seed_values(item)
        category = Category(
            code=item.code,
            name=item.name,
            parent=by_code[item.parent] if item.parent else None,
            team=teams[item.team],
            procedure_code=item.procedure_code,
            requirements=values["requirements"],
            description=item.description,
            seeded=values,
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


def _seed_wrote(category: Category, field: str, value: Any) -> bool:
    """True when ``value`` (the category's ``field`` today) is what a seed wrote there."""
    record = category.seeded or {}
    if field in record:
        return bool(record[field] == value)
    return fingerprint(value) in EARLIER.get(category.code, {}).get(field, frozenset())


@transaction.atomic
def refresh_categories(*, actor: Any = None) -> int:
    """Give existing categories the seed's newer values where they still hold an older seed
    value (never an administrator's edit); return how many categories changed."""
    by_code = {c.code: c for c in Category.objects.select_related("parent", "team")}
    teams: dict[str, Unit] | None = None
    updated = 0
    for item in data.CATEGORIES:
        category = by_code.get(item.code)
        if category is None:
            continue
        want = seed_values(item)
        have = stored_values(category)
        changes = {
            field: want[field]
            for field in OWNED
            if have[field] != want[field] and _seed_wrote(category, field, have[field])
        }
        record = dict(category.seeded or {})
        if changes:
            before = {field: have[field] for field in changes}
            for field, value in changes.items():
                if field == "parent":
                    category.parent = by_code[value] if value else None
                elif field == "team":
                    teams = teams or _teams()
                    category.team = teams[value]
                else:
                    setattr(category, field, value)
            record.update(changes)
            category.seeded = record
            category.full_clean()
            category.save()
            record_event(
                actor=actor,
                action="category.seed_update",
                obj=category,
                before=before,
                after=changes,
            )
            updated += 1
        # Remember what the seed wrote wherever the category holds it (the first run after
        # the record existed learns it here); an administrator's value is not recorded.
        learned = {f: want[f] for f in OWNED if have.get(f) == want[f] or f in changes}
        if {**record, **learned} != (category.seeded or {}):
            category.seeded = {**record, **learned}
            Category.objects.filter(pk=category.pk).update(seeded=category.seeded)
    return updated


@register_seed_step(order=10)
def seed_step(*, demo: bool) -> str:
    """``mapro seed``'s help-desk step (the categories need the OGTIE team units)."""
    created = seed_categories()
    updated = refresh_categories()
    return (
        f"Categorías de mesa de ayuda nuevas: {created}; actualizadas con valores nuevos de la "
        f"carga: {updated}."
    )
