"""Template tags of the directory: the operations of an instance and of an account."""

from __future__ import annotations

from typing import Any

from django import template

from mapro.organization.permissions import has_role

from ..choices import OPERATE_ROLES
from ..selectors import may_hold_operations, operations_of_account, operations_of_instance

register = template.Library()


@register.simple_tag
def instance_directory_operations(instance: Any) -> list[Any]:
    """The directory operations of ``instance`` (the page already checked who sees it); no
    query for a procedure none of whose effects writes one (issue #15)."""
    if instance is None or not may_hold_operations(instance.procedure_version.ficha):
        return []
    return list(operations_of_instance(instance.pk))


@register.simple_tag
def account_directory_operations(account: Any) -> list[Any]:
    return list(operations_of_account(account.pk)) if account is not None else []


@register.simple_tag
def can_operate_directory(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, OPERATE_ROLES)
