"""S04.04.00.03 act. 12 ("el registro en la base de conocimiento") drafts an article from the
incident's solution and lessons learned; a coordinator then reviews and publishes it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mapro.incidents.models import Incident
from mapro.knowledge import actions
from mapro.knowledge.choices import ArticleStatus
from mapro.knowledge.models import Article
from mapro.knowledge.selectors import suggest_articles
from mapro.procedures.models import EffectOutcome
from mapro.procedures.testing import publish_ficha, run_path
from mapro.procedures.tests import test_flow_S04_04_00_03 as security_flow


@pytest.fixture
def cast(db):
    publish_ficha(security_flow.CODE)
    return security_flow.IncidentCast()


def test_the_post_incident_step_drafts_one_article(cast):
    walk = run_path(
        security_flow.CODE,
        cast,
        security_flow.ACTS,
        security_flow.incident_path("uo", "no", "no"),
        first=[1],
        start="uo",
    )
    incident = Incident.objects.get(instance_id=walk.id)
    article = Article.objects.get()
    assert article.status == ArticleStatus.BORRADOR
    assert article.title == "Respuesta ante ransomware en estaciones de trabajo"
    assert article.source_incident == incident
    assert article.symptoms == incident.description
    assert article.solution.startswith("Equipo reinstalado y archivos restaurados.")
    assert "Lecciones aprendidas: Bloquear macros" in article.solution
    assert "código malicioso" in article.tags
    assert article.author == cast["tecnico-especialista"]
    outcome = EffectOutcome.objects.get(record__instance_id=walk.id, value="Base de conocimiento")
    assert outcome.status == "applied" and outcome.detail["article"] == article.pk
    # The incident's page links its draft for the staff.
    client = Client()
    client.force_login(cast["coord-ciberseguridad"])
    page = client.get(reverse("incidents:incident_detail", args=[incident.code])).content.decode()
    assert article.title in page and reverse("knowledge:article_detail", args=[article.pk]) in page
    # Not suggested until reviewed; then it is.
    assert article not in suggest_articles(None, "ransomware estaciones")
    actions.do_publish_article(article, actor=cast["coord-ciberseguridad"])
    assert suggest_articles(None, "ransomware estaciones") == [article]
