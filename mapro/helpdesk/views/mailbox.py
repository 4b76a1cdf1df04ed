"""The mailbox log: what became of each message read from the mailboxes, and the original of a
refused one, for a person to look at (the help desk: operador-mesa, jefe-ogtie)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from mapro.core.exceptions import Forbidden

from .. import access
from ..models import InboundMail

PAGE = 100


def _check(user: object) -> None:
    if not access.is_desk(user):
        raise Forbidden("Solo la mesa de ayuda revisa el registro de correo entrante.")


@require_GET
@login_required
def mailbox_log(request: HttpRequest) -> HttpResponse:
    _check(request.user)
    rows = InboundMail.objects.select_related("ticket", "instance").order_by("-id")
    status = request.GET.get("estado") or ""
    if status:
        rows = rows.filter(status=status)
    return render(
        request,
        "helpdesk/mailbox_log.html",
        {
            "rows": list(rows[:PAGE]),
            "status": status,
            "statuses": InboundMail._meta.get_field("status").choices,
        },
    )


@require_GET
@login_required
def mailbox_original(request: HttpRequest, pk: int) -> FileResponse:
    _check(request.user)
    row = get_object_or_404(InboundMail, pk=pk)
    if not row.raw_name or not default_storage.exists(row.raw_name):
        raise Http404("El mensaje original no se guardó (demasiado grande: sigue en el buzón).")
    response = FileResponse(
        default_storage.open(row.raw_name, "rb"),
        as_attachment=True,
        filename=f"correo-{row.pk}.eml",
        content_type="message/rfc822",
    )
    return response
