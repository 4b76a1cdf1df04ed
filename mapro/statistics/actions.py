"""Actions of the statistics registers: designations, datasets, the cronograma, submissions.

Every change is one transaction that checks permission (``access``), validates (Spanish field
errors as ``InvalidInput``), writes and records an audit event. Publications (tables, charts,
documents, open data) are in ``publishing``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput
from mapro.organization.models import ExternalOrganization, Person, Role, RoleAssignment
from mapro.organization.permissions import forget_grants, has_role

from . import validation
from .access import (
    APPROVER_ROLES,
    EVALUATOR_ROLES,
    MANAGER_ROLES,
    REPRESENTATIVE_ROLE,
    designated_organizations,
)
from .choices import CalendarStatus, DesignationKind, Periodicity, SubmissionStatus
from .models import (
    CalendarEntry,
    ConsolidatedRow,
    Dataset,
    Designation,
    Submission,
    SubmissionCalendar,
)
from .periods import periods_of_year, previous_period
from .selectors import current_designations, find_entry_for_submission

MAX_UPLOAD = 20 * 1024 * 1024
BATCH = 2000


def _check(actor: Any, roles: tuple[str, ...], what: str) -> None:
    if actor is not None and not has_role(actor, roles):
        raise Forbidden(f"Su rol no permite {what}.")


# --- designations ---------------------------------------------------------------------------


@transaction.atomic
def do_designate_representative(
    *,
    organization: ExternalOrganization,
    person: Person,
    document: str,
    valid_from: datetime.date,
    kind: str = DesignationKind.TITULAR,
    document_date: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    actor: Any,
) -> Designation:
    """Register ``person`` as ``organization``'s titular/alterno representative.

    The previous designation of the same organ and kind ends the day before; the person gets
    the role ``resp-organo-estadistico`` for the same dates (unless they hold it then), so
    that the organ's tasks of S04.05.00.01 reach them.
    """
    _check(actor, MANAGER_ROLES, "registrar representantes")
    errors: dict[str, list[str]] = {}
    if not (document or "").strip():
        errors["document"] = ["Indique el documento de designación."]
    if kind not in DesignationKind.values:
        errors["kind"] = ["El tipo debe ser titular o alterno."]
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = ["La fecha «vigente hasta» no puede ser anterior a «desde»."]
    if not organization.is_active:
        errors["organization"] = ["La entidad no está activa."]
    if errors:
        raise InvalidInput(errors=errors)
    for old in (
        Designation.objects.select_for_update()
        .filter(organization=organization, kind=kind, valid_from__lt=valid_from)
        .exclude(valid_until__lt=valid_from)
    ):
        old.valid_until = valid_from - datetime.timedelta(days=1)
        old.save(update_fields=["valid_until"])
        record_event(
            actor=actor,
            action="statistics_designation.end",
            obj=old,
            after={"valid_until": old.valid_until.isoformat()},
        )
    role = Role.objects.get(code=REPRESENTATIVE_ROLE)
    assignment = (
        RoleAssignment.objects.current(valid_from)
        .filter(person=person, role=role, unit__isnull=True)
        .first()
    )
    if assignment is None:
        assignment = RoleAssignment.objects.create(
            person=person, role=role, valid_from=valid_from, valid_until=valid_until
        )
        record_event(
            actor=actor,
            action="role_assignment.create",
            obj=assignment,
            after={"person": person.dni, "role": role.code, "valid_from": str(valid_from)},
        )
        if person.user is not None:
            forget_grants(person.user)
    designation = Designation.objects.create(
        organization=organization,
        person=person,
        kind=kind,
        document=document.strip()[:200],
        document_date=document_date,
        valid_from=valid_from,
        valid_until=valid_until,
        role_assignment=assignment,
        created_by=actor,
    )
    record_event(
        actor=actor,
        action="statistics_designation.create",
        obj=designation,
        after={
            "organization": organization.code,
            "person": person.dni,
            "kind": kind,
            "document": designation.document,
            "valid_from": str(valid_from),
        },
    )
    return designation


# --- datasets -------------------------------------------------------------------------------


@transaction.atomic
def do_save_dataset(
    *,
    code: str,
    title: str,
    schema: dict[str, Any],
    checks: list[dict[str, Any]] | None = None,
    description: str = "",
    periodicity: str = Periodicity.ANUAL,
    due_business_days: int = 10,
    actor: Any,
) -> Dataset:
    """Create or update the dataset ``code``: its Table Schema is the "formato establecido"."""
    _check(actor, MANAGER_ROLES, "definir conjuntos de datos")
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = ["Indique el título."]
    problems = validation.schema_problems(schema)
    if problems:
        errors["schema"] = problems
    else:
        check_problems = validation.check_definition_errors(checks or [], schema)
        if check_problems:
            errors["checks"] = check_problems
    if periodicity not in Periodicity.values:
        errors["periodicity"] = ["Periodicidad desconocida."]
    if errors:
        raise InvalidInput(errors=errors)
    dataset, created = Dataset.objects.update_or_create(
        code=code,
        defaults={
            "title": title.strip(),
            "schema": schema,
            "checks": checks or [],
            "description": description,
            "periodicity": periodicity,
            "due_business_days": due_business_days,
        },
    )
    record_event(
        actor=actor,
        action="statistics_dataset.create" if created else "statistics_dataset.update",
        obj=dataset,
        after={"code": code, "fields": dataset.field_names, "checks": dataset.checks},
    )
    return dataset


# --- the cronograma of submissions ----------------------------------------------------------


@transaction.atomic
def do_formulate_calendar(
    year: int,
    *,
    actor: Any,
    datasets: list[Dataset] | None = None,
    organizations: list[ExternalOrganization] | None = None,
    instance: Any = None,
) -> SubmissionCalendar:
    """Formulate (or reformulate) the year's cronograma: one entry per dataset, organ and period.

    Organs default to those with a current designation; due dates are ``due_business_days``
    business days after each period ends, on the Peru business calendar
    (``mapro.schedules.calendar``). An approved cronograma is not reformulated (409).
    """
    from mapro.schedules.calendar import add_business_days

    _check(actor, MANAGER_ROLES, "formular el cronograma de envío")
    if not 2000 <= year <= 2100:
        raise InvalidInput(errors={"anio": ["Indique un año entre 2000 y 2100."]})
    calendar, _ = SubmissionCalendar.objects.select_for_update().get_or_create(year=year)
    if calendar.status == CalendarStatus.APROBADO:
        raise Conflict(f"El cronograma {year} ya fue aprobado por la Secretaría General.")
    datasets = list(datasets if datasets is not None else Dataset.objects.filter(is_active=True))
    if organizations is None:
        organizations = sorted(
            {d.organization for d in current_designations()}, key=lambda o: o.code
        )
    if not datasets or not organizations:
        raise InvalidInput(
            errors={"__all__": ["No hay conjuntos de datos vigentes u órganos con representante."]}
        )
    if instance is not None:
        calendar.instance = instance
        calendar.save(update_fields=["instance"])
    calendar.entries.filter(submissions__isnull=True).delete()
    for dataset in datasets:
        for label, end in periods_of_year(year, dataset.periodicity):
            due = add_business_days(end, dataset.due_business_days)
            for org in organizations:
                CalendarEntry.objects.update_or_create(
                    dataset=dataset,
                    organization=org,
                    period=label,
                    defaults={"calendar": calendar, "period_end": end, "due_date": due},
                )
    record_event(
        actor=actor,
        action="statistics_calendar.formulate",
        obj=calendar,
        after={"year": year, "entries": calendar.entries.count()},
    )
    return calendar


@transaction.atomic
def do_approve_calendar(calendar: SubmissionCalendar, *, actor: Any) -> SubmissionCalendar:
    """The Secretaría General approves the cronograma: its entries then accept submissions."""
    _check(actor, APPROVER_ROLES, "aprobar el cronograma de envío")
    calendar = SubmissionCalendar.objects.select_for_update().get(pk=calendar.pk)
    if calendar.status == CalendarStatus.APROBADO:
        return calendar
    if not calendar.entries.exists():
        raise InvalidInput(errors={"__all__": ["El cronograma no tiene envíos programados."]})
    calendar.status = CalendarStatus.APROBADO
    calendar.approved_by_name = actor_name(actor)
    calendar.approved_at = timezone.now()
    calendar.save(update_fields=["status", "approved_by_name", "approved_at"])
    record_event(
        actor=actor,
        action="statistics_calendar.approve",
        obj=calendar,
        after={"year": calendar.year, "status": calendar.status},
    )
    return calendar


# --- submissions ----------------------------------------------------------------------------


def previous_rows(entry: CalendarEntry) -> list[dict[str, Any]]:
    """The consolidated rows of the same organ and dataset for the period before."""
    before = previous_period(entry.period)
    if before is None:
        return []
    return list(
        ConsolidatedRow.objects.filter(
            dataset=entry.dataset, organization=entry.organization, period=before
        ).values_list("values", flat=True)
    )


def check_file(entry: CalendarEntry, content: bytes, filename: str) -> tuple[Any, list[Any]]:
    """(typed rows or None, every error) of a file for ``entry`` — no writes."""
    try:
        table = validation.read_table(content, filename)
    except validation.UnreadableFile as exc:
        return None, [{"row": None, "column": "", "message": str(exc)}]
    schema = entry.dataset.schema
    errors = validation.schema_errors(table, schema)
    if errors:
        return None, errors
    rows = validation.cast_rows(table, schema)
    errors = validation.check_errors(rows, schema, entry.dataset.checks, previous_rows(entry))
    return (None if errors else rows), errors


def do_submit(
    *,
    dataset: str,
    organization: str,
    period: str,
    content: bytes,
    filename: str,
    actor: Any,
) -> Submission:
    """A representative sends the organ's file for a period of the approved cronograma.

    403 when the user is not designated for the organ or the period is not in the cronograma.
    The file is checked whole (``check_file``); a file with errors is kept as ``rechazado``
    with every error and changes nothing else; a valid one becomes the entry's next version,
    ``recibido`` until the especialista evaluates it (the accepted version stays consolidated
    meanwhile). The team is told.
    """
    entry = find_entry_for_submission(actor, dataset, organization, period)
    if not content:
        raise InvalidInput(errors={"file": ["Adjunte el archivo (XLSX o CSV)."]})
    if len(content) > MAX_UPLOAD:
        raise InvalidInput(errors={"file": ["El archivo supera los 20 MB."]})
    rows, errors = check_file(entry, content, filename)
    with transaction.atomic():
        entry = CalendarEntry.objects.select_for_update().get(pk=entry.pk)
        version = None
        if rows is not None:
            last = entry.submissions.exclude(version=None).order_by("-version").first()
            version = ((last.version or 0) if last is not None else 0) + 1
        submission = Submission.objects.create(
            entry=entry,
            version=version,
            status=SubmissionStatus.RECIBIDO if rows is not None else SubmissionStatus.RECHAZADO,
            filename=(filename or "envio")[:200],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            row_count=len(rows) if rows is not None else 0,
            errors=errors,
            error_count=len(errors),
            submitted_by=actor,
            submitted_by_name=actor_name(actor),
        )
        record_event(
            actor=actor,
            action="statistics_submission.receive"
            if rows is not None
            else "statistics_submission.reject",
            obj=submission,
            after={
                "entry": str(entry),
                "version": version,
                "rows": submission.row_count,
                "errors": len(errors),
                "sha256": submission.sha256,
            },
        )
        if rows is not None:
            from .notices import tell_team_of_submission

            tell_team_of_submission(submission)
    return submission


def consolidate(submission: Submission, rows: list[dict[str, Any]] | None = None) -> int:
    """Replace the organ's consolidated rows of the period by ``submission``'s (in the caller's
    transaction); returns the number of rows written."""
    entry = submission.entry
    if rows is None:
        table = validation.read_table(bytes(submission.content), submission.filename)
        rows = validation.cast_rows(table, entry.dataset.schema)
    ConsolidatedRow.objects.filter(
        dataset=entry.dataset, organization=entry.organization, period=entry.period
    ).delete()
    if connection.vendor == "postgresql":
        return _copy_rows(submission, rows)
    objs = (
        ConsolidatedRow(
            dataset_id=entry.dataset_id,
            organization_id=entry.organization_id,
            period=entry.period,
            submission=submission,
            values=row,
        )
        for row in rows
    )
    written = 0
    batch: list[ConsolidatedRow] = []
    for obj in objs:
        batch.append(obj)
        if len(batch) >= BATCH:
            ConsolidatedRow.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        ConsolidatedRow.objects.bulk_create(batch)
        written += len(batch)
    return written


def _copy_rows(submission: Submission, rows: list[dict[str, Any]]) -> int:
    """PostgreSQL: the rows in one ``COPY`` (an order of magnitude faster than INSERTs for the
    50,000-row files of the benchmark), in the caller's transaction."""
    entry = submission.entry
    table = ConsolidatedRow._meta.db_table
    fixed = (entry.dataset_id, entry.organization_id, entry.period, submission.pk)
    sql = (
        f'COPY "{table}" (dataset_id, organization_id, period, submission_id, "values") FROM STDIN'
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row((*fixed, json.dumps(row, ensure_ascii=False)))
    return len(rows)


@transaction.atomic
def do_evaluate_submission(
    submission: Submission,
    *,
    accept: bool,
    observations: str = "",
    actor: Any,
    rows: list[dict[str, Any]] | None = None,
) -> Submission:
    """The especialista accepts a received version (consolidated at once, the previous accepted
    version marked replaced) or sends it back with observations, which the representative
    reads on their page (and is told of)."""
    _check(actor, EVALUATOR_ROLES, "evaluar la información estadística")
    submission = (
        Submission.objects.select_for_update()
        .select_related("entry", "entry__dataset", "entry__organization")
        .get(pk=submission.pk)
    )
    if submission.status != SubmissionStatus.RECIBIDO:
        raise Conflict(f"El envío está «{submission.get_status_display()}»: ya fue evaluado.")
    if not accept and not observations.strip():
        raise InvalidInput(errors={"observations": ["Indique las observaciones para el órgano."]})
    written = 0
    if accept:
        Submission.objects.filter(entry=submission.entry, status=SubmissionStatus.ACEPTADO).update(
            status=SubmissionStatus.REEMPLAZADO
        )
        written = consolidate(submission, rows)
        submission.status = SubmissionStatus.ACEPTADO
    else:
        submission.status = SubmissionStatus.OBSERVADO
    submission.observations = observations.strip()
    submission.evaluated_by_name = actor_name(actor)
    submission.evaluated_at = timezone.now()
    submission.save(update_fields=["status", "observations", "evaluated_by_name", "evaluated_at"])
    record_event(
        actor=actor,
        action="statistics_submission.accept" if accept else "statistics_submission.observe",
        obj=submission,
        after={"status": submission.status, "rows": written, "observations": observations},
    )
    from .notices import tell_representatives_of_evaluation

    tell_representatives_of_evaluation(submission)
    return submission


def representative_may_submit(user: Any, organization: ExternalOrganization) -> bool:
    return designated_organizations(user).filter(pk=organization.pk).exists()
