import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One state change, append-only and hash-chained.

    Each row stores the SHA-256 of its own canonical content plus the previous row's hash, so
    editing or deleting any row breaks the chain from there on (``mapro audit verify``). The
    actor's name is copied so that deleting a user never deletes history. On PostgreSQL a trigger
    also rejects UPDATE, DELETE and TRUNCATE on the table (migration 0003).
    """

    occurred_at = models.DateTimeField("fecha y hora (UTC)", db_index=True)
    # DO_NOTHING without a constraint: the id stays after the user is deleted. SET_NULL would
    # UPDATE the row, which alters its hashed content and which the trigger rejects. No index:
    # no query looks events up by actor id (the viewer filters by ``actor_name``), deleting a
    # user does not touch them, and every audited action would keep one more index entry.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # Indexed in Meta, by what the viewer's filters ask (exact or prefix) and no more: every
    # action appends a row, and each index is kept at every append.
    actor_name = models.CharField("actor", max_length=200)
    action = models.CharField("acción", max_length=100)
    object_type = models.CharField("tipo de objeto", max_length=100, blank=True)
    object_id = models.CharField("id del objeto", max_length=64, blank=True)
    object_repr = models.CharField("objeto", max_length=300, blank=True)
    before = models.JSONField("antes", null=True, blank=True)
    after = models.JSONField("después", null=True, blank=True)
    request_id = models.CharField("id de solicitud", max_length=64, blank=True)
    client_address = models.GenericIPAddressField("dirección del cliente", null=True, blank=True)
    source = models.CharField("origen", max_length=20, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "evento de auditoría"
        verbose_name_plural = "eventos de auditoría"
        ordering = ["id"]
        # What the viewer filters by (filtersets.py): the actor exactly or by prefix, the
        # action exactly (newest first) or by prefix ("ticket."), the object by type and id or by
        # id alone, a date range. On PostgreSQL a varchar_pattern_ops index serves both "=" and
        # a prefix LIKE; the unique hash needs no LIKE index (a UniqueConstraint makes none).
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["object_id"], name="audit_object_id_idx"),
            # The viewer lists newest first by id; filtering by action walks this index backwards.
            models.Index(fields=["action", "id"], name="audit_action_id_idx"),
            models.Index(
                fields=["action"], name="audit_action_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["actor_name"],
                name="audit_actor_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_uniq")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"

    def canonical(self) -> bytes:
        """The exact bytes that are hashed: every field but ``id`` and ``hash``, sorted JSON."""
        payload: dict[str, Any] = {
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "request_id": self.request_id,
            "client_address": self.client_address,
            "source": self.source,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        ).encode()

    def compute_hash(self) -> str:
        """SHA-256 of ``canonical()``, hex; equal to ``hash`` unless the row was altered."""
        return hashlib.sha256(self.canonical()).hexdigest()
