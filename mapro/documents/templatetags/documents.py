"""Template tags of the documents app: the instance page's list of documents."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import documents_of_instance, issues_documents

register = template.Library()


@register.simple_tag
def instance_documents(instance: Any, user: Any) -> list[Any]:
    """The documents of ``instance`` that ``user`` may read (empty for anyone else)."""
    if instance is None or not getattr(user, "is_authenticated", False):
        return []
    if not issues_documents(instance.procedure_version.ficha):
        return []  # no query for a procedure none of whose steps issues a document (#15)
    return documents_of_instance(user, instance)
