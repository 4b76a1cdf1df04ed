"""Choices of the base de conocimiento."""

from django.db import models


class ArticleStatus(models.TextChoices):
    BORRADOR = "borrador", "Borrador"
    PUBLICADO = "publicado", "Publicado"
