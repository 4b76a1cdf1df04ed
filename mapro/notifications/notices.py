"""In-app notifications: telling people something, in their list and by mail.

``do_notify`` is the API every domain uses (procedure effects, deadline reminders, escalations)::

    from mapro.notifications.actions import do_notify

    result = do_notify(
        roles=["jefe-ogtie", "oficial-seguridad-digital"],   # and/or users=[user, …]
        unit=instance.unit,                                   # the scope of unit-scoped roles
        subject="Caso de phishing: expediente 42",
        body="Se registró un caso de phishing …",             # never a secret
        instance=instance,                                    # linked, shown in the list
        actor=request.user,                                   # who caused it (None: the system)
        url="/expedientes/42/",                               # where "Ver" leads
        key="S04.04.00.02:42:4",                              # optional: once per recipient
    )
    if not result.recipients:
        ...  # nobody holds the roles in scope: say so where the user will see it

It runs in the caller's transaction (``RuntimeError`` otherwise) and writes one
``Notification`` row per recipient with one ``INSERT … SELECT`` (no row goes through Python),
plus one audit event. Above ``NOTIFICATIONS_SYNC_LIMIT`` recipients (200) it stores one
``NotificationBatch`` instead and the worker writes the rows moments later
(``fanout.expand_batches``), so that a notice to a thousand people costs the request a count
and one row; the result still says how many are told. Mail is **not** sent
in the request: a row whose recipient wants each notice at once is "pending", and the fan-out
job (``fanout.fan_out_notifications``, kicked after commit and every minute) writes its mail to
the outbox; a row whose recipient chose the daily digest waits for ``fanout.send_digests``.

Who receives a role's notice: every active user holding the role today (the assignment and
the person both current), for roles that act across MINDEF; for unit-scoped roles (director-uo,
personal) only grants whose unit covers ``unit`` (a global grant always does). ``users`` are
added as given. A user is told once per call however many of the roles they hold.

No secrets: ``subject`` and ``body`` are shown, mailed and kept; text that looks like a
credential ("contraseña: …", "password=…", "token: …") is refused with ``ValueError``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.compiled import CompiledQuery
from mapro.core.exceptions import Forbidden, NotFound
from mapro.organization.models import Person, Role, RoleAssignment, Unit

from . import conf
from .choices import MailDelivery, MailState
from .models import Notification, NotificationBatch, NotificationPreference

SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 255
URL_MAX = Notification._meta.get_field("url").max_length or 500
KEY_MAX = Notification._meta.get_field("key").max_length or 200
#: A credential written as "label: value" — refused in any notice (design.md, outbox).
SECRET_RE = re.compile(
    r"(contrase[ñn]a|password|passwd|clave\s+(de\s+acceso|temporal|inicial)|token|secret)"
    r"\s*[:=]\s*\S+",
    re.IGNORECASE,
)


@dataclass
class NotifyResult:
    """What ``do_notify`` did: who was told now (user ids), and the roles nobody holds.

    ``recipients`` (usernames, sorted) is read on demand: one query, not paid by callers that
    only need the count.
    """

    recipient_ids: list[int] = field(default_factory=list)
    roles_without_holders: list[str] = field(default_factory=list)
    #: A large audience: the worker writes the notifications (``count_deferred`` of them).
    deferred: bool = False
    count_deferred: int = 0

    @property
    def count(self) -> int:
        return self.count_deferred if self.deferred else len(self.recipient_ids)

    @property
    def nobody(self) -> bool:
        return self.count == 0

    def usernames(self, limit: int | None = None) -> list[str]:
        """Usernames of the recipients (the first ``limit`` by id), sorted."""
        ids = self.recipient_ids[:limit] if limit else self.recipient_ids
        qs = get_user_model().objects.filter(pk__in=ids).values_list("username", flat=True)
        return sorted(qs)

    @property
    def recipients(self) -> list[str]:
        return self.usernames()


def check_no_secret(*texts: str) -> None:
    """``ValueError`` when a text looks like it carries a credential."""
    for text in texts:
        if text and SECRET_RE.search(text):
            raise ValueError(
                "Un aviso no puede llevar contraseñas, claves ni tokens: envíe un enlace de un "
                "solo uso (design.md, «Background effects go through an outbox»)."
            )


def _ancestor_paths(unit: Any) -> list[str]:
    """The paths of ``unit`` and every unit above it (paths are "/000001/000004/" prefixes)."""
    path = getattr(unit, "path", "") or ""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: Any) -> str:
    return _q(model._meta.db_table)


def _holders_sql(roles: list[str], unit: Any, day: datetime.date) -> tuple[str, list[Any]]:
    """``SELECT user_id, role_code`` of the current holders of ``roles`` in scope of ``unit``.

    The same rule as ``role_holders`` (module docstring), for the database to run.
    """
    on = connection.ops.adapt_datefield_value(day)
    roles_in = ", ".join(["%s"] * len(roles))
    sql = (
        f"SELECT p.{_q('user_id')} AS uid, r.{_q('code')} AS role "  # noqa: S608
        f"FROM {_table(RoleAssignment)} a "
        f"JOIN {_table(Person)} p ON p.id = a.{_q('person_id')} "
        f"JOIN {_table(Role)} r ON r.id = a.{_q('role_id')} "
        f"LEFT JOIN {_table(Unit)} u ON u.id = a.{_q('unit_id')} "
        f"WHERE r.{_q('code')} IN ({roles_in}) AND p.{_q('user_id')} IS NOT NULL "
        f"AND (a.{_q('valid_from')} IS NULL OR a.{_q('valid_from')} <= %s) "
        f"AND (a.{_q('valid_until')} IS NULL OR a.{_q('valid_until')} >= %s) "
        f"AND (p.{_q('valid_until')} IS NULL OR p.{_q('valid_until')} >= %s)"
    )
    params: list[Any] = [*roles, on, on, on]
    if unit is not None:
        paths = _ancestor_paths(unit) or [""]
        sql += (
            f" AND (r.{_q('unit_scoped')} = %s OR a.{_q('unit_id')} IS NULL "
            f"OR u.{_q('path')} IN ({', '.join(['%s'] * len(paths))}))"
        )
        params += [False, *paths]
    return sql, params


def _insert_sql(
    roles: list[str], user_ids: list[int], unit: Any, day: datetime.date
) -> tuple[str, list[Any]]:
    """One ``INSERT … SELECT … RETURNING``: a row per active recipient, the mail state decided
    by the database from their address and preference (no row goes through Python)."""
    user = get_user_model()
    candidates, params = _candidates_sql(roles, user_ids, day, unit)
    columns = [
        "recipient_id",
        "subject",
        "body",
        "url",
        "instance_id",
        "actor_id",
        "key",
        "created_at",
        "mail_state",
    ]
    mail = (
        f"CASE WHEN COALESCE(p.{_q('email')}, '') = '' AND COALESCE(au.{_q('email')}, '') = '' "
        f"THEN %s WHEN pref.{_q('mail_delivery')} = %s THEN %s ELSE %s END"
    )
    verb = "INSERT OR IGNORE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
    conflict = " ON CONFLICT DO NOTHING" if connection.vendor != "sqlite" else ""
    sql = (
        f"{verb} {_table(Notification)} ({', '.join(_q(c) for c in columns)}) "  # noqa: S608
        f"SELECT au.id, %s, %s, %s, %s, %s, %s, %s, {mail} "
        f"FROM {_table(user)} au "
        f"LEFT JOIN {_table(Person)} p ON p.{_q('user_id')} = au.id "
        f"LEFT JOIN {_table(NotificationPreference)} pref ON pref.{_q('user_id')} = au.id "
        f"WHERE au.{_q('is_active')} = %s AND au.id IN ({candidates})"
        f"{conflict} RETURNING {_q('recipient_id')}"
    )
    return sql, params


def role_holders(
    roles: Iterable[str], unit: Any = None, *, on: datetime.date | None = None
) -> dict[str, list[int]]:
    """User ids of the current holders of each of ``roles`` in scope of ``unit``: one query."""
    wanted = sorted(set(roles))
    found: dict[str, set[int]] = {role: set() for role in wanted}
    if not wanted:
        return {}
    sql, params = _holders_sql(wanted, unit, on or timezone.localdate())
    user = get_user_model()
    sql = (
        f"SELECT h.uid, h.role FROM ({sql}) h JOIN {_table(user)} au ON au.id = h.uid "  # noqa: S608
        f"WHERE au.{_q('is_active')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, True])
        for uid, role in cursor.fetchall():
            found[role].add(uid)
    return {role: sorted(ids) for role, ids in found.items()}


def do_notify(
    *,
    roles: Iterable[str] = (),
    users: Iterable[Any] = (),
    unit: Any = None,
    subject: str,
    body: str = "",
    instance: Any = None,
    actor: Any = None,
    url: str = "",
    key: str = "",
) -> NotifyResult:
    """Notify the holders of ``roles`` in scope of ``unit`` and ``users`` (module docstring).

    Returns who is told. Nobody to tell is not an error: the result says so (``nobody``,
    ``roles_without_holders``) and the caller shows it. With ``key``, a repeated call tells
    nobody twice (one row per recipient and key; the repeat reports no new recipients).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("do_notify must run inside the transaction of the change")
    subject = " ".join((subject or "").split())
    if not subject:
        raise ValueError("El asunto del aviso no puede estar vacío.")
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    if len(key) > KEY_MAX or len(url) > URL_MAX:
        raise ValueError("La clave o el enlace del aviso son demasiado largos.")
    check_no_secret(subject, body)
    roles = sorted(set(roles))
    user_ids = sorted({u.pk if hasattr(u, "pk") else int(u) for u in users})
    result = NotifyResult()
    if not roles and not user_ids:
        return result
    day = timezone.localdate()
    count = _count_recipients(roles, user_ids, unit, day)
    if roles:
        if count and len(roles) == 1 and not user_ids:
            held = set(roles)
        else:
            held = _roles_held(roles, unit, day) if count else set()
        result.roles_without_holders = [role for role in roles if role not in held]
    if not count:
        return result
    message = {
        "subject": subject,
        "body": body,
        "url": url,
        "instance_id": getattr(instance, "pk", None),
        "actor_id": getattr(actor, "pk", None),
        "key": key,
        "created_at": timezone.now(),
    }
    if count > conf.sync_limit():
        # A large audience is written by the worker (fanout.expand_batches), not the request.
        NotificationBatch.objects.create(
            **message, roles=roles, user_ids=user_ids, unit=unit, day=day
        )
        result.deferred, result.count_deferred = True, count
    else:
        result.recipient_ids = insert_notifications(message, roles, user_ids, unit, day)
    record_event(
        actor=actor if message["actor_id"] else None,
        action="notification.send",
        obj=instance,
        object_type="" if instance is not None else "notifications.notification",
        after={
            "subject": subject,
            "roles": roles,
            "recipients": result.count,
            "deferred": result.deferred,
            "key": key,
        },
    )
    from .fanout import schedule_fan_out

    schedule_fan_out()
    return result


def insert_notifications(
    message: dict[str, Any], roles: list[str], user_ids: list[int], unit: Any, day: datetime.date
) -> list[int]:
    """Write one notification per recipient with one statement; their user ids (new rows only:
    a recipient who already has ``key`` is skipped)."""
    sql, params = _insert_sql(roles, user_ids, unit, day)
    params = [
        message["subject"],
        message["body"],
        message["url"],
        message["instance_id"],
        message["actor_id"],
        message["key"],
        message["created_at"],
        MailState.NO_ADDRESS,
        MailDelivery.DIGEST,
        MailState.DIGEST,
        MailState.PENDING,
        True,
        *params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def _candidates_sql(
    roles: list[str], user_ids: list[int], day: datetime.date, unit: Any
) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if roles:
        holders, holder_params = _holders_sql(roles, unit, day)
        parts.append(f"SELECT uid FROM ({holders}) h")  # noqa: S608
        params += holder_params
    if user_ids:
        user = get_user_model()
        marks = ", ".join(["%s"] * len(user_ids))
        parts.append(f"SELECT id FROM {_table(user)} WHERE id IN ({marks})")  # noqa: S608
        params += user_ids
    return " UNION ".join(parts), params


def _count_recipients(roles: list[str], user_ids: list[int], unit: Any, day: datetime.date) -> int:
    candidates, params = _candidates_sql(roles, user_ids, day, unit)
    sql = (
        f"SELECT COUNT(*) FROM {_table(get_user_model())} au "  # noqa: S608
        f"WHERE au.{_q('is_active')} = %s AND au.id IN ({candidates})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, *params])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _roles_held(roles: list[str], unit: Any, day: datetime.date) -> set[str]:
    sql, params = _holders_sql(roles, unit, day)
    user = get_user_model()
    sql = (
        f"SELECT DISTINCT h.role FROM ({sql}) h JOIN {_table(user)} au ON au.id = h.uid "  # noqa: S608
        f"WHERE au.{_q('is_active')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, True])
        return {row[0] for row in cursor.fetchall()}


# --- the recipient's side -------------------------------------------------------------------


#: The navbar's badge on every page: compiled once (``mapro.core.compiled``).
_UNREAD = CompiledQuery(
    lambda user_id: (
        Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("n")
    ),
    user_id=-73_019_003,
)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    rows = _UNREAD.rows(user_id=user.pk)  # no row when there is none (grouped by recipient)
    return int(rows[0][0]) if rows else 0


def do_open_notification(pk: int, *, actor: Any) -> Notification:
    """The actor's notification ``pk``, marked read now if it was not (opening it reads it).

    Another user's notification is ``NotFound`` (its existence is not disclosed).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().filter(pk=pk, recipient=actor).first()
            if getattr(actor, "is_authenticated", False)
            else None
        )
        if notification is None:
            raise NotFound("No existe el aviso.")
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def do_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def do_set_mail_delivery(*, actor: Any, mail_delivery: str) -> NotificationPreference:
    """The actor's choice: each notice mailed at once, or a daily digest (audited).

    Notices already waiting follow the new choice: pending ones go to the digest, or leave it.
    """
    from mapro.core.exceptions import InvalidInput

    if not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    if mail_delivery not in MailDelivery.values:
        raise InvalidInput(
            errors={"mail_delivery": ["Elija «un correo por aviso» o «un resumen diario»."]}
        )
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
        before = preference.mail_delivery
        if before == mail_delivery:
            return preference
        preference.mail_delivery = mail_delivery
        preference.save()
        old, new = (
            (MailState.PENDING, MailState.DIGEST)
            if mail_delivery == MailDelivery.DIGEST
            else (MailState.DIGEST, MailState.PENDING)
        )
        moved = Notification.objects.filter(recipient=actor, mail_state=old).update(mail_state=new)
        record_event(
            actor=actor,
            action="notification_preference.update",
            obj=preference,
            before={"mail_delivery": before},
            after={"mail_delivery": mail_delivery, "moved": moved},
        )
        if new == MailState.PENDING and moved:
            from .fanout import schedule_fan_out

            schedule_fan_out()
    return preference
