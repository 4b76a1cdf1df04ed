"""``@extend_schema`` is applied when a schema is generated, not when a view is imported.

mapro.core.api.openapi records each decoration; ``SchemaGenerator`` (the project's
``DEFAULT_GENERATOR_CLASS``) applies them in order first, and imports the apps' ``schema``
modules (the token schemes). Web workers never load the generator (test_worker_imports.py).
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.views import APIView

from mapro.core.api import openapi
from mapro.core.api.schema import SchemaGenerator

from .test_worker_imports import _run


def test_before_a_schema_is_generated_views_are_left_as_they_are():
    code = (
        "import json, django\n"
        "django.setup()\n"
        "from mapro.accounts.api.views import CallerView\n"
        "from mapro.core.api import openapi\n"
        "untouched = 'schema' not in vars(CallerView)\n"
        "recorded = any(target is CallerView.get for target, _ in openapi._DEFERRED)\n"
        "try:\n"
        "    CallerView.schema\n"
        "    error = ''\n"
        "except RuntimeError as exc:\n"
        "    error = str(exc)\n"
        "print(json.dumps([untouched, recorded, openapi.deferred_applied(), error]))\n"
    )
    untouched, recorded, applied, error = _run(code)
    assert (untouched, recorded, applied) == (True, True, False)
    # Reading a view's schema before the classes are built fails loudly, not silently bare.
    assert "SchemaGenerator" in error


@pytest.mark.django_db
def test_the_generator_applies_every_recorded_decoration_and_the_token_schemes():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert openapi.deferred_applied()
    assert openapi._DEFERRED == []
    # An @extend_schema of a view (its summary) and the schemes of two apps' schema modules.
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert me["summary"] == "Quién soy: usuario, nombre, unidad y roles con su unidad"
    assert set(schema["components"]["securitySchemes"]) >= {"tokenAuth", "runTokenAuth"}
    assert me["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]


@pytest.mark.django_db
def test_a_view_decorated_after_the_schema_was_built_is_extended_at_once():
    SchemaGenerator()

    @openapi.extend_schema(summary="Vista tardía")
    class LateView(APIView):
        def get(self, request):  # pragma: no cover - never served
            raise AssertionError

    assert type(vars(LateView)["schema"]).__name__ == "ExtendedSchema"


@pytest.mark.django_db
def test_the_schema_and_its_reader_are_served_through_the_lazy_views():
    client = Client()
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "mapro API"
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"/api/v1/schema/" in docs.content
