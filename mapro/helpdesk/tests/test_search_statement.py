"""A search's words are written into its statement as a literal quoted by the driver, and in
"Mis solicitudes" the requester's id too (``selectors.search_tickets``, ``own_tickets(written=
True)``; issue #15): a prepared statement's generic plan assumed every word matched 0.5 % of
the tickets, and walked the whole table for a rare word in the console (0.9 s at 1M tickets)
or intersected a requester's 16,031 tickets with a common word's 132,094 in the portal (30–45
ms). A statement without parameters is planned with the values. Quotes, backslashes and SQL in
the text are searched for as text."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from mapro.helpdesk.models import Ticket
from mapro.helpdesk.testing import ticket_in_status

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db

NASTY = (
    "o'higgins",
    "o\\'higgins",
    "x'); DROP TABLE helpdesk_ticket; --",
    "\\",
    "''",
    "$1",
    "100%",
    "%s",
    "%(x)s",
    "{",
    "}",
    "{t}",
    "{0}",
)


@pytest.fixture
def world(org):
    ana, beto = requester_user("DIGEP"), requester_user("DIGEP")
    support = category("soporte-tecnico")
    data = {"category": support, "data": {"ubicacion": "Piso 2"}}
    mine = ticket_in_status(ana.person, "registrado", subject="Impresora de O'Higgins", **data)
    closed = ticket_in_status(ana.person, "cerrado", subject="Impresora vieja", **data)
    theirs = ticket_in_status(beto.person, "registrado", subject="Impresora de Beto", **data)
    return ana, mine, closed, theirs


def _sent(client, url: str, params: dict) -> list[tuple[str, tuple]]:
    sent = []

    def keep(execute, sql, values, many, context):
        if '"helpdesk_ticket"."number"' in sql and "LIMIT" in sql:  # the list's page
            sent.append((sql, tuple(values or ())))
        return execute(sql, values, many, context)

    with connection.execute_wrapper(keep):
        response = client.get(url, params)
    assert response.status_code == 200
    return sent


def test_the_portal_finds_a_quoted_word_and_only_the_requesters(world, client):
    ana, mine, closed, theirs = world
    client.force_login(ana)
    url = reverse("helpdesk:my_tickets")
    page = client.get(url, {"ver": "todas", "q": "impresora"}).content.decode()
    assert mine.number in page and closed.number in page and theirs.number not in page
    page = client.get(url, {"ver": "abiertas", "q": "impresora"}).content.decode()
    assert mine.number in page and closed.number not in page
    for text in NASTY:
        page = client.get(url, {"ver": "todas", "q": text}).content.decode()
        assert theirs.number not in page
    assert Ticket.objects.count() == 3
    page = client.get(url, {"ver": "todas", "q": "o'higgins"}).content.decode()
    assert mine.number in page and closed.number not in page


def test_the_console_searches_quotes_as_text(world, client):
    _ana, mine, _closed, theirs = world
    client.force_login(staff_user("operador-mesa", "OGTIE"))
    url = reverse("helpdesk:console_queue")
    for text in NASTY:
        assert client.get(url, {"q": text}).status_code == 200
    assert Ticket.objects.count() == 3
    page = client.get(url, {"q": "o'higgins"}).content.decode()
    assert mine.number in page and theirs.number not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements of PostgreSQL")
def test_postgresql_a_search_statement_has_no_parameter(world, client):
    """Without parameters, no plan of it is made for "any requester" or "any word"."""
    ana, _mine, _closed, _theirs = world
    client.force_login(ana)
    for view in ("todas", "abiertas"):
        ((sql, params),) = _sent(
            client, reverse("helpdesk:my_tickets"), {"ver": view, "q": "o'higgins"}
        )
        assert params == (), sql
        assert "websearch_to_tsquery('spanish', 'o''higgins')" in sql
        assert f'requester_id" = {ana.person.pk}' in sql or f"requester_id = {ana.person.pk}" in sql
    # The list without a search keeps the requester as a parameter (one statement for all).
    ((sql, params),) = _sent(client, reverse("helpdesk:my_tickets"), {"ver": "todas"})
    assert ana.person.pk in params
    client.force_login(staff_user("operador-mesa", "OGTIE"))
    ((sql, params),) = _sent(client, reverse("helpdesk:console_queue"), {"q": "impresora"})
    assert params == (), sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements of PostgreSQL")
@pytest.mark.parametrize("text", ["50% {t}", "%s", "%(x)s {0}", "}{"])
def test_postgresql_percent_signs_and_braces_reach_the_search_as_typed(world, text):
    from mapro.helpdesk.selectors import search_tickets

    qs = search_tickets(Ticket.objects.all(), text)
    quoted = "'" + text.replace("'", "''") + "'"
    # str(query) interpolates the parameters as the driver would: the literal is the text.
    assert f"websearch_to_tsquery('spanish', {quoted})" in str(qs.query)
    assert list(qs) == []  # and PostgreSQL runs it
