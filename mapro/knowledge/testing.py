"""Helpers for tests (and the URL permission matrix): articles made through the real actions."""

from __future__ import annotations

from typing import Any

from mapro.core.testing import make_user

from . import actions
from .models import Article


def make_article(*, published: bool = True, author: Any = None, **kwargs: Any) -> Article:
    """An article written by ``author`` (a new ``resp-soporte``), published by a new
    ``coord-infraestructura`` unless ``published=False``."""
    values: dict[str, Any] = {
        "title": "La impresora de red no imprime",
        "symptoms": "Los documentos quedan en cola y la impresora no responde.",
        "solution": "Reiniciar la cola de impresión y volver a agregar la impresora.",
        "tags": "impresora, cola",
    }
    values.update(kwargs)
    article = actions.do_create_article(actor=author or make_user("resp-soporte"), **values)
    if published:
        article = actions.do_publish_article(article, actor=make_user("coord-infraestructura"))
    return article


def published_article_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": make_article().pk}


def draft_article_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": make_article(published=False).pk}
