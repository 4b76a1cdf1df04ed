"""Every change to the base de conocimiento: write, edit, publish an article, link it to a
ticket. One transaction each; role checked (``access``), input validated (all problems at once,
by field), audit event written. ``engine_checked=True`` is for the procedure step that drafts an
article (S04.04.00.03 act. 12): the engine already checked the completer's role."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput, InvalidTransition
from mapro.helpdesk import access as desk_access
from mapro.helpdesk.actions import do_comment_ticket
from mapro.helpdesk.choices import Status

from . import access
from .choices import ArticleStatus
from .models import Article, TicketArticleLink

TITLE_MAX = 300
TAGS_MAX = 300


def normalize_tags(tags: str | list[str] | None) -> str:
    """Lower-case, de-duplicated tags joined by ", " (commas or semicolons separate them)."""
    parts = tags if isinstance(tags, list) else re.split(r"[,;]", tags or "")
    seen: dict[str, None] = {}
    for part in parts:
        tag = " ".join(str(part).split()).lower()
        if tag:
            seen.setdefault(tag, None)
    return ", ".join(seen)


def _validated(title: str, symptoms: str, solution: str, tags: Any) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    symptoms = (symptoms or "").strip()
    solution = (solution or "").strip()
    tags = normalize_tags(tags)
    if not title:
        errors["title"] = ["Indique el título del artículo."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"El título no puede pasar de {TITLE_MAX} caracteres."]
    if not symptoms:
        errors["symptoms"] = ["Describa los síntomas (cómo se presenta el problema)."]
    if not solution:
        errors["solution"] = ["Describa la solución."]
    if len(tags) > TAGS_MAX:
        errors["tags"] = [f"Las etiquetas no pueden pasar de {TAGS_MAX} caracteres."]
    if errors:
        raise InvalidInput(errors=errors)
    return {"title": title, "symptoms": symptoms, "solution": solution, "tags": tags}


def _audit_fields(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "status": article.status,
        "category": article.category.code if article.category else None,
        "tags": article.tags,
    }


def do_create_article(
    *,
    actor: Any,
    title: str,
    symptoms: str,
    solution: str,
    category: Any = None,
    tags: Any = "",
    source_incident: Any = None,
    source_ticket: Any = None,
    engine_checked: bool = False,
) -> Article:
    """Write an article as a draft (``borrador``): title, symptoms and solution are required."""
    if not engine_checked and not access.is_editor(actor):
        raise Forbidden("Su rol no permite escribir artículos de la base de conocimiento.")
    values = _validated(title, symptoms, solution, tags)
    with transaction.atomic():
        article = Article.objects.create(
            **values,
            category=category,
            source_incident=source_incident,
            source_ticket=source_ticket,
            author=actor,
            author_name=actor_name(actor),
        )
        record_event(
            actor=actor,
            action="article.create",
            obj=article,
            after={
                **_audit_fields(article),
                "source_incident": source_incident.code if source_incident else None,
                "source_ticket": source_ticket.number if source_ticket else None,
            },
        )
    return article


def do_update_article(
    article: Article,
    *,
    actor: Any,
    title: str,
    symptoms: str,
    solution: str,
    category: Any = None,
    tags: Any = "",
) -> Article:
    """Edit an article. A published article goes back to ``borrador``: the change is reviewed
    before employees see it again."""
    if not access.is_editor(actor):
        raise Forbidden("Su rol no permite editar artículos de la base de conocimiento.")
    values = _validated(title, symptoms, solution, tags)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        before = _audit_fields(locked)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.category = category
        if locked.status == ArticleStatus.PUBLICADO:
            locked.status = ArticleStatus.BORRADOR
            locked.reviewed_by, locked.reviewed_by_name, locked.published_at = None, "", None
        locked.save()
        after = _audit_fields(locked)
        record_event(
            actor=actor,
            action="article.update",
            obj=locked,
            before={k: v for k, v in before.items() if after[k] != v},
            after={
                **{k: v for k, v in after.items() if before[k] != v},
                **({"solution": locked.solution} if values["solution"] else {}),
            },
        )
    return locked


def do_publish_article(article: Article, *, actor: Any) -> Article:
    """Publish a reviewed draft: a coordinator or the Jefe(a), who is not its author. Employees
    see it from now on and the help desk suggests it."""
    if not access.is_reviewer(actor):
        raise Forbidden("Publicar (revisar) artículos corresponde a los coordinadores y al Jefe.")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status == ArticleStatus.PUBLICADO:
            raise InvalidTransition("El artículo ya está publicado.")
        if actor is not None and locked.author_id == actor.pk:
            raise Forbidden(
                "Quien escribió el artículo no puede revisarlo: lo publica otra persona."
            )
        locked.status = ArticleStatus.PUBLICADO
        locked.reviewed_by = actor
        locked.reviewed_by_name = actor_name(actor)
        locked.published_at = timezone.now()
        locked.save()
        record_event(
            actor=actor,
            action="article.publish",
            obj=locked,
            before={"status": ArticleStatus.BORRADOR},
            after={"status": ArticleStatus.PUBLICADO, "reviewed_by": locked.reviewed_by_name},
        )
    return locked


def do_link_article_to_ticket(ticket: Any, article: Article, *, actor: Any) -> TicketArticleLink:
    """Link a published article to a ticket the actor attends (desk, team or assignee), and
    note it in the ticket's log. Linking twice is a 409."""
    if actor is not None and not desk_access.can_handle(actor, ticket):
        raise Forbidden("Solo quien atiende el ticket puede vincularle artículos.")
    if article.status != ArticleStatus.PUBLICADO:
        raise InvalidInput(errors={"article": ["Solo se vinculan artículos publicados."]})
    try:
        with transaction.atomic():
            link = TicketArticleLink.objects.create(
                ticket=ticket, article=article, linked_by=actor, linked_by_name=actor_name(actor)
            )
            record_event(
                actor=actor,
                action="article.link_ticket",
                obj=article,
                after={"ticket": ticket.number, "article": article.pk},
            )
            if ticket.status != Status.CERRADO:  # a closed ticket's log takes no notes
                do_comment_ticket(
                    ticket,
                    actor=None,
                    body=f"Artículo de la base de conocimiento vinculado: «{article.title}» "
                    f"(N° {article.pk}), por {link.linked_by_name}.",
                    internal=True,
                )
    except IntegrityError:
        raise Conflict("Ese artículo ya está vinculado al ticket.") from None
    return link
