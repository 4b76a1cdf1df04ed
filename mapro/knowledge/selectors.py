"""Read queries of the base de conocimiento: visibility, search and the suggestions the help
desk shows when a ticket is opened.

Search: PostgreSQL full-text with the ``spanish`` configuration (stemming: "impresoras" finds
"impresora"; stop words dropped), weighting the title and tags (A) over the symptoms (B) and the
solution (C). SQLite (the embedded demo) falls back to ``icontains`` on the same fields.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, FloatField, Q, QuerySet
from django.db.models.functions import Cast

from mapro.core.exceptions import NotFound

from . import access
from .choices import ArticleStatus
from .models import Article

SUGGESTION_LIMIT = 5
#: Words shorter than this, or in this list, do not count for the SQLite fallback.
MIN_WORD = 3
STOP_WORDS = frozenset(
    [
        "con",
        "del",
        "los",
        "las",
        "una",
        "uno",
        "unos",
        "unas",
        "por",
        "para",
        "que",
        "como",
        "mas",
        "pero",
        "sus",
        "desde",
        "hasta",
        "sin",
        "sobre",
        "entre",
        "esta",
        "este",
        "esto",
        "estos",
        "estas",
        "ese",
        "esa",
        "eso",
        "muy",
        "ya",
        "no",
        "se",
        "al",
        "el",
        "la",
        "lo",
        "le",
        "les",
        "mi",
        "mis",
        "tu",
    ]
)
_WORD = re.compile(r"\w+", re.UNICODE)


class ArticleNotFound(NotFound):
    default_message = "No existe ese artículo o no está publicado."


def articles_visible_to(user: Any) -> QuerySet[Article]:
    """Editors see every article; everyone else only the published ones."""
    qs = Article.objects.select_related("category")
    if access.is_editor(user):
        return qs
    return qs.filter(status=ArticleStatus.PUBLICADO)


def get_article_for_user(user: Any, pk: Any) -> Article:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise ArticleNotFound() from None
    article = articles_visible_to(user).filter(pk=key).first()
    if article is None:
        raise ArticleNotFound()
    return article


def _vector() -> Any:
    return (
        SearchVector("title", weight="A", config="spanish")
        + SearchVector("tags", weight="A", config="spanish")
        + SearchVector("symptoms", weight="B", config="spanish")
        + SearchVector("solution", weight="C", config="spanish")
    )


def words(text: str) -> list[str]:
    """The significant words of ``text`` (at most 12), lower-case, in order."""
    found: dict[str, None] = {}
    for word in _WORD.findall((text or "").lower()):
        if len(word) >= MIN_WORD and word not in STOP_WORDS and not word.isdigit():
            found.setdefault(word, None)
    return list(found)[:12]


def _any_word_q(terms: list[str]) -> Q:
    q = Q()
    for word in terms:
        q |= (
            Q(title__icontains=word)
            | Q(tags__icontains=word)
            | Q(symptoms__icontains=word)
            | Q(solution__icontains=word)
        )
    return q


def search_articles(qs: QuerySet[Article], text: str) -> QuerySet[Article]:
    """Articles of ``qs`` matching ``text``, best first. PostgreSQL: ``websearch_to_tsquery``
    (quotes, ``or``, ``-palabra``) ranked by ``ts_rank``; SQLite: every word appears."""
    text = (text or "").strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="spanish", search_type="websearch")
        vector = _vector()
        return (
            # float8, so that a page cursor holding the rank compares equal (ts_rank is float4)
            qs.annotate(search=vector, rank=Cast(SearchRank(vector, query), FloatField()))
            .filter(search=query)
            .order_by("-rank", "-updated_at", "-id")
        )
    for word in words(text) or text.lower().split()[:12]:
        qs = qs.filter(_any_word_q([word]))
    return qs


def _category_ids(category: Any) -> list[int]:
    """The category and the categories above it (an article on "Cuentas" helps with "VPN")."""
    if category is None:
        return []
    return list(category.ancestors_and_self())


def suggest_articles(category: Any, text: str, *, limit: int = SUGGESTION_LIMIT) -> list[Article]:
    """The top published articles for a ticket being opened with ``category`` and subject
    ``text``: those matching the text first (matching the category too before matching only the
    text, then by relevance), then the category's own, newest first. Drafts never appear."""
    published = Article.objects.filter(status=ArticleStatus.PUBLICADO).select_related("category")
    categories = _category_ids(category)
    terms = words(text)
    in_category = Q(category_id__in=categories) if categories else Q(pk__in=[])
    if not terms:
        if not categories:
            return []
        return list(published.filter(in_category).order_by("-published_at", "-id")[:limit])
    if connection.vendor == "postgresql":
        query = SearchQuery(terms[0], config="spanish")
        for word in terms[1:]:
            query |= SearchQuery(word, config="spanish")
        vector = _vector()
        rows: list[Any] = list(
            published.annotate(
                search=vector,
                rank=SearchRank(vector, query),
                matched=ExpressionWrapper(Q(search=query), output_field=BooleanField()),
            )
            .filter(Q(search=query) | in_category)
            .order_by("-rank", "-published_at")[:200]
        )
        scored = [(bool(a.matched), float(a.rank), a) for a in rows]
    else:
        rows = list(published.filter(_any_word_q(terms) | in_category)[:200])
        scored = []
        for article in rows:
            haystack = " ".join(
                (article.title, article.title, article.tags, article.symptoms, article.solution)
            ).lower()
            hits = sum(haystack.count(word) for word in terms)
            scored.append((hits > 0, float(hits), article))
    scored.sort(
        key=lambda item: (
            not item[0],
            item[2].category_id not in categories,
            -item[1],
            -(item[2].published_at.timestamp() if item[2].published_at else 0),
            -item[2].pk,
        )
    )
    return [article for _, _, article in scored[:limit]]
