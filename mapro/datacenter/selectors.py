"""Read queries of the data-center register, always limited to what the user may see.

An object outside the user's scope is a 404 (``NotFound``), a user without a reading role a 403
(``Forbidden``): the views and the API only call these.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from mapro.core.exceptions import Forbidden, NotFound

from . import access
from .models import ContractorDocument, DipecCheck, LogbookEntry, Visit, VisitPerson


def _check_reader(user: Any) -> None:
    if not access.can_read(user):
        raise Forbidden("El registro del centro de datos es del equipo de infraestructura.")


def visits_visible_to(user: Any) -> QuerySet[Visit]:
    """The visits ``user`` may read (403 without a reading role)."""
    _check_reader(user)
    qs = Visit.objects.select_related("unit", "ticket")
    scope = access.visit_scope_q(user)
    return qs if scope is None else qs.filter(scope)


def entries_visible_to(user: Any) -> QuerySet[LogbookEntry]:
    """The logbook lines ``user`` may read, newest entry first (403 without a reading role)."""
    _check_reader(user)
    qs = LogbookEntry.objects.select_related("visit", "visit__unit", "escort").order_by(
        "-entered_at", "-id"
    )
    scope = access.visit_scope_q(user, prefix="visit__")
    return qs if scope is None else qs.filter(scope)


def open_entries_for(user: Any) -> QuerySet[LogbookEntry]:
    """Entries without exit (people inside the data center now), oldest entry first."""
    return entries_visible_to(user).filter(exited_at__isnull=True).order_by("entered_at", "id")


def get_visit_for_user(user: Any, pk: Any) -> Visit:
    """One visit with its people, documents, checks and entries; 404 outside the scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    visit = (
        visits_visible_to(user)
        .prefetch_related(
            Prefetch("people", queryset=VisitPerson.objects.order_by("id")),
            Prefetch(
                "documents",
                queryset=ContractorDocument.objects.select_related("person").order_by("id"),
            ),
            Prefetch("checks", queryset=DipecCheck.objects.order_by("id")),
            Prefetch("entries", queryset=LogbookEntry.objects.order_by("entered_at", "id")),
        )
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise NotFound("No existe esa visita o no está en su ámbito.")
    return visit


def get_entry_for_user(user: Any, pk: Any) -> LogbookEntry:
    """One logbook line; 404 outside the scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    entry = entries_visible_to(user).filter(pk=pk).first()
    if entry is None:
        raise NotFound("No existe ese ingreso o no está en su ámbito.")
    return entry
