"""The published OpenAPI schema never describes an operation with ``ListView``'s own docstring
(a developer's note that drf-spectacular inherits for every list, and every other method of a
list view, that has no description of its own): a keyset list says the list convention in
Spanish instead, and anything else has no description rather than the base's."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from mapro.core.api.schema import LIST_DESCRIPTION
from mapro.core.api.views import ListView


@pytest.fixture(scope="module")
def operations() -> dict[str, dict[str, Any]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        op["operationId"]: op
        for methods in schema["paths"].values()
        for op in methods.values()
        if isinstance(op, dict) and "operationId" in op
    }


def test_no_operation_is_described_by_listviews_docstring(operations) -> None:
    base = {inspect.cleandoc(ListView.__doc__ or "")}
    if ListView.get.__doc__:
        base.add(inspect.cleandoc(ListView.get.__doc__))
    base.discard("")
    assert base, "ListView has a docstring; the schema must not show it"
    shown = {op_id for op_id, op in operations.items() if op.get("description", "") in base}
    assert shown == set()


def test_a_list_without_its_own_description_says_the_convention(operations) -> None:
    # A ListView declared with class keywords only (no docstring, no documented get).
    for op_id in ("risks_list", "systems_list", "accounts_list"):
        if op_id in operations:
            assert operations[op_id]["description"] == LIST_DESCRIPTION, op_id
    assert sum(op.get("description") == LIST_DESCRIPTION for op in operations.values()) >= 10
    # The convention is said once, for lists: never for a write.
    writes = [
        op_id
        for op_id, op in operations.items()
        if op.get("description") == LIST_DESCRIPTION and not op_id.endswith("_list")
    ]
    assert writes == []


def test_a_description_of_its_own_is_kept(operations) -> None:
    from mapro.schedules.api.views import ScheduleListView

    own = inspect.cleandoc(ScheduleListView.__doc__ or "")
    assert operations["schedules_list"]["description"] == own
    assert "Inicia un expediente" in operations["procedures_instances_create"]["description"]
