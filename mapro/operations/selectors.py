"""Read queries of the run records, filtered by who may read them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mapro.core.exceptions import NotFound

from .access import can_manage_tokens, can_read
from .models import RunRecord, RunToken


def runs_visible_to(user: Any) -> QuerySet[RunRecord]:
    if not can_read(user):
        return RunRecord.objects.none()
    return RunRecord.objects.select_related("equipment", "token").order_by("-ran_at", "-id")


def get_run_for_user(user: Any, pk: int) -> RunRecord:
    run = runs_visible_to(user).filter(pk=pk).first()
    if run is None:
        raise NotFound("No existe el registro de ejecución o no lo puede ver.")
    return run


def tokens_visible_to(user: Any) -> QuerySet[RunToken]:
    if not can_manage_tokens(user):
        return RunToken.objects.none()
    return RunToken.objects.order_by("name", "id")


def get_token_for_user(user: Any, pk: int) -> RunToken:
    token = tokens_visible_to(user).filter(pk=pk).first()
    if token is None:
        raise NotFound("No existe el token.")
    return token
