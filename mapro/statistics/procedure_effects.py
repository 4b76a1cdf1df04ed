"""What S04.05.00.01 and S04.05.00.02 steps do to the statistics registers.

Registered per register value (``register_handlers``, called from ``AppConfig.ready``); each
handler runs in the step's transaction and acts through this app's actions (audited), so a
refusal (``InvalidInput``) rolls the step back with the form's field named:

- 8 "Directorio de representantes estadísticos": each row designates a representative
  (``do_designate_representative``), who then holds ``resp-organo-estadistico``;
- 9 "Cronograma de envío…": formulates the year's cronograma (``do_formulate_calendar``);
- 12 "Aprobación del cronograma…": the Secretaría General approves it;
- 13 "Información estadística remitida por el órgano" (one task per representative): refused
  until the representative's organ has a valid file for a period of the approved cronograma;
- 15 "Evaluación…": refused while a received file waits for evaluation; reports the counts;
- 18 "Cuadros y gráficos…": needs at least one table defined;
- 20 "Documento estadístico": creates the document; 24 "Carátulas…": approves its covers
  (or leaves them to 27 if the document is not yet formulated in the other branch);
- 27 "Documento estadístico consolidado": PDF and XLSX; 31 "Difusión…": publishes the open data;
- S04.05.00.02 6 "Formatos establecidos…": the format named must be an active dataset.
"""

from __future__ import annotations

import datetime
from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.organization.models import ExternalOrganization, Person
from mapro.procedures.effects import EffectCall, Outcome
from mapro.procedures.effects import register_effect_handler as register

from . import actions, publishing
from .access import designated_organizations
from .choices import CalendarStatus, SubmissionStatus
from .models import Dataset, Publication, StatTable, Submission, SubmissionCalendar
from .selectors import VALID_STATUSES

P1, P2 = "S04.05.00.01", "S04.05.00.02"


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def designate_from_list(call: EffectCall) -> Outcome:
    errors: dict[str, list[str]] = {}
    rows = call.data.get("representantes") or []
    done = []
    for i, row in enumerate(rows):
        org = ExternalOrganization.objects.filter(code=row.get("entidad"), is_active=True).first()
        person = Person.objects.filter(dni=row.get("dni")).first()
        if org is None:
            errors.setdefault(f"representantes.{i}.entidad", []).append(
                f"No existe la entidad «{row.get('entidad')}» del Sector Defensa."
            )
        if person is None:
            errors.setdefault(f"representantes.{i}.dni", []).append(
                f"No hay una persona registrada con DNI {row.get('dni')}."
            )
        if org is None or person is None:
            continue
        actions.do_designate_representative(
            organization=org,
            person=person,
            kind=row.get("tipo") or "titular",
            document=row.get("documento") or "",
            document_date=_date(row.get("fecha_documento")),
            valid_from=_date(row.get("vigente_desde")) or datetime.date.today(),
            actor=call.actor,
        )
        done.append(f"{org.code}: {person.full_name}")
    if errors:
        raise InvalidInput(errors=errors)
    return Outcome.applied(designados=done)


def formulate_calendar(call: EffectCall) -> Outcome:
    year = int(call.data["anio_envio"])
    calendar = actions.do_formulate_calendar(year, actor=call.actor, instance=call.instance)
    return Outcome.applied(cronograma=calendar.year, envios=calendar.entries.count())


def _calendar_of(call: EffectCall) -> SubmissionCalendar:
    year = call.step_data(9).get("anio_envio")
    calendar = SubmissionCalendar.objects.filter(year=int(year or 0)).first()
    if calendar is None:
        raise InvalidInput(errors={"__all__": [f"No hay cronograma de envío {year} formulado."]})
    return calendar


def approve_calendar(call: EffectCall) -> Outcome:
    calendar = actions.do_approve_calendar(_calendar_of(call), actor=call.actor)
    return Outcome.applied(cronograma=calendar.year, estado=calendar.get_status_display())


def information_sent(call: EffectCall) -> Outcome:
    calendar = _calendar_of(call)
    organs = list(designated_organizations(call.actor))
    if not organs:
        raise InvalidInput(
            errors={"__all__": ["Usted no está designado(a) como representante de un órgano."]}
        )
    sent = Submission.objects.filter(
        entry__calendar=calendar,
        entry__organization__in=organs,
        status__in=VALID_STATUSES,
    )
    if not sent.exists():
        codes = ", ".join(o.code for o in organs)
        raise InvalidInput(
            errors={
                "__all__": [
                    f"{codes} aún no remite un archivo válido del cronograma {calendar.year}: "
                    "envíelo en «Mis envíos estadísticos» antes de completar esta tarea."
                ]
            }
        )
    return Outcome.applied(organos=[o.code for o in organs], envios=sent.count())


def evaluation_done(call: EffectCall) -> Outcome:
    calendar = _calendar_of(call)
    subs = Submission.objects.filter(entry__calendar=calendar)
    pending = subs.filter(status=SubmissionStatus.RECIBIDO).count()
    if pending:
        raise InvalidInput(errors={"__all__": [f"Hay {pending} envío(s) recibidos sin evaluar."]})
    return Outcome.applied(
        aceptados=subs.filter(status=SubmissionStatus.ACEPTADO).count(),
        observados=subs.filter(status=SubmissionStatus.OBSERVADO).count(),
        rechazados=subs.filter(status=SubmissionStatus.RECHAZADO).count(),
    )


def tables_defined(call: EffectCall) -> Outcome:
    count = StatTable.objects.count()
    if not count:
        raise InvalidInput(errors={"__all__": ["No hay cuadros estadísticos definidos."]})
    return Outcome.applied(cuadros=count)


def _publication(call: EffectCall) -> Publication | None:
    return Publication.objects.filter(instance=call.instance).order_by("-id").first()


def create_publication(call: EffectCall) -> Outcome:
    pub = publishing.do_create_publication(
        kind=call.data["tipo_documento"],
        title=call.data["titulo"],
        period=call.data["periodo"],
        presentation=call.data.get("presentacion") or "",
        instance=call.instance,
        actor=call.actor,
    )
    covers = call.step_data(24)
    if covers.get("titulo_caratula"):
        publishing.do_approve_covers(
            pub,
            cover_title=covers["titulo_caratula"],
            cover_subtitle=covers.get("subtitulo_caratula") or "",
            actor=None,
        )
    return Outcome.applied(documento=pub.title, documento_id=pub.pk)


def approve_covers(call: EffectCall) -> Outcome:
    pub = _publication(call)
    if pub is None:
        return Outcome.skipped("el contenido aún se formula: las carátulas se aplican al crearlo")
    publishing.do_approve_covers(
        pub,
        cover_title=call.data["titulo_caratula"],
        cover_subtitle=call.data.get("subtitulo_caratula") or "",
        actor=call.actor,
    )
    return Outcome.applied(documento_id=pub.pk)


def assemble(call: EffectCall) -> Outcome:
    pub = _publication(call)
    if pub is None:  # pragma: no cover - 20 always runs before the join
        raise InvalidInput(errors={"__all__": ["No se formuló el documento (actividad 20)."]})
    pub = publishing.do_assemble_publication(pub, actor=call.actor)
    return Outcome.applied(documento_id=pub.pk, pdf=len(pub.pdf or b""))


def disseminate(call: EffectCall) -> Outcome:
    pub = _publication(call)
    if pub is None:  # pragma: no cover
        raise InvalidInput(errors={"__all__": ["El expediente no tiene documento estadístico."]})
    pub = publishing.do_publish_publication(pub, actor=call.actor)
    return Outcome.applied(documento_id=pub.pk, cuadros=pub.tables.count())


def format_exists(call: EffectCall) -> Outcome:
    code = (call.data.get("formato") or "").strip()
    dataset = Dataset.objects.filter(code=code, is_active=True).first()
    if dataset is None:
        known = ", ".join(Dataset.objects.filter(is_active=True).values_list("code", flat=True))
        raise InvalidInput(
            errors={"formato": [f"No existe el formato «{code}». Formatos vigentes: {known}."]}
        )
    return Outcome.applied(formato=dataset.code, titulo=dataset.title)


HANDLERS: list[tuple[str, Any, tuple[str, int]]] = [
    ("Directorio de representantes estadísticos", designate_from_list, (P1, 8)),
    ("Cronograma de envío de información al MINDEF", formulate_calendar, (P1, 9)),
    ("Aprobación del cronograma de envío de información", approve_calendar, (P1, 12)),
    ("Información estadística remitida por el órgano", information_sent, (P1, 13)),
    ("Evaluación de la información estadística", evaluation_done, (P1, 15)),
    ("Cuadros y gráficos estadísticos", tables_defined, (P1, 18)),
    ("Documento estadístico", create_publication, (P1, 20)),
    ("Carátulas del documento estadístico", approve_covers, (P1, 24)),
    ("Documento estadístico consolidado", assemble, (P1, 27)),
    ("Difusión del documento estadístico", disseminate, (P1, 31)),
    ("Formatos establecidos de información estadística", format_exists, (P2, 6)),
]


def register_handlers() -> None:
    for value, handler, _step in HANDLERS:
        register("register", handler, value=value)


__all__ = ["HANDLERS", "CalendarStatus", "register_handlers"]
