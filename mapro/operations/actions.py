"""State changes of the run records and of the tokens that post them.

``do_record_run`` is the one way a run is written — by hand (a person holding ``RECORD_ROLES``),
by a backup server or script (its ``RunToken``: only the kinds and equipment it is scoped to)
or by a procedure step. It checks every field before writing anything: equipment not in the
inventory (or dado de baja), a future date, an unknown outcome → field errors, nothing saved.
Then, in one transaction: the record, its evidence, the cronograma date it fulfils
(``schedules.actions.plans.match_pending_occurrence``) and, **for a failed or partial backup,
the correction path of S04.03.02.01**: an instance started at «falla-copia-bd» (activity 5,
database copies) or «falla-copia-comun» (activity 7, common information), linked to the record,
whose steps write the corrective action back (``procedure_effects``).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mapro.audit.actions import actor_name as user_name
from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition, MaproError
from mapro.inventory.choices import RETIRED_STATES
from mapro.inventory.models import Equipment
from mapro.organization.models import Unit

from . import access
from .choices import (
    BACKUP_KINDS,
    CORRECTION_START,
    PROCEDURE_OF_KIND,
    CorrectionState,
    Outcome,
    RunKind,
    Source,
)
from .evidence import Evidence, store
from .models import RunRecord, RunToken

logger = logging.getLogger(__name__)
CLOCK_SKEW = datetime.timedelta(minutes=5)


def actor_name(actor: Any, token: RunToken | None = None) -> str:
    """Who recorded it: the run token when a script did, else the user (``audit``'s form)."""
    if token is not None:
        return f"token «{token.name}» ({token.prefix}…)"[:200]
    return user_name(actor)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def run_snapshot(run: RunRecord) -> dict[str, Any]:
    return {
        "kind": run.kind,
        "equipment": run.equipment.code,
        "system": run.system,
        "ran_at": run.ran_at.isoformat(),
        "outcome": run.outcome,
        "size_bytes": run.size_bytes,
        "item_count": run.items,
        "source": run.source,
        "evidence_sha256": run.evidence_sha256 or None,
        "correction_state": run.correction_state,
        "instance": run.instance_id,
        "plan_occurrence": run.plan_occurrence_id,
    }


def _when(value: Any) -> datetime.datetime | None:
    moment: datetime.datetime | None = None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _count(value: Any, field: str, errors: dict[str, list[str]]) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[field] = ["Indique un número entero no negativo."]
        return None
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        errors[field] = ["Indique un número entero no negativo."]
        return None
    return number


def equipment_problem(code: str) -> str:
    """Why ``code`` names no equipment a run may be recorded for ("" when it does)."""
    if not code:
        return "Indique el código de inventario del equipo."
    equipment = Equipment.objects.filter(code=code).first()
    if equipment is None:
        return f"El equipo {code!r} no está en el inventario."
    if equipment.state in RETIRED_STATES:
        return f"El equipo {code} está dado de baja (o en trámite de baja)."
    return ""


def check_run(values: dict[str, Any]) -> dict[str, Any]:
    """Clean values of a run, or ``InvalidInput`` naming every wrong field."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    kind = values.get("kind")
    if kind not in RunKind.values:
        errors["kind"] = ["Elija el tipo: " + ", ".join(RunKind.values) + "."]
    clean["kind"] = kind
    code = values.get("equipment")
    code = code.strip() if isinstance(code, str) else ""
    problem = equipment_problem(code)
    if problem:
        errors["equipment"] = [problem]
    clean["equipment"] = None if problem else Equipment.objects.get(code=code)
    ran_at = _when(values.get("ran_at"))
    if ran_at is None:
        errors["ran_at"] = ["Indique la fecha y hora de ejecución (ISO 8601)."]
    elif ran_at > timezone.now() + CLOCK_SKEW:
        errors["ran_at"] = ["La fecha y hora de ejecución no puede ser futura."]
    clean["ran_at"] = ran_at
    outcome = values.get("outcome")
    if outcome not in Outcome.values:
        errors["outcome"] = ["Indique el resultado: ok, failed o partial."]
    clean["outcome"] = outcome
    clean["size_bytes"] = _count(values.get("size_bytes"), "size_bytes", errors)
    clean["items"] = _count(values.get("items"), "items", errors)
    for name, limit in (("system", 200), ("destination", 300), ("external_id", 100)):
        text = values.get(name) or ""
        text = text.strip() if isinstance(text, str) else ""
        if len(text) > limit:
            errors[name] = [f"Use como máximo {limit} caracteres."]
        clean[name] = text
    for name in ("files", "message", "corrective_action"):
        text = values.get(name) or ""
        clean[name] = text.strip() if isinstance(text, str) else ""
    if errors:
        raise InvalidInput(errors=errors)
    return clean


def _open_correction(run: RunRecord) -> None:
    """Start S04.03.02.01's correction path for a failed backup (module docstring). A refused
    start (procedure not published) leaves the record with its correction pending and is
    logged: the run itself must never be lost."""
    from mapro.procedures.actions import do_start_instance

    try:
        with transaction.atomic():  # a savepoint: a refused start undoes only itself
            instance = do_start_instance(
                PROCEDURE_OF_KIND[RunKind(run.kind)],
                start=CORRECTION_START[RunKind(run.kind)],
                data={"registro_ejecucion": run.pk},
                unit=Unit.objects.filter(code="OGTIE").first(),
                actor=None,
                system=True,
            )
    except MaproError as exc:
        logger.error("Run %s: the correction path could not start: %s", run.pk, exc.message)
        return
    run.instance = instance
    run.save(update_fields=["instance"])


def do_record_run(
    *,
    actor: Any,
    token: RunToken | None = None,
    source: str | None = None,
    evidence: Evidence | None = None,
    instance: Any = None,
    **values: Any,
) -> RunRecord:
    """Write one run (module docstring). ``actor`` is the person (``None`` with a ``token`` or
    for a procedure step, ``source="procedure"``, whose role the engine checked). A token's
    repeated ``external_id`` returns the first record unchanged (scripts retry)."""
    if token is not None:
        if token.revoked_at is not None:
            raise Forbidden("El token fue revocado.")
        source = Source.API
    elif source == Source.PROCEDURE:
        pass
    else:
        source = Source.MANUAL
        if not access.can_record(actor):
            raise Forbidden("Las ejecuciones las registra el personal de infraestructura.")
    clean = check_run(values)
    if token is not None:
        if clean["kind"] not in (token.kinds or []):
            raise Forbidden(f"El token «{token.name}» no registra ejecuciones de ese tipo.")
        codes = token.equipment_codes or []
        if codes and clean["equipment"].code not in codes:
            raise Forbidden(f"El token «{token.name}» no registra ejecuciones de ese equipo.")
        if clean["external_id"]:
            earlier = RunRecord.objects.filter(token=token, external_id=clean["external_id"])
            if earlier.exists():
                return earlier.get()
    failed = clean["outcome"] in (Outcome.FAILED, Outcome.PARTIAL)
    if clean["corrective_action"] and not failed:
        raise InvalidInput(
            errors={"corrective_action": ["Una ejecución correcta no lleva acción correctiva."]}
        )
    with transaction.atomic():
        run = RunRecord(
            source=source,
            token=token,
            recorded_by=actor,
            recorded_by_name=actor_name(actor, token),
            instance=instance,
            **clean,
        )
        if failed:
            run.correction_state = (
                CorrectionState.DONE if clean["corrective_action"] else CorrectionState.PENDING
            )
            if clean["corrective_action"]:
                run.corrected_at, run.corrected_by_name = timezone.now(), run.recorded_by_name
        if evidence is not None:
            run.evidence_name = evidence.name
            run.evidence_stored = store(evidence)
            run.evidence_sha256 = evidence.sha256
            run.evidence_size = len(evidence.content)
            run.evidence_type = evidence.content_type
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError:
            # A twin post of the same external_id won the race.
            return RunRecord.objects.get(token=token, external_id=clean["external_id"])
        if not failed:
            _fulfil_plan(run)
        if (
            failed
            and run.kind in BACKUP_KINDS
            and instance is None
            and not clean["corrective_action"]
        ):
            _open_correction(run)
        record_event(
            actor=actor,
            action="run_record.create",
            obj=run,
            after={**run_snapshot(run), "by": run.recorded_by_name},
        )
    return run


def _fulfil_plan(run: RunRecord) -> None:
    """Mark the cronograma date this run fulfils as executed (the earliest pending one of its
    equipment in the cronograma in force of its procedure)."""
    from mapro.schedules.actions.plans import match_pending_occurrence
    from mapro.schedules.models import PlanOccurrence

    day = timezone.localdate(run.ran_at)
    occurrence = match_pending_occurrence(
        PROCEDURE_OF_KIND[RunKind(run.kind)], day, equipment_code=run.equipment.code
    )
    if occurrence is None:
        return
    PlanOccurrence.objects.filter(pk=occurrence.pk, status="pending").update(
        status="done",
        executed_on=day,
        executed_by_name=run.recorded_by_name,
        evidence=f"Registro de ejecución N° {run.pk}",
    )
    run.plan_occurrence = occurrence
    run.save(update_fields=["plan_occurrence"])


def do_record_correction(
    run: RunRecord,
    *,
    actor: Any,
    corrective_action: str,
    rerun_outcome: str | None = None,
    system: bool = False,
) -> RunRecord:
    """Record the corrective action of a failed or partial run (once: 409 after)."""
    if not system and not access.can_record(actor):
        raise Forbidden("Las correcciones las registra el personal de infraestructura.")
    text = (corrective_action or "").strip() if isinstance(corrective_action, str) else ""
    if not text:
        raise InvalidInput(errors={"corrective_action": ["Describa la acción correctiva."]})
    with transaction.atomic():
        current = RunRecord.objects.select_for_update().select_related("equipment").get(pk=run.pk)
        if current.outcome == Outcome.OK:
            raise InvalidTransition("Una ejecución correcta no lleva acción correctiva.")
        if current.correction_state == CorrectionState.DONE:
            raise InvalidTransition("La acción correctiva de esta ejecución ya está registrada.")
        current.corrective_action = text
        current.correction_state = CorrectionState.DONE
        current.corrected_at = timezone.now()
        current.corrected_by_name = actor_name(actor)
        current.save()
        record_event(
            actor=actor,
            action="run_record.correct",
            obj=current,
            before={"correction_state": CorrectionState.PENDING},
            after={"correction_state": current.correction_state, "corrective_action": text},
        )
    return current


# --- tokens -----------------------------------------------------------------------------------


def do_issue_token(
    *, actor: Any, name: str, kinds: Any, equipment_codes: Any = None
) -> tuple[RunToken, str]:
    """A new token for a server or script; returns it and the secret (shown once, never
    stored: only its SHA-256)."""
    if not access.can_manage_tokens(actor):
        raise Forbidden("Los tokens los emiten el coordinador de infraestructura y el Jefe(a).")
    errors: dict[str, list[str]] = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > 100:
        errors["name"] = ["Indique un nombre (hasta 100 caracteres)."]
    if not isinstance(kinds, list) or not kinds or any(k not in RunKind.values for k in kinds):
        errors["kinds"] = ["Indique los tipos permitidos: " + ", ".join(RunKind.values) + "."]
    codes = equipment_codes or []
    if not isinstance(codes, list) or any(not isinstance(c, str) for c in codes):
        errors["equipment_codes"] = ["Una lista de códigos de inventario."]
        codes = []
    known = set(Equipment.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [c for c in codes if c not in known]
    if missing:
        errors["equipment_codes"] = [f"No están en el inventario: {', '.join(missing)}."]
    if errors:
        raise InvalidInput(errors=errors)
    raw = "mro_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = RunToken.objects.create(
            name=name,
            token_hash=hash_token(raw),
            prefix=raw[:8],
            kinds=sorted(set(kinds)),
            equipment_codes=sorted(set(codes)),
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="run_token.issue",
            obj=token,
            after={"name": name, "kinds": token.kinds, "equipment_codes": token.equipment_codes},
        )
    return token, raw


def do_revoke_token(token: RunToken, *, actor: Any) -> RunToken:
    if not access.can_manage_tokens(actor):
        raise Forbidden("Los tokens los revocan el coordinador de infraestructura y el Jefe(a).")
    with transaction.atomic():
        current = RunToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is not None:
            raise InvalidTransition("El token ya está revocado.")
        current.revoked_at = timezone.now()
        current.revoked_by_name = actor_name(actor)
        current.save()
        record_event(actor=actor, action="run_token.revoke", obj=current, after={"revoked": True})
    return current


def token_for_secret(raw: str) -> RunToken | None:
    """The live token of a secret (and mark it used, at most once a minute), or None."""
    if not raw or len(raw) > 200:
        return None
    token = RunToken.objects.filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        RunToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
