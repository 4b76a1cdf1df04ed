"""Drop the cached business calendar when its inputs change.

The cache lives in each process (see ``calendar``); here we clear this process's copy at once
and again after the commit, so that nothing loaded from the uncommitted state survives. Other
processes notice within ``MAPRO_CALENDAR_RECHECK_SECONDS`` through the table's fingerprint.
"""

from typing import Any

from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import CalendarException

_SETTINGS = {"TIME_ZONE"}
_SETTING_PREFIXES = ("MAPRO_OFFICE_HOURS", "MAPRO_EXTRA_WORKDAY", "MAPRO_CALENDAR", "MAPRO_HOLIDAY")


@receiver(post_save, sender=CalendarException)
@receiver(post_delete, sender=CalendarException)
def _exception_changed(sender: Any, **kwargs: Any) -> None:
    calendar.clear_calendar_cache()
    transaction.on_commit(calendar.clear_calendar_cache)


@receiver(setting_changed)
def _setting_changed(sender: Any, setting: str, **kwargs: Any) -> None:
    if setting in _SETTINGS or setting.startswith(_SETTING_PREFIXES):
        calendar.clear_calendar_cache()
