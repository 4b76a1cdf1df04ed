"""Model field helpers for the references every register repeats.

A register row keeps who did something and the procedure instance (or step) that did it; the
row outlives both (a user deleted, an instance purged): the reference becomes empty and the
row keeps its ``*_name`` copy. ``link`` is that field: nullable, ``SET_NULL``, no reverse
accessor (``related_name="+"``), labelled in Spanish. Its deconstruction is the one the
hand-written fields had, so adopting it needs no migration.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def link(to: str, label: str, *, db_index: bool = True) -> models.ForeignKey[Any, Any]:
    """An optional reference to ``to`` that outlives its target (see the module docstring).

    ``db_index=False`` where an index of the model already leads with the column
    (docs/architecture.md, "Indexes")."""
    return models.ForeignKey(
        to,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=db_index,
    )


def user_link(label: str) -> models.ForeignKey[Any, Any]:
    """Who did it: an optional reference to a user (their name is kept beside it)."""
    return link(settings.AUTH_USER_MODEL, label)


def instance_link(
    label: str = "expediente", *, db_index: bool = True
) -> models.ForeignKey[Any, Any]:
    """The procedure instance that did it (``procedures.Instance``), if any."""
    return link("procedures.Instance", label, db_index=db_index)
