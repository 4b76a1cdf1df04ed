"""HTML pages of the base de conocimiento: search and list (published for everyone, drafts
for the OGTIE staff), the article page (history, links to tickets, review), writing and
editing, the articles of a ticket (linked and suggested, for who attends it), the XLSX export,
and the suggestions the portal shows while a ticket is being opened (htmx)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.core.xlsx import xlsx_response
from mapro.helpdesk.models import Category, Ticket
from mapro.helpdesk.selectors import get_ticket_for_user, visible_ticket_urls

from . import access, actions
from .choices import ArticleStatus
from .filtersets import ArticleFilterSet
from .models import Article, TicketArticleLink
from .selectors import articles_visible_to, get_article_for_user, suggest_articles

PAGE_SIZE = 25
FILTER_KEYS = ("q", "categoria", "estado", "etiqueta")


def _editor_gate(user: Any) -> None:
    if not access.is_editor(user):
        raise PermissionDenied("Escribir y editar artículos corresponde al personal de la OGTIE.")


def _filters(request: HttpRequest) -> ArticleFilterSet:
    data = {k: request.GET.get(k, "") for k in FILTER_KEYS}
    return ArticleFilterSet(data, queryset=articles_visible_to(request.user))


def _categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("path"))


@require_GET
@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    """Search the base (full text) and filter by category, state and tag."""
    filters = _filters(request)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "categories": _categories(),
        "statuses": ArticleStatus.choices,
        "is_editor": access.is_editor(request.user),
    }
    return render(request, "knowledge/article_list.html", context)


EXPORT_HEADERS = [
    "N°",
    "Título",
    "Estado",
    "Categoría",
    "Etiquetas",
    "Síntomas",
    "Solución",
    "Incidente de origen",
    "Ticket de origen",
    "Autor",
    "Revisado por",
    "Publicado",
]


@require_GET
@login_required
def article_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX (what the user may see)."""
    from django.utils import timezone

    rows = [
        [
            a.pk,
            a.title,
            a.get_status_display(),
            a.category.name if a.category else None,
            a.tags or None,
            a.symptoms,
            a.solution,
            a.source_incident.code if a.source_incident else None,
            a.source_ticket.number if a.source_ticket else None,
            a.author_name,
            a.reviewed_by_name or None,
            timezone.localtime(a.published_at).replace(tzinfo=None, microsecond=0)
            if a.published_at
            else None,
        ]
        for a in _filters(request).qs.select_related("source_incident", "source_ticket")
    ]
    return xlsx_response(
        "base-de-conocimiento", EXPORT_HEADERS, rows, sheet_title="Base de conocimiento"
    )


def _form_page(
    request: HttpRequest,
    *,
    article: Article | None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    ticket: Ticket | None = None,
) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    start = article
    if ticket is not None and article is None:
        # Drafting from a ticket: its subject, description and solution as a start.
        start = Article(
            title=ticket.subject,
            symptoms=ticket.description,
            solution=ticket.solution,
            category=ticket.category,
        )
    values = {
        "title": post.get("title", "") if post else (start.title if start else ""),
        "symptoms": post.get("symptoms", "") if post else (start.symptoms if start else ""),
        "solution": post.get("solution", "") if post else (start.solution if start else ""),
        "tags": post.get("tags", "") if post else (start.tags if start else ""),
        "category": post.get("category", "")
        if post
        else (start.category.code if start and start.category else ""),
    }
    context = {
        "article": article,
        "values": values,
        "errors": errors or {},
        "error_list": [m for msgs in (errors or {}).values() for m in msgs],
        "categories": _categories(),
        "ticket": ticket,
    }
    return render(request, "knowledge/article_form.html", context, status=status)


def _category(code: str) -> Category | None:
    code = (code or "").strip()
    if not code:
        return None
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise InvalidInput(errors={"category": ["Elija una categoría de la lista."]})
    return category


def _post(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").replace("\r\n", "\n")


@require_http_methods(["GET", "POST"])
@login_required
def article_new(request: HttpRequest) -> HttpResponse:
    """Write an article (a draft until reviewed); ``?ticket=<número>`` starts from a ticket's
    subject, description and solution and keeps the ticket as its source."""
    _editor_gate(request.user)
    source = request.GET.get("ticket") or request.POST.get("ticket") or ""
    ticket = get_ticket_for_user(request.user, source.strip()) if source.strip() else None
    if request.method == "GET":
        return _form_page(request, article=None, ticket=ticket)
    try:
        article = actions.do_create_article(
            source_ticket=ticket,
            actor=request.user,
            title=_post(request, "title"),
            symptoms=_post(request, "symptoms"),
            solution=_post(request, "solution"),
            category=_category(_post(request, "category")),
            tags=_post(request, "tags"),
        )
    except InvalidInput as exc:
        return _form_page(request, article=None, errors=exc.errors, status=400, ticket=ticket)
    messages.success(request, "Artículo guardado como borrador: falta su revisión.")
    return redirect("knowledge:article_detail", pk=article.pk)


@require_http_methods(["GET", "POST"])
@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an article; a published one returns to draft until reviewed again."""
    _editor_gate(request.user)
    article = get_article_for_user(request.user, pk)
    if request.method == "GET":
        return _form_page(request, article=article)
    try:
        article = actions.do_update_article(
            article,
            actor=request.user,
            title=_post(request, "title"),
            symptoms=_post(request, "symptoms"),
            solution=_post(request, "solution"),
            category=_category(_post(request, "category")),
            tags=_post(request, "tags"),
        )
    except InvalidInput as exc:
        return _form_page(request, article=article, errors=exc.errors, status=400)
    messages.success(request, "Artículo actualizado.")
    return redirect("knowledge:article_detail", pk=article.pk)


def _detail_page(
    request: HttpRequest,
    article: Article,
    *,
    status: int = 200,
    alert: str = "",
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    user = request.user
    editor = access.is_editor(user)
    links = list(article.ticket_links.select_related("ticket")) if editor else []
    # An editor of one team does not see another team's tickets: those are named by their
    # number alone, without a link or their subject (least privilege).
    urls = visible_ticket_urls(user, (link.ticket for link in links))
    for link in links:
        link.ticket_url = urls.get(link.ticket_id)  # type: ignore[attr-defined]
    context = {
        "article": article,
        "links": links,
        "history": history_of(article) if editor else [],
        "can": {
            "edit": editor,
            "publish": access.is_reviewer(user)
            and article.status == ArticleStatus.BORRADOR
            and article.author_id != user.pk,
            "link": editor and article.status == ArticleStatus.PUBLICADO,
        },
        "alert": alert,
        "errors": errors or {},
        "error_list": [m for msgs in (errors or {}).values() for m in msgs],
    }
    return render(request, "knowledge/article_detail.html", context, status=status)


@require_GET
@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An article; the staff also see its history and the tickets it helped with."""
    return _detail_page(request, get_article_for_user(request.user, pk))


def _run(
    request: HttpRequest, article: Article, call: Callable[[], Any], done: str, back: str
) -> HttpResponse:
    try:
        call()
    except InvalidInput as exc:
        return _detail_page(request, article, status=400, errors=exc.errors)
    except Conflict as exc:
        return _detail_page(request, article, status=409, alert=exc.message)
    messages.success(request, done)
    return redirect(back)


@require_POST
@login_required
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Review and publish a draft (a coordinator or the Jefe(a), not the author)."""
    _editor_gate(request.user)
    article = get_article_for_user(request.user, pk)
    return _run(
        request,
        article,
        lambda: actions.do_publish_article(article, actor=request.user),
        "Artículo publicado: el personal ya lo ve y la mesa de ayuda lo sugiere.",
        reverse("knowledge:article_detail", args=[article.pk]),
    )


@require_POST
@login_required
def article_link_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """Link this article to a ticket (by its number) the user attends."""
    _editor_gate(request.user)
    article = get_article_for_user(request.user, pk)
    number = request.POST.get("ticket", "").strip().upper()

    def call() -> None:
        if not number:
            raise InvalidInput(errors={"ticket": ["Indique el número del ticket."]})
        actions.do_link_article_to_ticket(
            get_ticket_for_user(request.user, number), article, actor=request.user
        )

    return _run(
        request,
        article,
        call,
        f"Artículo vinculado al ticket {number}.",
        reverse("knowledge:article_detail", args=[article.pk]),
    )


@require_GET
@login_required
def ticket_articles(request: HttpRequest, number: str) -> HttpResponse:
    """For who attends a ticket: the articles linked to it and the suggested ones, to link."""
    _editor_gate(request.user)
    ticket = get_ticket_for_user(request.user, number)
    linked = list(TicketArticleLink.objects.filter(ticket=ticket).select_related("article"))
    linked_ids = {link.article_id for link in linked}
    suggestions = [
        a for a in suggest_articles(ticket.category, ticket.subject) if a.pk not in linked_ids
    ]
    context = {"ticket": ticket, "links": linked, "suggestions": suggestions}
    return render(request, "knowledge/ticket_articles.html", context)


@require_POST
@login_required
def ticket_link_article(request: HttpRequest, number: str) -> HttpResponse:
    """Link an article (by its N°) to the ticket, from the ticket's articles page."""
    _editor_gate(request.user)
    ticket = get_ticket_for_user(request.user, number)
    if not request.POST.get("article", "").strip():
        messages.error(request, "Indique el N° del artículo que quiere vincular.")
        return redirect("knowledge:ticket_articles", number=ticket.number)
    article = get_article_for_user(request.user, request.POST.get("article", "").strip())
    try:
        actions.do_link_article_to_ticket(ticket, article, actor=request.user)
    except (InvalidInput, Conflict) as exc:
        detail = "; ".join(m for msgs in exc.errors.values() for m in msgs) or exc.message
        messages.error(request, detail)
    else:
        messages.success(request, f"Artículo «{article.title}» vinculado al ticket.")
    return redirect("knowledge:ticket_articles", number=ticket.number)


@require_GET
@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    """htmx: up to five published articles for ``categoria`` (code) and ``q`` (or ``subject``,
    the portal's field name). The answer replaces ``#kb-sugerencias`` out of band, so the
    element that asked needs no target of its own."""
    code = request.GET.get("categoria", "").strip()
    category = Category.objects.filter(code=code, is_active=True).first() if code else None
    text = request.GET.get("q") or request.GET.get("subject") or ""
    articles = suggest_articles(category, text[:300])
    return render(
        request, "knowledge/_suggestions.html", {"articles": articles, "oob": True, "q": text}
    )
