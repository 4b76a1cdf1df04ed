"""history_of: the audit events of one object, oldest first, and only its own."""

import pytest
from django.db import transaction

from mapro.audit.actions import record_event
from mapro.audit.selectors import history_of
from mapro.organization.models import Unit

pytestmark = pytest.mark.django_db


def test_history_lists_only_the_objects_events_in_order() -> None:
    first = Unit.objects.create(code="HX1", name="Unidad uno", path="9001")
    other = Unit.objects.create(code="HX2", name="Unidad dos", path="9002")
    with transaction.atomic():
        record_event(actor=None, action="unit.create", obj=first, after={"name": "Unidad uno"})
        record_event(actor=None, action="unit.create", obj=other, after={"name": "Unidad dos"})
        record_event(actor=None, action="unit.rename", obj=first, after={"name": "Unidad 1"})
    history = history_of(first)
    assert [e.action for e in history] == ["unit.create", "unit.rename"]
    assert history[-1].after == {"name": "Unidad 1"}
    assert [e.action for e in history_of(first, limit=1)] == ["unit.rename"]
