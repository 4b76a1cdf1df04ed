"""The one mapping of the domain's exceptions to HTML error pages (``MaproErrorMiddleware``),
and the rule that keeps it the only one: no view catches ``NotFound``/``Forbidden`` by hand."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from mapro.core.exceptions import Conflict, Forbidden, InvalidInput, MaproError, NotFound
from mapro.core.middleware import MaproErrorMiddleware
from mapro.core.testing import make_user
from mapro.procedures.exceptions import EngineError

MAPRO = Path(settings.BASE_DIR) / "mapro"
#: Exceptions a view must let through to the middleware (catching a base class would swallow
#: them too).
MAPPED_ONCE = {"NotFound", "Forbidden", "MaproError"}


def _view_modules() -> list[Path]:
    """Every module that answers HTTP: views modules and packages, and the API packages."""
    found = []
    for path in MAPRO.rglob("*.py"):
        parts = path.relative_to(MAPRO).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if "views" in path.stem or "views" in parts or "api" in parts:
            found.append(path)
    return sorted(found)


def _caught_names(handler: ast.ExceptHandler) -> set[str]:
    node = handler.type
    nodes = node.elts if isinstance(node, ast.Tuple) else [node] if node is not None else []
    return {n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "") for n in nodes}


def test_no_view_maps_the_domains_errors_by_hand():
    modules = _view_modules()
    assert any(p.parts[-2:] == ("procedures", "views.py") for p in modules)  # the scan sees
    offences = []
    for path in modules:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(MAPRO.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ExceptHandler) and _caught_names(node) & MAPPED_ONCE:
                offences.append(f"{where} catches {sorted(_caught_names(node) & MAPPED_ONCE)}")
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "raise_http" in (
                node.name
            ):
                offences.append(f"{where} defines {node.name}")
    assert offences == [], (
        "Let NotFound/Forbidden through: pages get them mapped by "
        "mapro.core.middleware.MaproErrorMiddleware, the API by mapro.core.api's handler. To "
        "look up an optional reference (a body naming a ticket), filter the visible queryset "
        "instead of catching NotFound. " + "; ".join(offences)
    )


# --- the middleware itself ---------------------------------------------------------------------


def _request(path: str = "/algo/", **meta: str):
    request = RequestFactory().post(path, **meta)
    request.user = make_user()
    return request


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("exc", "status", "title"),
    [
        (NotFound("Ticket no encontrado."), 404, "Página no encontrada"),
        (Forbidden("Solo la mesa de ayuda asigna."), 403, "Acceso denegado"),
        (Conflict("El ticket ya está cerrado."), 409, "Operación no realizada"),
        (InvalidInput("Revise el motivo."), 400, "Solicitud no válida"),
    ],
)
def test_each_kind_is_its_page_with_the_actions_message(exc, status, title):
    response = MaproErrorMiddleware(lambda r: None).process_exception(_request(), exc)
    assert response is not None and response.status_code == status
    html = response.content.decode()
    assert title in html and exc.message in html
    assert "· OGTIE MINDEF</title>" in html  # the site's layout


@pytest.mark.django_db
def test_bad_input_lists_its_field_errors():
    exc = InvalidInput(errors={"reason": ["Indique el motivo."], "date": ["Fecha no válida."]})
    response = MaproErrorMiddleware(lambda r: None).process_exception(_request(), exc)
    html = response.content.decode()
    assert response.status_code == 400
    assert "<li>Indique el motivo.</li>" in html and "<li>Fecha no válida.</li>" in html


@pytest.mark.django_db
def test_the_way_back_is_only_a_page_of_ours():
    middleware = MaproErrorMiddleware(lambda r: None)
    ours = middleware.process_exception(
        _request(HTTP_REFERER="http://testserver/consola/T-1/"), Conflict()
    )
    assert 'href="http://testserver/consola/T-1/">Volver a la página anterior' in (
        ours.content.decode()
    )
    foreign = middleware.process_exception(
        _request(HTTP_REFERER="https://evil.example/"), Conflict()
    )
    assert "evil.example" not in foreign.content.decode()
    assert "Volver a la página anterior" not in foreign.content.decode()


@pytest.mark.django_db
def test_the_api_and_server_faults_are_left_alone():
    middleware = MaproErrorMiddleware(lambda r: None)
    assert middleware.process_exception(_request("/api/v1/tasks/1/"), NotFound()) is None
    assert middleware.process_exception(_request(), EngineError()) is None
    assert middleware.process_exception(_request(), ValueError("defecto")) is None
    assert issubclass(EngineError, MaproError)


@pytest.mark.django_db
def test_djangos_permission_denied_is_the_same_page():
    middleware = MaproErrorMiddleware(lambda r: None)
    named = middleware.process_exception(_request(), PermissionDenied("Solo jefe-ogtie."))
    assert named.status_code == 403 and "Solo jefe-ogtie." in named.content.decode()
    bare = middleware.process_exception(_request(), PermissionDenied())
    assert bare.status_code == 403
    assert "No tiene permiso para ver esta página" in bare.content.decode()


# --- logging ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("audit:event_list"),  # check_role raises Forbidden
        reverse("incidents:incident_list"),  # the view raises PermissionDenied
    ],
)
def test_an_ordinary_403_is_one_log_line_without_traceback(url, caplog):
    client = Client()
    client.force_login(make_user())  # no role
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get(url)
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == [f"Forbidden: {url}"]
    assert records[0].levelno == logging.WARNING
    assert records[0].exc_info is None
