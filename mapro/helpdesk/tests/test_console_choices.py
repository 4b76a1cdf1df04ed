"""The console's select lists sent as compiled SQL (``views.console_choices``, issue #15) hold
what the ORM querysets they are compiled from return, after the tree and the catalogue change
(a retired category, a unit closed, a team added): the SQL is compiled once, the values are
read on every call."""

from __future__ import annotations

import pytest
from django.db.models import Q

from mapro.helpdesk.models import Category
from mapro.helpdesk.views.console_choices import category_choices, team_choices
from mapro.organization.models import Unit

pytestmark = pytest.mark.django_db


def _orm_teams() -> list[tuple]:
    return list(
        Unit.objects.filter(
            Q(code="OGTIE") | Q(parent__code="OGTIE") | Q(parent__parent__code="OGTIE"),
            is_active=True,
        )
        .order_by("path")
        .values_list("pk", "code", "name")
    )


def _orm_categories(also: int | None = None) -> list[tuple]:
    q = Q(is_active=True) | Q(pk=also) if also else Q(is_active=True)
    return [(c.pk, c.code, c.name, c.depth) for c in Category.objects.filter(q).order_by("path")]


def _ours(also: int | None = None) -> list[tuple]:
    return [(c.pk, c.code, c.name, c.depth) for c in category_choices(also)]


def test_teams_and_categories_follow_the_tables(org):
    assert [tuple(t) for t in team_choices()] == _orm_teams()
    assert len(team_choices()) > 1
    assert _ours() == _orm_categories()
    assert any(c.depth for c in category_choices())  # the tree's indentation is kept

    retired = Category.objects.filter(is_active=True).order_by("path").last()
    retired.is_active = False
    retired.save()
    closed = Unit.objects.filter(parent__code="OGTIE").order_by("path").last()
    closed.is_active = False
    closed.save()

    assert retired.pk not in [c.pk for c in category_choices()]
    assert _ours() == _orm_categories()
    # A ticket's own category stays offered on its page, retired or not.
    assert _ours(retired.pk) == _orm_categories(retired.pk)
    assert retired.pk in [c.pk for c in category_choices(retired.pk)]
    assert closed.code not in [t.code for t in team_choices()]
    assert [tuple(t) for t in team_choices()] == _orm_teams()
