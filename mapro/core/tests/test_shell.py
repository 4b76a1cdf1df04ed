"""The UI shell: layout, home page, menu and error pages in Spanish."""

import pytest
from django.test import Client
from django.urls import include, path, reverse

from mapro.core import menu
from mapro.core.testing import make_user

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


def test_home_requires_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={HOME}"


def test_layout_is_accessible_spanish_and_responsive(client):
    user = make_user("operador-mesa")
    client.force_login(user)
    html = client.get(HOME).content.decode()
    assert '<html lang="es-PE">' in html
    assert 'name="viewport"' in html
    assert '<a class="visually-hidden-focusable skip-link" href="#contenido">' in html
    assert '<main id="contenido"' in html
    assert 'aria-label="Navegación principal"' in html
    assert 'data-bs-toggle="collapse"' in html  # the collapsible menu on phones
    assert 'aria-current="page"' in html  # "Inicio" marked as the current page
    assert "Cerrar sesión" in html
    assert user.get_full_name() in html
    assert "operador-mesa" in html
    assert "vendor/bootstrap/bootstrap.min.css" in html
    assert "vendor/htmx/htmx.min.js" in html
    assert "X-CSRFToken" in html  # htmx requests carry the CSRF token


def test_home_lists_roles_with_names_and_scope(client):
    ogtie_user = make_user("operador-mesa")
    client.force_login(ogtie_user)
    response = client.get(HOME)
    assert [r["code"] for r in response.context["roles"]] == ["operador-mesa"]

    from mapro.core.testing import ensure_unit

    unit = ensure_unit("DIGEP", "Dirección General de Educación")
    director = make_user("director-uo", unit=unit)
    client.force_login(director)
    roles = client.get(HOME).context["roles"]
    assert roles[0]["code"] == "director-uo"
    assert roles[0]["unit"] == unit


def test_user_without_roles_is_told_so(client):
    client.force_login(make_user())
    assert "No tiene roles asignados" in client.get(HOME).content.decode()


def test_menu_shows_admin_only_to_staff(client):
    admin_url = reverse("admin:index")
    client.force_login(make_user("operador-mesa"))
    assert admin_url not in client.get(HOME).content.decode()
    client.force_login(make_user(is_staff=True))
    assert admin_url in client.get(HOME).content.decode()


def test_menu_filters_by_role_and_skips_missing_pages(monkeypatch):
    entries = [
        menu.MenuEntry("Mesa", "core:home", "Solo mesa", roles=frozenset({"operador-mesa"})),
        menu.MenuEntry("Fantasma", "no-existe:todavia", "Página que aún no existe"),
        menu.MenuEntry("Todos", "core:home", "Cualquiera con sesión"),
    ]
    monkeypatch.setattr(menu, "ENTRIES", entries)
    assert [i.label for i in menu.menu_for(make_user("operador-mesa"))] == ["Mesa", "Todos"]
    assert [i.label for i in menu.menu_for(make_user("resp-soporte"))] == ["Todos"]
    from django.contrib.auth.models import AnonymousUser

    assert menu.menu_for(AnonymousUser()) == []


def test_navbar_gathers_grouped_entries_into_one_drop_down(client):
    user = make_user("jefe-ogtie")
    entries = menu.navbar_for(user)
    (group,) = [e for e in entries if isinstance(e, menu.NavGroup)]
    assert group.label == "Registros"
    labels = [i.label for i in group.items]
    assert "Auditoría" in labels and "Incidentes" in labels
    assert not any(isinstance(e, menu.MenuItem) and e.group for e in entries)
    client.force_login(user)
    page = client.get(HOME).content.decode()
    assert 'class="nav-link dropdown-toggle"' in page and ">Registros</a>" in page
    # A user who may open only one grouped page sees it as a plain link, not a drop-down.
    single = menu.navbar_for(make_user("director-uo"))
    assert not any(isinstance(e, menu.NavGroup) and len(e.items) < 2 for e in single)


def _boom(request):
    raise RuntimeError("falla de prueba")


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


# The project's URLs plus two views that fail (the layout needs the project's URL names).
urlpatterns = [
    path("boom/", _boom),
    path("prohibido/", _forbidden),
    path("", include("mapro.urls")),
]


def test_404_page_is_spanish(client):
    client.force_login(make_user())
    response = client.get("/no-existe-esta-pagina/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_an_api_address_no_view_matches_is_a_json_404(client):
    client.force_login(make_user())
    for address in ("/api/v1/documents/-1/sign/", "/api/v1/no-existe/"):
        response = client.post(address)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "No encontrado."}


@pytest.mark.urls("mapro.core.tests.test_shell")
def test_403_page_is_spanish(client):
    client.force_login(make_user())
    response = client.get("/prohibido/")
    assert response.status_code == 403
    assert "Acceso denegado" in response.content.decode()


@pytest.mark.urls("mapro.core.tests.test_shell")
def test_500_page_is_spanish():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Error del servidor" in html
    assert 'lang="es-PE"' in html


def test_csrf_failure_page_is_spanish():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Solicitud rechazada" in response.content.decode()
