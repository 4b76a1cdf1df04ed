"""The pages' side of going back (``rewind.py``): return a task, move an instance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from mapro.core.exceptions import Forbidden, InvalidInput

from .models import WorkItemState
from .rewind import do_move_instance, do_return_task, return_options
from .selectors import can_take, get_instance_for_user, get_work_item_for_user
from .views import instance_page, task_page


@require_GET
@login_required
def task_return_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """The task page's "Devolver" panel, fetched when it is opened: the earlier activities the
    open task can be returned to (``rewind.return_options``, as the API's ``return_targets``:
    stored on the item, the workflow's state is not parsed). Without htmx, the task page with
    the panel open.

    404 for whoever may not see the task; 403 for whoever sees it but may not take it, or when
    it is no longer open."""
    item = get_work_item_for_user(request.user, pk)
    if item.state != WorkItemState.OPEN or not can_take(request.user, item):
        raise Forbidden("Solo quien puede atender esta tarea abierta puede devolverla.")
    targets = return_options(item)
    if request.headers.get("HX-Request") != "true":
        return task_page(request, item, return_targets=targets)
    return render(
        request, "procedures/_task_return.html", {"item": item, "return_targets": targets}
    )


@require_POST
@login_required
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the open task to an earlier activity with a reason; errors come back on the task
    page with what was typed."""
    item = get_work_item_for_user(request.user, pk)
    to, reason = request.POST.get("to_activity", ""), request.POST.get("reason", "")
    try:
        do_return_task(item.pk, to, reason, actor=request.user)
    except InvalidInput as exc:
        return task_page(
            request,
            item,
            status=400,
            return_errors=exc.errors,
            return_targets=return_options(item),
            return_to=to,
            return_reason=reason,
        )
    messages.success(
        request, f"La tarea {item.n} se devolvió a la actividad {to}: queda en el historial."
    )
    return redirect("procedures:instance_detail", pk=item.instance_id)


@require_POST
@login_required
def instance_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a running or failed instance to an activity it has run (Jefe(a) de la OGTIE)."""
    instance = get_instance_for_user(request.user, pk)
    to, reason = request.POST.get("to_activity", ""), request.POST.get("reason", "")
    try:
        do_move_instance(instance.pk, to, reason, actor=request.user)
    except InvalidInput as exc:
        return instance_page(
            request,
            instance,
            status=400,
            move_errors=exc.errors,
            move_to=to,
            move_reason=reason,
        )
    messages.success(request, f"El expediente N° {instance.pk} volvió a la actividad {to}.")
    return redirect("procedures:instance_detail", pk=instance.pk)
