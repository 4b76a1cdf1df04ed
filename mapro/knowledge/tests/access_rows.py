"""Rows of the URL permission matrix for the base de conocimiento."""

from __future__ import annotations

from mapro.core.tests.access_matrix import ANY_USER, Row, roles
from mapro.helpdesk.testing import other_ticket_kwargs
from mapro.knowledge.access import EDITOR_ROLES, REVIEWER_ROLES
from mapro.knowledge.testing import draft_article_kwargs, published_article_kwargs

DESK = roles("operador-mesa", "jefe-ogtie")

ROWS: dict[str, Row] = {
    "knowledge:article_list": Row("html", ANY_USER),
    "knowledge:article_export": Row("html", ANY_USER),
    "knowledge:suggestions": Row("html", ANY_USER),
    "knowledge:article_new": Row("html", EDITOR_ROLES),
    # Employees read published articles; a draft is out of their scope (404).
    "knowledge:article_detail": Row(
        "html", ANY_USER, kwargs=published_article_kwargs, out_of_scope=draft_article_kwargs
    ),
    "knowledge:article_edit": Row("html", EDITOR_ROLES, kwargs=draft_article_kwargs),
    "knowledge:article_publish": Row(
        "html", REVIEWER_ROLES, method="post", kwargs=draft_article_kwargs, ok=(302,)
    ),
    # An empty ticket number is refused after the role check (the linking itself is tested in
    # mapro/knowledge/tests).
    "knowledge:article_link_ticket": Row(
        "html",
        EDITOR_ROLES,
        method="post",
        data={"ticket": ""},
        kwargs=published_article_kwargs,
        ok=(400,),
    ),
    "knowledge:ticket_articles": Row("html", DESK, kwargs=other_ticket_kwargs()),
    "knowledge:ticket_link_article": Row(
        "html", DESK, method="post", data={"article": ""}, kwargs=other_ticket_kwargs(), ok=(302,)
    ),
    "knowledge-api:article-list": Row("api", ANY_USER),
    "knowledge-api:suggestions": Row("api", ANY_USER),
    "knowledge-api:article-detail": Row(
        "api", ANY_USER, kwargs=published_article_kwargs, out_of_scope=draft_article_kwargs
    ),
    # A draft is invisible (404) to whoever is not staff.
    "knowledge-api:article-publish": Row(
        "api", REVIEWER_ROLES, method="post", kwargs=draft_article_kwargs, denied=404
    ),
    "knowledge-api:article-link-ticket": Row(
        "api",
        EDITOR_ROLES,
        method="post",
        data={"ticket": ""},
        kwargs=published_article_kwargs,
        ok=(400,),
    ),
}
