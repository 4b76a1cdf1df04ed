"""The list pages' shared pieces: core/_pages.html keeps the filters on every page link, and
core/_filters.html shows each field with its error announced and "Limpiar" to the bare page."""

from __future__ import annotations

import django_filters
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from mapro.core.filtersets import FilterSet
from mapro.organization.models import Unit


def test_the_pager_keeps_the_filters_and_names_the_page() -> None:
    page = Paginator(list(range(7)), 2).get_page(2)
    html = render_to_string("core/_pages.html", {"page": page, "query": "estado=abierto"})
    assert 'href="?estado=abierto&amp;pagina=1"' in html
    assert 'href="?estado=abierto&amp;pagina=3"' in html
    assert "Página 2 de 4" in html


def test_one_page_shows_no_pager() -> None:
    page = Paginator([1], 2).get_page(1)
    assert "Páginas" not in render_to_string("core/_pages.html", {"page": page, "query": ""})


class _Numbers(FilterSet):
    desde = django_filters.NumberFilter(label="Desde")


def test_the_filters_show_each_error_as_an_alert_and_clear_to_the_bare_page() -> None:
    request = RequestFactory().get("/registros/", {"desde": "uno"})
    filterset = _Numbers(request.GET, queryset=Unit.objects.none())
    assert not filterset.is_valid()
    html = render_to_string("core/_filters.html", {"filterset": filterset}, request=request)
    assert 'for="id_desde"' in html and ">Desde</label>" in html
    assert 'role="alert">Introduzca un número.</div>' in html
    assert 'href="/registros/"' in html
