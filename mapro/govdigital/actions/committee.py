"""Actions of the CGD's sessions: record a session with its members present, and an agreement
with its vote. An agreement needs quorum (more than half of the members in office present) and
its votes cannot exceed the members present; it is approved by the majority of those present.

``do_record_step_agreement`` is what an approval step of a procedure calls: the session of that
date (created, or the one already recorded, adding the members present) and the agreement, in
the step's transaction, so a refused agreement leaves nothing behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden
from mapro.organization.models import RoleAssignment

from .. import access
from ..choices import AgreementResult, AgreementSubject, SessionKind
from ..models import Agreement, Attendance, Session
from . import _common as c
from .risks import next_code

MEMBER_ROLE = "cgd"


def members_in_office(day: datetime.date) -> dict[str, Any]:
    """The CGD's members on ``day`` (holders of the role ``cgd``), by username."""
    rows = (
        RoleAssignment.objects.current(day)
        .filter(role__code=MEMBER_ROLE, person__user__isnull=False, person__user__is_active=True)
        .select_related("person__user")
    )
    return {row.person.user.get_username(): row.person.user for row in rows if row.person.user}


def _resolve_members(
    errors: c.Errors, field: str, day: datetime.date, present: Iterable[Any]
) -> list[Any]:
    members = members_in_office(day)
    users: list[Any] = []
    unknown: list[str] = []
    for entry in present:
        username = entry.get_username() if hasattr(entry, "get_username") else str(entry).strip()
        if not username:
            continue
        user = members.get(username)
        if user is None:
            unknown.append(username)
        elif user not in users:
            users.append(user)
    if unknown:
        c.add(
            errors,
            field,
            "No son miembros del CGD a la fecha de la sesión: " + ", ".join(sorted(unknown)) + ".",
        )
    return users


def _attend(session: Session, users: Iterable[Any]) -> None:
    have = set(session.attendance.values_list("user_id", flat=True))
    for user in users:
        if user.pk not in have:
            full = user.get_full_name() if hasattr(user, "get_full_name") else ""
            Attendance.objects.create(
                session=session, user=user, name=(full or user.get_username())[:200]
            )


def _session_snapshot(session: Session) -> dict[str, Any]:
    return {
        "code": session.code,
        "date": session.date.isoformat(),
        "kind": session.kind,
        "members_in_office": session.members_in_office,
        "present": sorted(a.name for a in session.attendance.all()),
        "acta_number": session.acta_number,
    }


def do_record_session(
    *,
    actor: Any,
    date: Any,
    agenda: str,
    present: Iterable[Any],
    kind: str = SessionKind.ORDINARIA,
    acta_file: str = "",
    acta_number: str = "",
    notes: str = "",
    engine_checked: bool = False,
) -> Session:
    """Record a session of the CGD with the members present (usernames or users; each must
    hold the role ``cgd`` on the session's date). A session without quorum may be recorded (the
    acta says so), but it adopts no agreement."""
    if not engine_checked and not access.can_edit_sessions(actor):
        raise Forbidden("Solo los miembros del CGD y su Secretario técnico registran sesiones.")
    errors: c.Errors = {}
    day = c.date(errors, "date", date, "Fecha de la sesión", required=True)
    agenda = c.text(errors, "agenda", agenda, "Agenda", required=True)
    kind = c.choice(
        errors, "kind", kind or SessionKind.ORDINARIA, SessionKind.values, "Tipo", required=True
    )
    users = _resolve_members(errors, "present", day, present) if day else []
    if day and not users and "present" not in errors:
        c.add(errors, "present", "Indique los miembros del CGD presentes.")
    c.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        session = Session.objects.create(
            code=f"CGD-{day.year}-{next_code('CGD', day.year):03d}",
            date=day,
            kind=kind,
            agenda=agenda,
            members_in_office=len(members_in_office(day)),
            acta_file=(acta_file or "")[:200],
            acta_number=(acta_number or "")[:120],
            notes=notes or "",
            created_by=actor,
        )
        _attend(session, users)
        record_event(
            actor=actor, action="cgd_session.record", obj=session, after=_session_snapshot(session)
        )
    return session


def _votes(errors: c.Errors, names: dict[str, str], votes: dict[str, Any]) -> dict[str, int]:
    labels = {
        "votes_for": "Votos a favor",
        "votes_against": "Votos en contra",
        "abstentions": "Abstenciones",
    }
    out: dict[str, int] = {}
    for key, label in labels.items():
        value = c.integer(
            errors,
            names.get(key, key),
            votes.get(key),
            label,
            required=key == "votes_for",
            minimum=0,
            maximum=999,
        )
        out[key] = value or 0
    return out


def do_record_agreement(
    session: Session,
    *,
    actor: Any,
    text: str,
    votes_for: Any,
    votes_against: Any = 0,
    abstentions: Any = 0,
    subject: str = AgreementSubject.OTRO,
    plan: Any = None,
    instance: Any = None,
    record: Any = None,
    must_approve: bool = False,
    field_names: dict[str, str] | None = None,
    engine_checked: bool = False,
) -> Agreement:
    """Record an agreement of ``session`` with its vote.

    Refused with field errors, saving nothing: a session without quorum (``present``); more
    votes than members present; no text. With ``must_approve`` (an approval step) an agreement
    without the majority of the members present is refused too (``votes_for``).
    """
    if not engine_checked and not access.can_edit_sessions(actor):
        raise Forbidden("Solo los miembros del CGD y su Secretario técnico registran acuerdos.")
    names = field_names or {}
    errors: c.Errors = {}
    text = c.text(errors, names.get("text", "text"), text, "Acuerdo", required=True)
    subject = c.choice(
        errors,
        names.get("subject", "subject"),
        subject,
        AgreementSubject.values,
        "Asunto",
        required=True,
    )
    votes = _votes(
        errors,
        names,
        {"votes_for": votes_for, "votes_against": votes_against, "abstentions": abstentions},
    )
    present = session.attendance.count()
    if present < session.quorum_needed:
        c.add(
            errors,
            names.get("present", "present"),
            f"La sesión {session.code} no tiene quórum: asistieron {present} de "
            f"{session.members_in_office} miembros y se requieren {session.quorum_needed}. "
            "Sin quórum el CGD no adopta acuerdos.",
        )
    elif sum(votes.values()) > present:
        c.add(
            errors,
            names.get("votes_for", "votes_for"),
            f"Los votos ({sum(votes.values())}) superan a los miembros presentes ({present}).",
        )
    elif sum(votes.values()) == 0 and not errors:
        c.add(errors, names.get("votes_for", "votes_for"), "Registre la votación del acuerdo.")
    approved = votes["votes_for"] * 2 > present
    if must_approve and not errors and not approved:
        c.add(
            errors,
            names.get("votes_for", "votes_for"),
            f"El acuerdo no alcanza la mayoría de los miembros presentes ({present // 2 + 1} "
            "votos a favor): el CGD no lo aprobó.",
        )
    c.raise_if(errors)
    with transaction.atomic():
        count = Agreement.objects.filter(session=session).count()
        agreement = Agreement.objects.create(
            session=session,
            code=f"{session.code}/A{count + 1}",
            subject=subject,
            text=text,
            result=AgreementResult.APROBADO if approved else AgreementResult.RECHAZADO,
            plan=plan,
            instance=instance,
            record=record,
            created_by=actor,
            **votes,
        )
        record_event(
            actor=actor,
            action="cgd_agreement.record",
            obj=agreement,
            after={
                "session": session.code,
                "subject": subject,
                "result": agreement.result,
                **votes,
                "present": present,
            },
        )
    return agreement


def do_record_step_agreement(
    *,
    actor: Any,
    date: Any,
    present: Iterable[Any],
    text: str,
    votes: dict[str, Any],
    subject: str,
    agenda: str,
    acta_file: str = "",
    acta_number: str = "",
    plan: Any = None,
    instance: Any = None,
    record: Any = None,
    field_names: dict[str, str],
) -> Agreement:
    """The approval step of a procedure given to the CGD: the session of ``date`` (recorded
    now, or the one recorded before with the members present added) and its agreement, which
    must be approved. Errors name the step form's fields (``field_names``)."""
    errors: c.Errors = {}
    day = c.date(errors, field_names["date"], date, "Fecha de la sesión", required=True)
    users = _resolve_members(errors, field_names["present"], day, present) if day else []
    if day and not users and field_names["present"] not in errors:
        c.add(errors, field_names["present"], "Indique los miembros del CGD presentes.")
    c.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        session = Session.objects.filter(date=day).order_by("id").first()
        if session is None:
            session = do_record_session(
                actor=actor,
                date=day,
                agenda=agenda,
                present=users,
                acta_file=acta_file,
                acta_number=acta_number,
                engine_checked=True,
            )
        else:
            before = _session_snapshot(session)
            _attend(session, users)
            if acta_file and not session.acta_file:
                session.acta_file = acta_file[:200]
            if acta_number and not session.acta_number:
                session.acta_number = acta_number[:120]
            if agenda and agenda not in session.agenda:
                session.agenda = f"{session.agenda}\n{agenda}".strip()
            session.save()
            after = _session_snapshot(session)
            if after != before:
                record_event(
                    actor=actor,
                    action="cgd_session.update",
                    obj=session,
                    before=before,
                    after=after,
                )
        return do_record_agreement(
            session,
            actor=actor,
            text=text,
            subject=subject,
            plan=plan,
            instance=instance,
            record=record,
            must_approve=True,
            field_names=field_names,
            engine_checked=True,
            **votes,
        )
