"""Demo cases of every published procedure (``mapro seed --demo``), walked with the real actions.

For each published procedure the seed leaves a few finished cases and one running case, so every
inbox, register and export has rows on a fresh install. Nothing is written here directly: each
case is started with ``do_start_instance`` (or, when the start's first activity registers the
request as a ticket, through the help desk's request form action, registered as the
``request opener`` seam below) and advanced with ``do_complete_task``, each step as the demo user
of one of the activity's roles (demo usernames are role codes, ``organization.seeding``), so the
records, documents and registers are written by the procedures' own effects exactly as in real
use. Everything is created inside ``demo_data()`` (``mapro.core.demo``): the instances are
``is_demo`` and the tickets' subjects start with "Demostración".

The data of each step is synthesized from the activity's form (``synthesize``): a value fitting
each field's type, format, choices and limits, the values an earlier step recorded for a
``choices_from`` field, and a chosen branch for a decision (rotated per case, and per visit of a
loop, so a "No, volver" branch is taken at most once in a row). Where a procedure's effects need
specific data (a code that must exist in a register…) ``NAMED`` gives it, per field name.

Idempotent: a procedure that already has as many demo cases as its plan is left alone, so
running the seed twice adds nothing, and a procedure published later gets its cases on the next
run.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from mapro.core.demo import demo_data
from mapro.core.exceptions import Forbidden, MaproError
from mapro.organization.data import DEMO_UNIT_SCOPED_UNIT
from mapro.organization.models import Unit

from . import routing
from .actions import activity, do_complete_task, do_start_instance, form_schema_for
from .choices import recorded_choices, records_for_choices
from .entries import starts_with_request
from .models import Instance, InstanceStatus, Procedure, WorkItem, WorkItemState

logger = logging.getLogger(__name__)

#: Finished cases per procedure (over its ways to start, in ficha order), and running cases.
FINISHED_CASES = 2
RUNNING_CASES = 1
#: Steps a running case is left after (it waits at the next activity).
RUNNING_STEPS = 2
#: A walk longer than this is a loop the branch rotation did not leave: it is left running.
MAX_STEPS = 60

#: Where uploaded files of the demo steps go (as the task form's uploads do).
UPLOAD_DIR = "procedimientos"

#: The smallest valid PDF: what a demo step "attaches" (an acta, a report...).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

PEOPLE = [
    ("Ana María", "Quispe Huamán", "41852376"),
    ("Luis Alberto", "Ramos Flores", "42963487"),
    ("Rosa Elena", "Chávez León", "43074598"),
    ("Jorge Luis", "Paredes Ríos", "40125896"),
]


#: Decisions answered the same in every case, where the step's rows must agree with the answer
#: (S04.03.04.03 activity 6: «Sí» only when every equipment row says it was solved, as the
#: synthesized rows do).
#: A list gives each case its answer in turn (S04.03.01.01: the first case creates the accounts
#: of a new user, the third asks for VPN, whose user does not exist yet).
DECISIONS: dict[str, dict[int, str | list[str]]] = {
    "S04.03.01.01": {7: ["si_cuentas", "si_vpn", "si_vpn"], 13: "no"},
    "S04.03.04.03": {6: "si"},
}

#: Fewer finished cases where finishing is costly (S04.05.00.01 ends by assembling the
#: statistical document's PDF, ~2 s each).
FINISHED: dict[str, int] = {"S04.05.00.01": 1}


def _documents(filler: Filler) -> list[dict[str, Any]]:
    """The data center's entry documents (S04.03.01.03), every kind valid until next year."""
    until = timezone.localdate().replace(month=12, day=31).isoformat()
    kinds = ["sctr", "contrato_orden", "procedimiento", "capacitacion_sst", "cv_prevencionista"]
    rows = [{"documento": k, "archivo": filler.save_file(f"{k}.pdf")} for k in kinds]
    rows.append(
        {
            "documento": "certificado_medico",
            "vigente_hasta": until,
            "archivo": filler.save_file("cmo.pdf"),
        }
    )
    rows[0]["vigente_hasta"] = until
    return rows


def _demo_dni(username: str = "personal") -> str:
    """The DNI of a demo user's person (a register that needs a known person)."""
    from mapro.organization.models import Person

    dni = Person.objects.filter(user__username=username).values_list("dni", flat=True).first()
    return str(dni or PEOPLE[0][2])


#: A named value: a value, or ``value(filler)`` computed for the case; ``DROP`` leaves the
#: field out.
Named = Any
DROP = object()


def _year(offset: int) -> Callable[[Filler], int]:
    """A year after the current one, a different one per case (a register keeps one per year)."""
    return lambda f: timezone.localdate().year + offset + f.variant


def _devices(f: Filler) -> list[dict[str, str]]:
    return [
        {"tipo": "tarjeta-criptografica", "serie": f"TC-DEMO-{f.variant + 1:03d}"},
        {"tipo": "lector-tarjetas", "serie": f"LT-DEMO-{f.variant + 1:03d}"},
    ]


#: Per procedure, values of fields (by name, in any activity and in list rows) that synthesized
#: text cannot guess: codes that must exist in a register (the demo inventory, catalogue,
#: entities and people of the other seed steps), a year or period a register keeps once, rows a
#: later step checks one by one. A named field is always filled (or left out, ``DROP``).
NAMED: dict[str, dict[str, Named]] = {
    "S04.01.00.01": {
        # A new PGD of three years after the demo PGD-2025-2027, one period per case.
        "anio_inicio": lambda f: timezone.localdate().year + 1 + 3 * f.variant,
        "anio_fin": lambda f: timezone.localdate().year + 3 + 3 * f.variant,
        "miembros_presentes": [{"miembro": "cgd"}],
        **{"votos_a_favor": 1, "votos_en_contra": 0, "abstenciones": 0},
    },
    "S04.01.00.02": {
        "periodo": lambda f: f"Seguimiento de demostración N° {f.variant + 1}",
        "miembros_presentes": [{"miembro": "cgd"}],
        **{"votos_a_favor": 1, "votos_en_contra": 0, "abstenciones": 0},
    },
    "S04.02.00.01": {
        "codigo_sistema": lambda f: f"DEMO-SIS-{f.variant + 1:02d}",
        "expediente_acceso_git": DROP,
    },
    "S04.02.00.02": {
        "sistema": "SIGEDOC",
        "expediente_acceso_git": DROP,
        # A release number SIGEDOC does not have yet (its demo release is 1.0.0).
        "version": lambda f: f"1.{f.variant + 1}.0",
    },
    "S04.03.01.03": {"gestiones_previas": _documents, "documentos": _documents},
    "S04.03.01.04": {"equipo": "SRV-BD-01"},
    "S04.03.02.01": {"equipo": "SRV-BD-01"},
    "S04.03.03.01": {"equipo": "CT-01"},
    "S04.03.03.02": {"anexo": DROP, "registrado_call_manager": DROP},
    "S04.03.04.01": {
        "tarjeta_criptografica": lambda f: _devices(f)[0]["serie"],
        "lector_tarjetas": lambda f: _devices(f)[1]["serie"],
        "dispositivos": _devices,
        "dispositivos_recibidos": _devices,
    },
    "S04.03.04.03": {
        "codigo": "PC-DIGEP-001",
        "anio": _year(1),
        "fecha": lambda f: datetime.date(
            timezone.localdate().year + 1 + f.variant, 3, 10
        ).isoformat(),
    },
    "S04.04.00.01": {
        "plataforma": "FW-01",
        # The profile a case creates at activity 2 is the one it assigns at activity 3.
        "perfiles": lambda f: [{"nombre": f"Monitoreo de demostración {f.variant + 1}"}],
        "perfil": lambda f: f"Monitoreo de demostración {f.variant + 1}",
        "responsable_primario": lambda f: _demo_dni("profesional-ogtie"),
        "responsable_secundario": lambda f: _demo_dni("tecnico-especialista"),
    },
    "S04.04.00.02": {"bloqueos": [{"tipo": "dominio", "valor": "ofertas-mindef-falso.com"}]},
    "S04.05.00.01": {
        "anio": _year(1),
        "anio_envio": _year(1),
        "periodo": lambda f: str(timezone.localdate().year + 1 + f.variant),
        # The demo organ's representative (statistics seed) is designated again by the case.
        "entidad": "EP",
        "dni": lambda f: _demo_dni("resp-organo-estadistico"),
    },
    "S04.05.00.02": {"formato": "operaciones"},
}

#: Ways to start each demo case of a procedure, finished ones first (default: the ficha's
#: starts in turn). Starts left out need what the demo cannot give (a draft cronograma of the
#: register of cronogramas, which the cronogramas' own demo data covers).
STARTS: dict[str, list[str]] = {
    "S04.03.02.01": ["cronograma", "falla-copia-comun", "requerimiento"],
    "S04.03.03.01": ["cronograma", "respaldo", "respaldo"],
    # A return needs the devices a request delivered: the demo's are delivered by its requests.
    "S04.03.04.01": ["requerimiento", "requerimiento", "requerimiento"],
}


#: ``opener(code, start_key, *, actor, fill) -> Instance | None``: registers the request of a
#: start whose first activity creates a ticket, as the help desk's form does, and returns the
#: case it started (the help desk registers it; the engine does not import the help desk).
RequestOpener = Callable[..., "Instance | None"]
_openers: list[RequestOpener] = []


def register_request_opener(opener: RequestOpener) -> None:
    """Install how a demo request is registered (the help desk does, at start-up)."""
    if opener not in _openers:
        _openers.append(opener)


#: ``provider(instance, n, data) -> {field: value}``: what a step of a demo case answers that
#: only the register owning it can give (the number of a draft cronograma it creates, a report
#: it stores…). Registered per procedure by that register's app (its ``seeding`` module); the
#: values are merged over the synthesized data of every step of the procedure.
ValueProvider = Callable[[Instance, int, dict[str, Any]], dict[str, Any]]
_providers: dict[str, list[ValueProvider]] = {}


def register_demo_values(code: str, provider: ValueProvider) -> None:
    """Install a provider of demo values for procedure ``code`` (idempotent)."""
    known = _providers.setdefault(code, [])
    if provider not in known:
        known.append(provider)


def _describes(prop: dict[str, Any]) -> bool:
    """An optional field worth filling in a demo case (module docstring of ``Filler.fill``)."""
    if prop.get("oneOf") or prop.get("type") in {"boolean", "integer", "number"}:
        return True
    return prop.get("type") == "string" and prop.get("format") in {
        "textarea",
        "date",
        "date-time",
        "file",
    }


# --- values ----------------------------------------------------------------------------------


@dataclass
class Filler:
    """Synthesizes form data for one case (``variant`` picks names, choices and branches)."""

    variant: int
    unit_code: str
    save_file: Callable[[str], str] = field(default=lambda name: name)
    named: dict[str, Named] = field(default_factory=dict)

    @property
    def person(self) -> tuple[str, str, str]:
        return PEOPLE[self.variant % len(PEOPLE)]

    def fill(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A value for every required field of the object ``schema`` and for the optional ones
        that describe (texts, dates, choices, yes/no); optional lists and short texts, often
        codes of another register or rows a later step checks, are left out."""
        props = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        data: dict[str, Any] = {}
        for name, prop in props.items():
            if not isinstance(prop, dict):
                continue
            if name in self.named:
                given = self.named[name]
                if given is not DROP:
                    data[name] = given(self) if callable(given) else given
            elif name in required or _describes(prop):
                value = self.value(name, prop)
                if value is not None:
                    data[name] = value
        return data

    def value(self, name: str, prop: dict[str, Any]) -> Any:
        options = [o.get("const") for o in prop.get("oneOf") or [] if isinstance(o, dict)]
        options = [o for o in options if o is not None] or list(prop.get("enum") or [])
        if options:
            return options[self.variant % len(options)]
        kind = prop.get("type")
        if kind == "boolean":
            return True
        if kind == "integer":
            return self._number(prop, 3)
        if kind == "number":
            return float(self._number(prop, 2))
        if kind == "array":
            items = prop.get("items") or {}
            count = max(1, int(prop.get("minItems") or 0))
            if items.get("type") == "object" or "properties" in items:
                return [self.fill(items) for _ in range(count)]
            return [self.value(name, items) for _ in range(count)]
        if kind == "object":
            return self.fill(prop)
        return self._text(name, prop)

    def _number(self, prop: dict[str, Any], default: int) -> int:
        low, high = prop.get("minimum"), prop.get("maximum")
        if low is not None and int(low) >= 2000:  # a year
            return max(int(low), min(timezone.localdate().year, int(high or 9999)))
        value = max(default, int(low or 0))
        return min(value, int(high)) if high is not None else value

    def _text(self, name: str, prop: dict[str, Any]) -> str | None:
        fmt = prop.get("format")
        today = timezone.localdate()
        given, family, dni = self.person
        if fmt == "date":
            return today.isoformat()
        if fmt == "date-time":
            now = timezone.localtime().replace(second=0, microsecond=0)
            return now.isoformat()
        if fmt == "dni" or name == "dni":
            return dni
        if fmt == "email":
            return f"{given.split()[0].lower()}.{family.split()[0].lower()}@mindef.gob.pe"
        if fmt == "unit":
            return self.unit_code
        if fmt == "file":
            return self.save_file(f"{name}.pdf")
        lowered = name.lower()
        if "nombre" in lowered and ("apellido" in lowered or "completo" in lowered):
            text = f"{given} {family}"
        elif lowered in {"nombres", "nombre"}:
            text = given
        elif lowered == "apellidos":
            text = family
        elif "cuenta" in lowered or "usuario" in lowered:
            text = (given[0] + family.split()[0]).lower().replace("á", "a").replace("ó", "o")
        elif fmt == "textarea":
            text = f"{prop.get('title') or name}: texto de demostración."
        else:
            text = f"{prop.get('title') or name} (demostración)"
        low = int(prop.get("minLength") or 0)
        if len(text) < low:
            text = text.ljust(low, ".")
        high = prop.get("maxLength")
        return text[: int(high)] if high else text


# --- walking ---------------------------------------------------------------------------------


@dataclass
class CaseReport:
    """What happened to one demo case (for the seed's line and the tests)."""

    code: str
    start: str
    instance: Instance | None = None
    problem: str = ""


def _demo_users() -> dict[str, Any]:
    """The demo users by username (= role code), active ones only."""
    return {u.username: u for u in get_user_model().objects.filter(is_active=True)}


def _saver(instance_id: int | None) -> Callable[[str], str]:
    def save(name: str) -> str:
        where = f"{UPLOAD_DIR}/{instance_id or 'inicio'}/demostracion/{name}"
        return str(default_storage.save(where, ContentFile(DEMO_PDF)))

    return save


def _answer(code: str, act: dict[str, Any], visits: dict[int, int], variant: int) -> dict[str, Any]:
    """The decision's answer: the case's branch, the next one each time a loop comes back
    (or the one ``DECISIONS`` fixes)."""
    decision = act.get("decision")
    if not decision:
        return {}
    n = int(act["n"])
    fixed = DECISIONS.get(code, {}).get(n)
    if fixed is not None:
        answer = fixed if isinstance(fixed, str) else fixed[variant % len(fixed)]
        return {decision["field"]: answer}
    branches = [b["const"] for b in decision["branches"]]
    choice = branches[(variant + visits.get(n, 0)) % len(branches)]
    return {decision["field"]: choice}


def _step_data(
    instance: Instance, item: WorkItem, filler: Filler, visits: dict[int, int]
) -> dict[str, Any]:
    ficha = instance.procedure_version.ficha
    schema = form_schema_for(ficha, item.n)
    filler.save_file = _saver(instance.pk)
    data = filler.fill(schema)
    for path, values in recorded_choices(schema, records_for_choices(instance.pk, schema)).items():
        pick = values[filler.variant % len(values)]
        if len(path) == 1:
            data[path[0]] = pick
        else:
            for row in data.get(path[0]) or []:
                row[path[1]] = pick
    for provider in _providers.get(instance.procedure_code, []):
        data.update(provider(instance, item.n, data))
    data.update(_answer(instance.procedure_code, activity(ficha, item.n), visits, filler.variant))
    return data


def _complete(item: WorkItem, data: dict[str, Any], users: dict[str, Any]) -> None:
    """Complete ``item`` as the person it is assigned to, else the first demo holder of one of
    its roles allowed to take it."""
    assignee = (item.item or {}).get("user") if isinstance(item.item, dict) else None
    candidates = [users[assignee]] if assignee in users else []
    candidates += [users[role] for role in item.roles if role in users]
    refused: MaproError | None = None
    for user in candidates:
        try:
            do_complete_task(item.pk, data, actor=user)
            return
        except Forbidden as exc:  # not in this holder's scope: the next one
            refused = exc
    raise refused or Forbidden(f"Ningún usuario de demostración tiene un rol de la tarea {item.n}.")


def _start(
    code: str, ficha: dict[str, Any], start: dict[str, Any], filler: Filler, users: dict[str, Any]
) -> Instance | None:
    first = activity(ficha, int(start["activity"]))
    starter = next((users[r] for r in first.get("roles", []) if r in users), None)
    if starter is None:
        raise Forbidden(f"Ningún usuario de demostración puede iniciar {code}.")
    if starts_with_request(ficha, start) and _openers:
        filler.save_file = _saver(None)
        for opener in _openers:
            instance = opener(code, start["key"], actor=starter, fill=filler.fill)
            if instance is not None:
                return instance
    unit = Unit.objects.filter(code=filler.unit_code).first()
    if unit is not None and not routing.starter_may_act_for(starter, unit):
        unit = None
    return do_start_instance(code, start=start["key"], unit=unit, actor=starter)


def walk_case(
    code: str, start_key: str, *, variant: int, finish: bool, users: dict[str, Any] | None = None
) -> CaseReport:
    """Start one demo case of ``code`` by ``start_key`` and walk it to its end (``finish``) or
    for ``RUNNING_STEPS`` steps. A step the actions refuse stops the walk (the case stays
    running, at the refused activity) and is reported."""
    users = users if users is not None else _demo_users()
    procedure = Procedure.objects.select_related("current_version").get(code=code)
    assert procedure.current_version is not None
    ficha = procedure.current_version.ficha
    start = next(s for s in ficha["starts"] if s["key"] == start_key)
    filler = Filler(variant=variant, unit_code=DEMO_UNIT_SCOPED_UNIT, named=NAMED.get(code, {}))
    report = CaseReport(code, start_key)
    with demo_data():
        try:
            report.instance = instance = _start(code, ficha, start, filler, users)
        except MaproError as exc:
            report.problem = f"inicio: {exc.message} {getattr(exc, 'errors', '') or ''}".strip()
            return report
        if instance is None:
            report.problem = "inicio: la mesa de ayuda no registró la solicitud"
            return report
        visits: dict[int, int] = {}
        for steps in range(MAX_STEPS):
            if not finish and steps >= RUNNING_STEPS:
                break
            item = (
                WorkItem.objects.filter(instance=instance, state=WorkItemState.OPEN)
                .order_by("id")
                .first()
            )
            if item is None:
                break
            data = _step_data(instance, item, filler, visits)
            visits[item.n] = visits.get(item.n, 0) + 1
            try:
                _complete(item, data, users)
            except MaproError as exc:
                errors = getattr(exc, "errors", None) or ""
                report.problem = f"actividad {item.n}: {exc.message} {errors}".strip()
                break
        instance.refresh_from_db()
    return report


def _plans(ficha: dict[str, Any]) -> list[tuple[str, bool]]:
    """(start key, finish?) of the demo cases of a procedure: finished ones over its ways to
    start, then the running ones."""
    code = str(ficha.get("code"))
    done = FINISHED.get(code, FINISHED_CASES)
    keys = STARTS.get(code)
    if keys:
        return [(key, i < done) for i, key in enumerate(keys)]
    keys = [s["key"] for s in ficha.get("starts") or []]
    finished = [(keys[i % len(keys)], True) for i in range(done)]
    running = [(keys[i % len(keys)], False) for i in range(RUNNING_CASES)]
    return finished + running


def seed_demo_cases(codes: list[str] | None = None) -> list[CaseReport]:
    """Demo cases of every published procedure that has none yet (or of ``codes``)."""
    users = _demo_users()
    published = Procedure.objects.filter(current_version__isnull=False).select_related(
        "current_version"
    )
    if codes is not None:
        published = published.filter(code__in=codes)
    # A procedure is seeded when it has as many demo cases as its plan (other seed steps may
    # have made one already, e.g. the failed backup of the run records' demo data).
    have: dict[str, int] = {}
    for code in Instance.objects.filter(is_demo=True).values_list(
        "procedure_version__procedure__code", flat=True
    ):
        have[code] = have.get(code, 0) + 1
    reports: list[CaseReport] = []
    for procedure in published.order_by("code"):
        assert procedure.current_version is not None
        plans = _plans(procedure.current_version.ficha)
        if have.get(procedure.code, 0) >= len(plans):
            continue
        # One transaction per procedure: its cases appear together (and SQLite syncs once).
        with transaction.atomic():
            for variant, (start, finish) in enumerate(plans):
                report = walk_case(
                    procedure.code, start, variant=variant, finish=finish, users=users
                )
                if report.problem:
                    logger.warning("Demo case of %s (%s): %s", report.code, start, report.problem)
                reports.append(report)
    return reports


def summary(reports: list[CaseReport]) -> str:
    """The seed's line: how many cases, finished and running, and the problems met."""
    if not reports:
        return "sin cambios"
    done = sum(
        1
        for r in reports
        if r.instance is not None and r.instance.status == InstanceStatus.COMPLETED
    )
    running = sum(
        1 for r in reports if r.instance is not None and r.instance.status == InstanceStatus.RUNNING
    )
    problems = [f"{r.code} ({r.start}) {r.problem}" for r in reports if r.problem]
    codes = len({r.code for r in reports})
    line = f"{done} concluido(s) y {running} en curso de {codes} procedimiento(s)"
    return line + (f"; con problemas: {'; '.join(problems)}" if problems else "")


__all__ = [
    "Filler",
    "register_demo_values",
    "register_request_opener",
    "seed_demo_cases",
    "walk_case",
]
