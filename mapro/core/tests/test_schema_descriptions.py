"""The published OpenAPI schema describes an operation only in Spanish, by what its
``extend_schema(description=…)`` says: never by a docstring (the view's, its method's, or
``ListView``'s that drf-spectacular inherits for every list: a developer's note, in English). A
keyset list without a description of its own says the list convention in Spanish instead, and
anything else has no description rather than a docstring.

Every component (``components.schemas``) has a description of its own, in Spanish: a
serializer's is its ``extend_schema_serializer(description=…)``, never its docstring; an enum's
is drf-spectacular's list of its choices (Spanish labels)."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from drf_spectacular.plumbing import get_doc

from mapro.core.api.schema import LIST_DESCRIPTION, SchemaGenerator
from mapro.core.api.views import ListView


@pytest.fixture(scope="module")
def generated() -> tuple[SchemaGenerator, dict[str, Any]]:
    generator = SchemaGenerator()
    return generator, generator.get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def components(generated) -> dict[str, dict[str, Any]]:
    return generated[1]["components"]["schemas"]


@pytest.fixture(scope="module")
def operations(generated) -> dict[str, dict[str, Any]]:
    schema = generated[1]
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
    assert "Inicia un expediente" in operations["procedures_instances_create"]["description"]
    assert "X-Next-Cursor" in operations["tasks_list"]["description"]
    assert operations["auth_me_retrieve"]["description"].startswith("Quién llama")


def test_a_list_with_an_english_docstring_says_the_convention(operations) -> None:
    # Their view classes have docstrings of their own (in English): not published.
    for op_id in ("schedules_list", "tickets_list", "operations_runs_list"):
        assert operations[op_id]["description"] == LIST_DESCRIPTION, op_id
    assert operations["schedules_create"].get("description", "") == ""


def _docstrings() -> set[str]:
    """Every docstring an operation could inherit: its view class's and its handler's."""
    found: set[str] = set()
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for _path, _regex, method, callback in generator.endpoints:
        view = callback.cls
        found |= {get_doc(view), get_doc(getattr(view, method.lower(), None))}
    return found - {""}


def test_no_operation_is_described_by_a_docstring(operations) -> None:
    from mapro.schedules.api.views import ScheduleListView

    every_doc = _docstrings()
    # Views with docstrings of their own are among them: the check bites.
    assert {get_doc(ScheduleListView), get_doc(ListView.get) or get_doc(ListView)} <= every_doc
    shown = sorted(op_id for op_id, op in operations.items() if op.get("description") in every_doc)
    assert shown == []


#: Words of English prose that Spanish never uses as words (a description naming a field
#: or header does so in backquotes, which are left out of the check).
ENGLISH = frozenset(
    re.findall(
        r"\S+",
        "the of and is are with by its it's their caller caller's every which this that one "
        "page paged filtered register queue oldest newest first when an or to for from as on "
        "what who row rows body answer whole person sent",
    )
)


def english_words(text: str) -> set[str]:
    prose = re.sub(r"`[^`]*`", " ", text)
    # Spanish letters are part of a word ("análisis" is not "an"…"lisis").
    return {w for w in re.findall(r"[a-záéíóúüñ']+", prose.lower()) if w in ENGLISH}


def test_the_english_detector_bites() -> None:
    assert english_words("The register, filtered and paged as every list (docs/api.md).")
    assert english_words("``GET /api/v1/me/``: the caller's username, name, unit")
    assert not english_words(LIST_DESCRIPTION)
    assert not english_words('La cabecera `Link` (`rel="next"`) da la URL de la página')
    assert not english_words("Tecnologías, análisis estático y más")
    assert english_words("A queue row.") == {"queue", "row"}


def test_no_operation_description_is_english(operations) -> None:
    english = {
        op_id: sorted(english_words(op["description"]))
        for op_id, op in operations.items()
        if english_words(op.get("description", ""))
    }
    assert english == {}


def test_every_component_is_described_in_spanish(components) -> None:
    undescribed = sorted(
        name for name, schema in components.items() if not schema.get("description", "").strip()
    )
    assert undescribed == []
    english = {
        name: sorted(english_words(schema["description"]))
        for name, schema in components.items()
        if english_words(schema["description"])
    }
    assert english == {}
    assert components["Me"]["description"].startswith("Quién llama")
    assert components["Error"]["description"].startswith("El cuerpo de toda respuesta de error")


def test_no_component_is_described_by_a_docstring(generated, components) -> None:
    from mapro.accounts.api.serializers import MeSerializer

    generator, _schema = generated
    docstrings = {
        name: get_doc(schema.object if inspect.isclass(schema.object) else type(schema.object))
        for (name, kind), schema in generator.registry._components.items()
        if kind == "schemas"
    }
    # Serializers with (English) docstrings are among them: the check bites.
    assert docstrings["Me"] == get_doc(MeSerializer) != ""
    shown = sorted(
        name
        for name, doc in docstrings.items()
        if doc and components.get(name, {}).get("description") == doc
    )
    assert shown == []


def test_no_two_components_share_a_description(components) -> None:
    """A serializer that inherits its parent's description (drf-spectacular copies the override
    to subclasses) or a pasted one says what another component is: each says its own. A
    ``Patched…`` component is its serializer's partial-update form and shares its text."""
    seen: dict[str, list[str]] = {}
    for name, schema in components.items():
        base = name.removeprefix("Patched")
        if base != name and base in components:
            assert schema["description"] == components[base]["description"], name
            continue
        seen.setdefault(schema["description"], []).append(name)
    assert {text: names for text, names in seen.items() if len(names) > 1} == {}
