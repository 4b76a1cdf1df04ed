"""The end date of orden de servicio accounts, enforced: a daily notice of the accounts due.

An active account whose ``service_end`` has passed is "por eliminar" (the register's lists
filter and count them). Every day the worker runs ``do_notify_due_for_removal``: when there are
such accounts, the Responsable de la coordinación del equipo de infraestructura tecnológica
(``coord-infraestructura``, whoever holds it today) gets one mail listing them, through the
outbox, keyed by the day (one mail a day however many workers run it). The removal itself stays
a human decision in S04.03.01.02.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.notifications.actions import enqueue_mail
from mapro.notifications.models import OutboxMessage
from mapro.notifications.rendering import absolute_url
from mapro.organization.models import RoleAssignment

from .models import Account

NOTIFIED_ROLE = "coord-infraestructura"


def _recipients(day: datetime.date) -> list[str]:
    rows = (
        RoleAssignment.objects.current(day)
        .filter(role__code=NOTIFIED_ROLE)
        .select_related("person", "person__user")
    )
    addresses = []
    for row in rows:
        email = row.person.email or (row.person.user.email if row.person.user else "")
        if email:
            addresses.append(email)
    return sorted(set(addresses))


def do_notify_due_for_removal(*, on: datetime.date | None = None) -> Any:
    """Mail the infrastructure coordinator the accounts due for removal (the system acts).

    Returns the outbox message, or None when nothing is due or nobody holds the role.
    """
    from django.urls import reverse

    day = on or timezone.localdate()
    with transaction.atomic():
        due = list(
            Account.objects.due_for_removal(day)
            .select_related("person", "person__unit")
            .order_by("service_end", "id")
        )
        if not due:
            return None
        lines = [
            f"- {a.account_name} ({a.get_kind_display()}) de {a.person.full_name}, "
            f"DNI {a.person.dni}, {a.person.unit.code}: orden de servicio vencida el "
            f"{a.service_end:%d/%m/%Y}"
            for a in due
        ]
        link = absolute_url(reverse("iam:account_list") + "?status=por_eliminar")
        key = f"iam:por-eliminar:{day.isoformat()}"
        already = OutboxMessage.objects.filter(key=key).first()
        if already is not None:
            return already
        message = enqueue_mail(
            to=_recipients(day),
            subject=f"{len(due)} cuenta(s) por eliminar: orden de servicio vencida",
            template="aviso",
            context={
                "mensaje": "Las siguientes cuentas de personal contratado por orden de servicio "
                "siguen activas después de la fecha de fin de su orden y deben eliminarse "
                "(S04.03.01.02):\n" + "\n".join(lines),
                "enlace": link,
            },
            key=key,
        )
        if message is not None:
            record_event(
                actor=None,
                action="account.due_notice",
                object_type="iam.account",
                object_id="",
                object_repr="Cuentas por eliminar",
                after={"fecha": day, "cuentas": [a.pk for a in due]},
            )
    return message
