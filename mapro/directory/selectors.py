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


#: The step effects whose handlers write directory operations, as ``(kind, value)``: registered
#: by the apps that call ``actions.enqueue_operation`` (iam, hr) next to their handlers.
_OPERATION_EFFECTS: set[tuple[str, str]] = set()


def register_operation_effect(kind: str, value: str) -> None:
    """Declare that a handler of the ``{kind: value}`` effect may enqueue directory operations
    for its instance: the pages of procedures without such an effect skip the query."""
    _OPERATION_EFFECTS.add((kind, value))


def may_hold_operations(ficha: dict[str, Any]) -> bool:
    """Whether an instance of ``ficha`` can ever have directory operations: one of its
    activities names an effect registered with ``register_operation_effect``."""
    for act in ficha.get("activities") or []:
        for effect in act.get("effects") or []:
            if isinstance(effect, dict) and any(
                (str(k), str(v)) in _OPERATION_EFFECTS for k, v in effect.items()
            ):
                return True
    return False


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
