"""One-time secrets: an initial password that its recipient, logged in, sees once."""

from __future__ import annotations

from django.db import models

from mapro.core.fields import user_link


class OneTimeSecret(models.Model):
    """An account's initial password, encrypted with a key the database does not hold.

    ``ciphertext`` is AES-256-GCM under ``settings.SECRETS_KEYS`` (environment or key file,
    ``mapro.iam.passwords``), bound to the account; no token exists, so neither a copy of the
    database nor the mail (which carries only this row's page) opens it. Invariants: only
    ``recipient``, logged in, reveals it; revealing sets ``revealed_at`` and empties
    ``ciphertext`` in the same transaction, so it reveals at most once; after ``expires_at`` it
    reveals nothing.
    """

    account = models.ForeignKey(
        "iam.Account",
        verbose_name="cuenta",
        on_delete=models.CASCADE,
        related_name="secrets",
    )
    ciphertext = models.BinaryField("contraseña cifrada", null=True, blank=True)
    recipient = user_link("destinatario")
    created_at = models.DateTimeField("creado", auto_now_add=True)
    expires_at = models.DateTimeField("vence")
    revealed_at = models.DateTimeField("revelado", null=True, blank=True)
    revealed_by = user_link("revelado por")

    class Meta:
        verbose_name = "secreto de un solo uso"
        verbose_name_plural = "secretos de un solo uso"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Enlace de contraseña de {self.account.account_name}"
