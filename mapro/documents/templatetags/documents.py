"""Template tags of the documents app: the instance page's list of documents."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import documents_of_instance, issues_documents, step_issued_documents

register = template.Library()


@register.simple_tag
def instance_documents(instance: Any, user: Any, timeline: Any = None) -> list[Any]:
    """The documents of ``instance`` that ``user`` may read (empty for anyone else).

    No query (issue #15) for a procedure none of whose steps issues a document, nor, given the
    page's ``timeline`` (entries with their ``record``), for an instance none of whose
    completed steps carried a ``{document: …}`` effect yet."""
    if instance is None or not getattr(user, "is_authenticated", False):
        return []
    if not issues_documents(instance.procedure_version.ficha):
        return []
    if timeline is not None and not step_issued_documents(e.get("record") for e in timeline):
        return []
    return documents_of_instance(user, instance)
