"""A task's HTML form, shown and submitted, for any page that offers it.

The task page (``views.task_detail``) and the help desk's console (a ticket's open activity,
``mapro.helpdesk.views.console_steps``) show the same fields and judge a POST the same way:

- ``shown_fields(item, user)``: the form as presented (``task_forms.task_form``: the ficha's
  form with unit choices and what earlier steps recorded), as ``html_forms`` fields;
- ``submit_task_form(request, item, complete)``: parse the POST against the ficha's own form,
  answer "Agregar fila" or an unreadable input (an upload over the limit) with the form again,
  store the uploads, call ``complete(data)`` once (``do_complete_task``, or an action that
  calls it) and, on its ``InvalidInput``, delete the uploads and give back the form with what
  was typed and each error beside its field. Any other refusal (403, 409, ...) propagates,
  after the uploads are deleted: nothing was saved.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils.text import get_valid_filename

from mapro.core.exceptions import Forbidden, InvalidInput

from . import html_forms
from .actions import activity
from .exceptions import TaskAlreadyCompleted
from .ficha.compiler import form_schema
from .forms import form_errors
from .models import Instance, WorkItem, WorkItemState
from .selectors import can_take
from .task_forms import task_form

logger = logging.getLogger(__name__)

#: Where a task's uploads are stored: ``procedimientos/<instance>/<random>/<name>``.
UPLOAD_DIR = "procedimientos"


@dataclass
class TaskFormAnswer:
    """What a submission gave: ``completed`` (with the ``result`` of ``complete``), or the
    form to show again (``fields``, ``errors`` by input name, ``focus``: a list that got a
    new row)."""

    completed: bool
    result: Any = None
    fields: list[html_forms.FormField] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    focus: str = ""

    @property
    def general_errors(self) -> list[str]:
        return self.errors.get("__all__", [])


def decision_field(item: WorkItem) -> str | None:
    """The activity's decision field (its "¿…?" question), if it has one."""
    act = activity(item.instance.procedure_version.ficha, item.n)
    return (act.get("decision") or {}).get("field")


def check_form_shown(user: Any, item: WorkItem) -> None:
    """The form is shown only for an open task the user may take (409 / 403 otherwise)."""
    if item.state != WorkItemState.OPEN:
        raise TaskAlreadyCompleted()
    if not can_take(user, item):
        raise Forbidden("No tiene un rol responsable de esta tarea.")


def shown_fields(item: WorkItem, user: Any) -> list[html_forms.FormField]:
    """A fresh form for ``item`` as ``user`` sees it (defaults from earlier steps)."""
    shown = task_form(item, user)
    return html_forms.build_fields(
        shown, html_forms.initial_values(shown), decision_field=decision_field(item)
    )


def save_upload(instance: Instance) -> Callable[[Any], str]:
    def save(upload: Any) -> str:
        filename = get_valid_filename(Path(str(upload.name)).name) or "archivo"
        name = f"{UPLOAD_DIR}/{instance.pk}/{uuid.uuid4().hex}/{filename}"
        return str(default_storage.save(name, upload))

    return save


def delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort: a stray file is harmless
            logger.warning("Could not delete upload %s", name)


def submit_task_form(
    request: HttpRequest, item: WorkItem, complete: Callable[[dict[str, Any]], Any]
) -> TaskFormAnswer:
    """Judge the POSTed form of ``item`` once, through ``complete(data)`` (module docstring)."""
    instance = item.instance
    schema = form_schema(instance.procedure_version.ficha, item.n)
    decision = decision_field(item)
    # Parsed and judged against the ficha's own form; shown as presented (task_forms.py:
    # unit choices, what earlier steps recorded).
    sub = html_forms.parse_submission(schema, request.POST, request.FILES)

    def again(errors: dict[str, list[str]] | None = None, add_row: str = "") -> TaskFormAnswer:
        shown = task_form(item, request.user)
        mapped = html_forms.html_errors(errors, sub) if errors is not None else {}
        for name, msgs in sub.errors.items():
            mapped.setdefault(name, []).extend(msgs)
        fields = html_forms.build_fields(
            shown, sub.raw, mapped, decision_field=decision, add_row=add_row or None
        )
        return TaskFormAnswer(False, fields=fields, errors=mapped, focus=add_row)

    add_row = request.POST.get("_agregar_fila", "")
    if add_row or sub.errors:
        # Not a submission yet: more rows asked for, or an input that could not be read (a
        # file over the limit). The form comes back; the action is not called, so the other
        # fields' errors are looked up here, once, to show them all together.
        check_form_shown(request.user, item)
        if add_row:
            return again(add_row=add_row)
        return again(form_errors(schema, sub.data))
    stored = sub.store_files(save_upload(instance))
    try:
        result = complete(sub.data)
    except InvalidInput as exc:
        delete_files(stored)
        return again(exc.errors or {"__all__": [exc.message]})
    except Exception:
        delete_files(stored)  # nothing was saved: neither are the uploads
        raise
    return TaskFormAnswer(True, result=result)
