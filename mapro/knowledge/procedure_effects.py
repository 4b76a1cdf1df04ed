"""The post-incident step that writes the base de conocimiento (registered in
``KnowledgeConfig``): ``{register: "Base de conocimiento"}`` of S04.04.00.03 act. 12 ("El
registro en la base de conocimiento").

``handle_knowledge_effect`` drafts one article per instance from the step's answers: title
``articulo_base_conocimiento`` (else "Incidente <código>: <título>"), symptoms the incident's
description (else the step's), solution ``solucion`` with the ``lecciones_aprendidas``; the
category is the help-desk category of the procedure, the tags the incident's kind and category;
source: the instance's incident (the matrix row, written by the effect before this one) and
ticket. It stays a draft (``borrador``) until a coordinator reviews and publishes it.
"""

from __future__ import annotations

from typing import Any

from mapro.helpdesk.selectors import category_for_procedure
from mapro.incidents.selectors import incident_of_instance
from mapro.procedures.effects import EffectCall, Outcome

from .actions import do_create_article
from .models import Article

KNOWLEDGE_BASE = "Base de conocimiento"


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def handle_knowledge_effect(call: EffectCall) -> Outcome:
    """Draft the article of the instance (once)."""
    incident = incident_of_instance(call.instance)
    existing = (
        Article.objects.filter(source_incident=incident).first() if incident is not None else None
    )
    if existing is not None:
        return Outcome.applied(article=existing.pk, existing=True)
    data = call.data
    solution = _text(data, "solucion")
    lessons = _text(data, "lecciones_aprendidas")
    if not solution and not lessons:
        return Outcome.skipped("El paso no registra solución ni lecciones aprendidas.")
    title = _text(data, "articulo_base_conocimiento")
    if not title:
        title = f"Incidente {incident.code}: {incident.title}" if incident else call.record.name
    symptoms = incident.description if incident is not None else _text(data, "descripcion")
    tags = []
    if incident is not None:
        tags = [incident.get_kind_display(), incident.get_category_display()]
    article = do_create_article(
        actor=call.actor,
        title=title[:300],
        symptoms=symptoms or title,
        solution="\n\n".join(
            part
            for part in (solution, f"Lecciones aprendidas: {lessons}" if lessons else "")
            if part
        ),
        category=category_for_procedure(call.instance.procedure_code),
        tags=[t for t in tags if t],
        source_incident=incident,
        source_ticket=call.ticket,
        engine_checked=True,
    )
    return Outcome.applied(article=article.pk, status=article.status)
