"""The base de conocimiento: roles, drafts vs published, review, search, ticket links, the
suggestions while a ticket is opened and the draft written by S04.04.00.03 act. 12."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput, InvalidTransition
from mapro.core.testing import ensure_unit, make_user
from mapro.core.xlsx import read_xlsx
from mapro.helpdesk.models import Category, TicketAction
from mapro.helpdesk.testing import ticket_in_status
from mapro.knowledge import actions
from mapro.knowledge.choices import ArticleStatus
from mapro.knowledge.models import Article, TicketArticleLink
from mapro.knowledge.selectors import articles_visible_to, search_articles, suggest_articles
from mapro.knowledge.testing import make_article

pytestmark = pytest.mark.django_db

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="necesita PostgreSQL (DATABASE_URL)"
)


def web(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def categories(db):
    ogtie = ensure_unit("OGTIE")
    cuentas = Category.objects.create(code="cuentas", name="Cuentas y accesos", team=ogtie)
    vpn = Category.objects.create(code="vpn", name="Acceso VPN", team=ogtie, parent=cuentas)
    printers = Category.objects.create(code="impresoras", name="Impresoras", team=ogtie)
    return {"cuentas": cuentas, "vpn": vpn, "impresoras": printers}


# --- writing, review, visibility ----------------------------------------------------------


def test_staff_write_drafts_and_employees_see_only_published(categories):
    writer = make_user("resp-soporte")
    draft = actions.do_create_article(
        actor=writer,
        title="VPN no conecta tras cambio de clave",
        symptoms="Error 691 al conectar.",
        solution="Actualizar la clave guardada en el cliente VPN.",
        category=categories["vpn"],
        tags="VPN; Clave, vpn",
    )
    assert draft.status == ArticleStatus.BORRADOR and draft.tags == "vpn, clave"
    assert AuditEvent.objects.filter(action="article.create", object_id=str(draft.pk)).exists()
    employee = make_user("personal")
    assert draft not in articles_visible_to(employee)
    url = reverse("knowledge:article_detail", args=[draft.pk])
    assert web(employee).get(url).status_code == 404
    assert web(writer).get(url).status_code == 200
    published = actions.do_publish_article(draft, actor=make_user("coord-infraestructura"))
    assert published.reviewed_by_name and published.published_at
    assert web(employee).get(url).status_code == 200


@pytest.mark.parametrize("role", ["personal", "director-uo", "cgd"])
def test_writing_needs_an_ogtie_role(categories, role):
    with pytest.raises(Forbidden):
        actions.do_create_article(actor=make_user(role), title="x", symptoms="y", solution="z")
    response = web(make_user(role)).post(
        reverse("knowledge:article_new"), {"title": "x", "symptoms": "y", "solution": "z"}
    )
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_bad_input_names_each_missing_item_and_creates_nothing(categories):
    writer = make_user("tecnico-especialista")
    with pytest.raises(InvalidInput) as exc:
        actions.do_create_article(actor=writer, title=" ", symptoms="", solution="")
    assert set(exc.value.errors) == {"title", "symptoms", "solution"}
    response = web(writer).post(
        reverse("knowledge:article_new"),
        {"title": "Sin solución", "symptoms": "Algo", "solution": "", "category": "no-existe"},
    )
    assert response.status_code == 400
    assert "Elija una categoría de la lista." in response.content.decode()
    response = api(writer).post(
        "/api/v1/knowledge/articles/", {"title": "T", "symptoms": "", "solution": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"symptoms", "solution"}
    assert not Article.objects.exists()


def test_review_rules(categories):
    coord = make_user("coord-ciberseguridad")
    own = make_article(published=False, author=coord)
    with pytest.raises(Forbidden):
        actions.do_publish_article(own, actor=coord)  # not one's own
    with pytest.raises(Forbidden):
        actions.do_publish_article(own, actor=make_user("tecnico-especialista"))
    response = web(make_user("resp-soporte")).post(
        reverse("knowledge:article_publish", args=[own.pk])
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == ArticleStatus.BORRADOR
    published = actions.do_publish_article(own, actor=make_user("jefe-ogtie"))
    with pytest.raises(InvalidTransition):
        actions.do_publish_article(published, actor=make_user("jefe-ogtie"))


def test_editing_a_published_article_sends_it_back_to_review(categories):
    article = make_article()
    editor = make_user("operador-mesa")
    response = web(editor).post(
        reverse("knowledge:article_edit", args=[article.pk]),
        {
            "title": article.title,
            "symptoms": article.symptoms,
            "solution": "Nueva solución: actualizar el controlador.",
            "category": "impresoras",
            "tags": "impresora",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.BORRADOR and article.reviewed_by is None
    assert article.category == categories["impresoras"]
    bad = web(editor).post(
        reverse("knowledge:article_edit", args=[article.pk]),
        {"title": "", "symptoms": "", "solution": ""},
    )
    assert bad.status_code == 400
    article.refresh_from_db()
    assert article.title == "La impresora de red no imprime"


# --- search --------------------------------------------------------------------------------


def test_search_finds_by_words_in_any_field(categories):
    printer = make_article()
    vpn = make_article(
        title="VPN no conecta",
        symptoms="Error 691 al conectar desde casa.",
        solution="Actualizar la clave del cliente.",
        tags="vpn",
    )
    qs = articles_visible_to(make_user("personal"))
    assert list(search_articles(qs, "impresora cola")) == [printer]
    assert list(search_articles(qs, "conectar")) == [vpn]
    assert list(search_articles(qs, "impresora vpn")) == []
    page = web(make_user("personal")).get(reverse("knowledge:article_list") + "?q=conectar")
    content = page.content.decode()
    assert "VPN no conecta" in content and "La impresora de red" not in content


@requires_postgres
@pytest.mark.postgres
def test_search_uses_spanish_stemming_on_postgresql(categories):
    printer = make_article()
    qs = articles_visible_to(make_user("personal"))
    # "impresoras" (plural) and "documento" stem to the article's "impresora"/"documentos".
    assert list(search_articles(qs, "impresoras documento")) == [printer]


# --- suggestions -----------------------------------------------------------------------------


def test_suggestions_put_the_matching_article_first_and_never_drafts(categories):
    vpn = categories["vpn"]
    in_category = make_article(
        title="Solicitar acceso VPN",
        symptoms="Necesito trabajar desde casa.",
        solution="Pedirlo con el formato firmado.",
        category=vpn,
        tags="vpn",
    )
    matching = make_article(
        title="Error 691 al conectar la VPN",
        symptoms="El cliente muestra error 691 y no conecta.",
        solution="Actualizar la clave guardada.",
        category=categories["cuentas"],  # the parent of "vpn": counts as the category too
    )
    elsewhere = make_article(
        title="Error 691 en impresora",
        symptoms="La impresora muestra error 691.",
        solution="Reiniciar.",
        category=categories["impresoras"],
    )
    draft = make_article(
        published=False,
        title="Error 691 conectar VPN (borrador)",
        symptoms="error 691",
        solution="x",
        category=vpn,
    )
    suggested = suggest_articles(vpn, "Error 691 al conectar")
    assert suggested[0] == matching
    assert draft not in suggested
    assert suggested.index(matching) < suggested.index(elsewhere) < suggested.index(in_category)
    # Without text: the category's articles (and its parent's), never drafts.
    assert set(suggest_articles(vpn, "")) == {in_category, matching}
    assert suggest_articles(None, "") == []


def test_suggestions_are_at_most_five(categories):
    for i in range(7):
        make_article(title=f"Impresora piso {i}", category=categories["impresoras"])
    assert len(suggest_articles(categories["impresoras"], "impresora")) == 5


def test_suggestions_endpoint_answers_out_of_band_html_and_json(categories):
    matching = make_article(title="VPN no conecta", category=categories["vpn"], tags="vpn")
    make_article(published=False, title="VPN borrador", category=categories["vpn"])
    employee = make_user("personal")
    response = web(employee).get(
        reverse("knowledge:suggestions"),
        {"categoria": "vpn", "subject": "La VPN no conecta"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="kb-sugerencias"' in content and 'hx-swap-oob="true"' in content
    assert "VPN no conecta" in content and "VPN borrador" not in content
    body = api(employee).get("/api/v1/knowledge/suggestions/?categoria=vpn&q=conecta").json()
    assert [a["id"] for a in body] == [matching.pk]


def test_the_new_ticket_form_asks_for_suggestions(categories):
    page = web(make_user("personal")).get(reverse("helpdesk:ticket_new_form", args=["vpn"]))
    content = page.content.decode()
    url = reverse("knowledge:suggestions")
    assert f'hx-get="{url}?categoria=vpn"' in content  # the subject field, on change
    assert 'id="kb-sugerencias"' in content and 'hx-trigger="load"' in content


# --- links to tickets ------------------------------------------------------------------------


def test_whoever_attends_a_ticket_links_articles_to_it(categories):
    article = make_article()
    requester = make_user("personal")
    ticket = ticket_in_status(requester.person, "en_atencion")
    desk = make_user("operador-mesa")
    console = web(desk).get(reverse("helpdesk:console_ticket", args=[ticket.number]))
    assert reverse("knowledge:ticket_articles", args=[ticket.number]) in console.content.decode()
    page = web(desk).get(reverse("knowledge:ticket_articles", args=[ticket.number]))
    assert page.status_code == 200
    response = web(desk).post(
        reverse("knowledge:ticket_link_article", args=[ticket.number]), {"article": article.pk}
    )
    assert response.status_code == 302
    link = TicketArticleLink.objects.get()
    assert (link.ticket, link.article, link.linked_by) == (ticket, article, desk)
    note = TicketAction.objects.filter(ticket=ticket).order_by("-id").first()
    assert article.title in note.body and not note.visible_to_requester
    with pytest.raises(Conflict):
        actions.do_link_article_to_ticket(ticket, article, actor=desk)
    # The requester does not attend the ticket; employees never reach the console pages.
    with pytest.raises(Forbidden):
        actions.do_link_article_to_ticket(ticket, make_article(title="Otro"), actor=requester)
    assert (
        web(requester).get(reverse("knowledge:ticket_articles", args=[ticket.number])).status_code
        == 403
    )
    assert TicketArticleLink.objects.count() == 1


def test_linking_a_draft_or_an_unseen_ticket_changes_nothing(categories):
    draft = make_article(published=False)
    published = make_article(title="Publicado")
    ticket = ticket_in_status(make_user("personal").person, "asignado")
    desk = make_user("jefe-ogtie")
    with pytest.raises(InvalidInput) as exc:
        actions.do_link_article_to_ticket(ticket, draft, actor=desk)
    assert list(exc.value.errors) == ["article"]
    # A team member outside the ticket's team does not see it: 404.
    other_team = make_user(
        "analista-programador", unit=ensure_unit("OGTIE-SIS", parent=ensure_unit("OGTIE"))
    )
    response = api(other_team).post(
        f"/api/v1/knowledge/articles/{published.pk}/links/",
        {"ticket": ticket.number},
        format="json",
    )
    assert response.status_code == 404
    response = api(desk).post(
        f"/api/v1/knowledge/articles/{published.pk}/links/",
        {"ticket": ticket.number},
        format="json",
    )
    assert response.status_code == 201
    assert TicketArticleLink.objects.count() == 1


def test_export_reads_back_what_the_list_shows(categories):
    make_article(title="=SUMA(A1)", category=categories["impresoras"])
    make_article(published=False, title="Borrador")
    response = web(make_user("personal")).get(reverse("knowledge:article_export"))
    headers, rows = read_xlsx(response.content)
    assert headers[:3] == ["N°", "Título", "Estado"]
    assert [(r[1], r[2], r[3]) for r in rows] == [("=SUMA(A1)", "Publicado", "Impresoras")]


def test_list_queries_do_not_grow_with_the_rows(categories):
    from django.test.utils import CaptureQueriesContext

    client = web(make_user("operador-mesa"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("knowledge:article_list")).status_code == 200
        return len(ctx.captured_queries)

    make_article(category=categories["vpn"])
    small = count()
    for i in range(5):
        make_article(title=f"Artículo {i}", category=categories["impresoras"])
    assert count() == small


def test_an_article_drafted_from_a_ticket_keeps_it_as_source(categories):
    ticket = ticket_in_status(make_user("personal").person, "resuelto")
    desk = make_user("operador-mesa")
    url = reverse("knowledge:article_new")
    form = web(desk).get(url, {"ticket": ticket.number}).content.decode()
    assert ticket.subject in form and "Se reinició el servicio." in form
    response = web(desk).post(
        url,
        {
            "ticket": ticket.number,
            "title": "Correo que no sincroniza",
            "symptoms": ticket.description,
            "solution": "Se reinició el servicio.",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.source_ticket == ticket and article.status == ArticleStatus.BORRADOR
    # A ticket the user does not see cannot be the source.
    other = make_user(
        "analista-programador", unit=ensure_unit("OGTIE-SIS", parent=ensure_unit("OGTIE"))
    )
    assert web(other).get(url, {"ticket": ticket.number}).status_code == 404
