"""The base de conocimiento: articles drawn from solutions and lessons learned, and their links
to help-desk tickets."""

from __future__ import annotations

from django.db import models

from mapro.core.fields import link, user_link

from .choices import ArticleStatus


class Article(models.Model):
    """A known problem and its solution ("síntomas" → "solución"), for the help desk and the
    OGTIE teams (S04.04.00.03 act. 12 "el registro en la base de conocimiento"; consulted in
    the analysis of S04.03.01.05 act. 6 and S04.04.00.03 act. 7).

    Invariants kept by ``mapro.knowledge.actions``: only ``publicado`` articles are shown to
    employees and suggested; a published article has ``reviewed_by`` (someone other than its
    author) and ``published_at``; editing a published article returns it to ``borrador`` until
    it is reviewed again. ``tags`` are lower-case words separated by ", ".
    """

    title = models.CharField("título", max_length=300)
    symptoms = models.TextField("síntomas")
    solution = models.TextField("solución")
    category = models.ForeignKey(
        "helpdesk.Category",
        verbose_name="categoría",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tags = models.CharField("etiquetas", max_length=300, blank=True)
    status = models.CharField(
        "estado", max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.BORRADOR
    )
    source_incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name="incidente de origen",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    source_ticket = link("helpdesk.Ticket", "ticket de origen")
    author = user_link("autor")
    author_name = models.CharField("nombre del autor", max_length=200)
    reviewed_by = user_link("revisado por")
    reviewed_by_name = models.CharField("nombre de quien revisó", max_length=200, blank=True)
    published_at = models.DateTimeField("publicado", null=True, blank=True)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "artículo de la base de conocimiento"
        verbose_name_plural = "base de conocimiento"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category", "-published_at"], name="kb_status_cat"),
            models.Index(fields=["-updated_at", "-id"], name="kb_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (p.strip() for p in self.tags.split(",")) if t]


class TicketArticleLink(models.Model):
    """A ticket attended with the help of an article (linked from the console)."""

    # No index of its own: kb_link_once leads with it.
    ticket = models.ForeignKey(
        "helpdesk.Ticket",
        verbose_name="ticket",
        on_delete=models.CASCADE,
        related_name="article_links",
        db_index=False,
    )
    article = models.ForeignKey(
        Article, verbose_name="artículo", on_delete=models.CASCADE, related_name="ticket_links"
    )
    linked_by = user_link("vinculado por")
    linked_by_name = models.CharField("nombre de quien vinculó", max_length=200)
    linked_at = models.DateTimeField("vinculado", auto_now_add=True)

    class Meta:
        verbose_name = "artículo vinculado a un ticket"
        verbose_name_plural = "artículos vinculados a tickets"
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "article"], name="kb_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} ↔ {self.article_id}"
