"""One-time secrets: an initial password delivered by a link that reveals it once."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OneTimeSecret(models.Model):
    """An account's initial password, encrypted with a key only the reveal link carries.

    The link token is random (``secrets.token_urlsafe``) and never stored: the row keeps its
    SHA-256 (to find the row) and the password encrypted with a key derived from the token
    (HKDF-SHA256 + AES-GCM, ``mapro.iam.secrets``). Without the link nobody, not even with the
    database, reads the password. Invariants: revealing sets ``revealed_at`` and empties
    ``ciphertext`` in the same transaction, so it reveals at most once; after ``expires_at`` it
    reveals nothing. Only ``recipient`` (when set) may open it.
    """

    account = models.ForeignKey(
        "iam.Account",
        verbose_name="cuenta",
        on_delete=models.CASCADE,
        related_name="secrets",
    )
    token_hash = models.CharField("huella del enlace", max_length=64, unique=True)
    ciphertext = models.BinaryField("contraseña cifrada", null=True, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinatario",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    expires_at = models.DateTimeField("vence")
    revealed_at = models.DateTimeField("revelado", null=True, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="revelado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "secreto de un solo uso"
        verbose_name_plural = "secretos de un solo uso"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Enlace de contraseña de {self.account.account_name}"
