"""The user's notification list ("Avisos"): read, open (marks read), choose the mail delivery.

Views parse, call an action and render; errors of the actions (NotFound, InvalidInput) become
pages in one place (``core`` error middleware).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mapro.core.exceptions import InvalidInput

from .choices import MailDelivery
from .models import Notification, NotificationPreference
from .notices import do_mark_all_read, do_open_notification, do_set_mail_delivery, unread_count

PAGE_SIZE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # signed in (login_required)
    only_unread = request.GET.get("estado") == "sin-leer"
    rows = Notification.objects.filter(recipient=user).select_related("actor")
    if only_unread:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    preference = NotificationPreference.objects.filter(user=user).first()
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "only_unread": only_unread,
            "unread": unread_count(user),
            "mail_delivery": preference.mail_delivery if preference else MailDelivery.IMMEDIATE,
            "deliveries": MailDelivery.choices,
        },
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notice marks it read and leads to what it is about."""
    notification = do_open_notification(pk, actor=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("notifications:list"))


@login_required
@require_POST
def notification_mark_all(request: HttpRequest) -> HttpResponse:
    count = do_mark_all_read(actor=request.user)
    messages.success(request, f"{count} aviso(s) marcado(s) como leído(s).")
    return redirect(reverse("notifications:list"))


@login_required
@require_POST
def notification_preference(request: HttpRequest) -> HttpResponse:
    try:
        do_set_mail_delivery(
            actor=request.user, mail_delivery=request.POST.get("mail_delivery", "")
        )
    except InvalidInput as exc:
        for message in exc.errors.get("mail_delivery", []):
            messages.error(request, str(message))
        return redirect(reverse("notifications:list"))
    messages.success(request, "Preferencia de correo guardada.")
    return redirect(reverse("notifications:list"))


def navbar_unread(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the signed-in user's unread notices, for the navbar badge."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    return {"notifications_unread": unread_count(user)}
