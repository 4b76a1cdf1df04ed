"""Reading directory operations: by account, by instance, and what holds an instance."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .choices import HOLDING
from .models import DirectoryOperation


def operations_of_account(account_id: int) -> QuerySet[DirectoryOperation]:
    return DirectoryOperation.objects.filter(account_id=account_id).order_by("-id")


def operations_of_instance(instance_id: int) -> QuerySet[DirectoryOperation]:
    return DirectoryOperation.objects.filter(instance_id=instance_id).order_by("id")


def hold_reason(instance: Any) -> str | None:
    """Why the instance's next step cannot be completed yet, or None (``procedures.holds``)."""
    waiting = list(
        DirectoryOperation.objects.filter(
            instance_id=instance.pk, wait=True, status__in=HOLDING
        ).order_by("id")[:3]
    )
    if not waiting:
        return None
    names = "; ".join(f"{op.summary} ({op.get_status_display().lower()})" for op in waiting)
    return (
        "El expediente espera la respuesta del directorio: "
        f"{names}. Reintente la operación o complétela a mano desde el expediente."
    )
