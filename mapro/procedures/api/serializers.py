"""Serializers of the public API v1 for procedures, instances and tasks (design.md's table)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..models import Instance, Procedure, ProcedureVersion, TaskRecord, WorkItem, WorkItemState
from ..task_forms import task_form


def activity_summaries(ficha: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "n": act.get("n"),
            "name": act.get("name", ""),
            "unit": act.get("unit", ""),
            "roles": list(act.get("roles", [])),
        }
        for act in ficha.get("activities", [])
    ]


def start_summaries(ficha: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"key": s.get("key"), "label": s.get("label", ""), "ask_unit": s.get("ask_unit")}
        for s in ficha.get("starts", [])
    ]


# --- Hand-written representations ------------------------------------------------------------
#
# The serializers of instances and tasks keep their declared and model fields (the OpenAPI
# schema is built from them), but build their answer by hand: DRF constructs a
# ModelSerializer's fields again for every serializer object (``get_fields``: the model's
# introspection and a deep copy of each declared field) and then walks them per row, and an
# instance's answer made three of them (instance, tasks, history) on every read. Each field
# below is written as its DRF field writes it (``test_api_representation.py`` compares both on
# every kind of row).

_DATETIME = serializers.DateTimeField()


def _datetime(value: Any) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _choice(value: Any) -> Any:
    """A ChoiceField's representation of a stored choice (its value as a plain string)."""
    return value if value in ("", None) else str(value)


def _unit_code(obj: Any) -> str | None:
    """A ``SlugRelatedField(slug_field="code")`` on ``obj.unit``, without loading the unit when
    there is none."""
    return None if obj.unit_id is None else obj.unit.code


@extend_schema_serializer(
    description="Una actividad de la ficha: número, nombre, unidad y roles que la realizan."
)
class ActivitySummarySerializer(serializers.Serializer):
    n = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(
    description=(
        "Una forma de iniciar el procedimiento (su clave y su etiqueta) y si pide la unidad."
    )
)
class StartSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    ask_unit = serializers.CharField(
        allow_null=True,
        help_text="Si no es null, el texto con que este inicio pide la unidad de organización "
        "solicitante (`unit` al iniciar); las actividades de la «U.O.» van a ella.",
    )


@extend_schema_serializer(
    description="El proceso del mapa de procesos al que pertenece el procedimiento (niveles 1 y 2)."
)
class ProcessSerializer(serializers.Serializer):
    level1 = serializers.CharField()
    level2 = serializers.CharField(allow_null=True)


@extend_schema_serializer(
    description=(
        "Un procedimiento publicado en el catálogo (su versión vigente), con sus actividades."
    )
)
class ProcedureListSerializer(serializers.Serializer):
    """A published procedure in the catalogue (its current version)."""

    code = serializers.CharField()
    name = serializers.CharField()
    process = ProcessSerializer()
    version = serializers.CharField(help_text="Versión de la ficha en el manual.")
    content_hash = serializers.CharField(help_text="Hash de la versión publicada.")
    activities = ActivitySummarySerializer(many=True)

    def to_representation(self, instance: Procedure) -> dict[str, Any]:
        version: ProcedureVersion = instance.current_version  # type: ignore[assignment]
        ficha = version.ficha
        return {
            "code": instance.code,
            "name": instance.name,
            "process": {"level1": instance.level1, "level2": instance.level2 or None},
            "version": str(ficha.get("version", version.manual_version)),
            "content_hash": version.content_hash,
            "activities": activity_summaries(ficha),
        }


@extend_schema_serializer(
    description=(
        "La ficha de la versión vigente del procedimiento: proceso, dueño, objetivo, formas de "
        "inicio y actividades."
    )
)
class ProcedureDetailSerializer(serializers.Serializer):
    """The ficha of the current version as JSON (every field of the ficha format)."""

    code = serializers.CharField()
    name = serializers.CharField()
    version = serializers.CharField()
    content_hash = serializers.CharField()
    published_at = serializers.DateTimeField()
    process = ProcessSerializer()
    owner = serializers.CharField()
    objective = serializers.CharField()
    starts = StartSummarySerializer(many=True)
    activities = ActivitySummarySerializer(many=True)

    def to_representation(self, instance: Procedure) -> dict[str, Any]:
        version: ProcedureVersion = instance.current_version  # type: ignore[assignment]
        ficha = dict(version.ficha)
        return {
            **ficha,
            "version": str(ficha.get("version", version.manual_version)),
            "content_hash": version.content_hash,
            "published_at": serializers.DateTimeField().to_representation(version.published_at),
            "starts": [
                {**s, **summary}
                for s, summary in zip(ficha.get("starts", []), start_summaries(ficha), strict=True)
            ],
            "activities": [
                {**a, **summary}
                for a, summary in zip(
                    ficha.get("activities", []), activity_summaries(ficha), strict=True
                )
            ],
        }


@extend_schema_serializer(
    description="Inicio de un expediente: la forma de inicio, los datos iniciales y la unidad."
)
class InstanceStartSerializer(serializers.Serializer):
    start = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Clave de la forma de inicio (opcional si hay una).",
    )
    data = serializers.DictField(  # type: ignore[assignment]
        required=False, default=dict, help_text="Datos iniciales del expediente."
    )
    unit = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=30,
        help_text="Sigla de la unidad de organización solicitante (opcional; por defecto la "
        "del usuario). El personal de la OGTIE puede indicar cualquier unidad; los demás, "
        "solo la suya.",
    )


@extend_schema_serializer(
    description=(
        "Una tarea pendiente de una bandeja o de un expediente: actividad, roles, unidad, estado "
        "y plazo."
    )
)
class WorkItemSerializer(serializers.ModelSerializer):
    """An open task in an inbox or an instance."""

    instance = serializers.IntegerField(source="instance_id")
    procedure = serializers.SerializerMethodField()
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    roles = serializers.ListField(child=serializers.CharField())
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "instance",
            "procedure",
            "n",
            "name",
            "roles",
            "unit",
            "state",
            "created_at",
            "due_at",
            "overdue",
            "item",
        ]
        extra_kwargs = {
            "item": {
                "help_text": "En una actividad con una tarea por elemento (una por unidad "
                "consultada, por coordinador…): el elemento de esta tarea, "
                "{label, value, unit?, user?}; null en las demás."
            }
        }

    def to_representation(self, instance: WorkItem) -> dict[str, Any]:
        return self.work_item_fields(instance)

    def work_item_fields(self, obj: WorkItem) -> dict[str, Any]:
        """The fields of ``Meta.fields``, as the DRF fields above write them."""
        return {
            "id": obj.pk,
            "instance": obj.instance_id,
            "procedure": self.get_procedure(obj),
            "n": _int(obj.n),
            "name": _str(obj.name),
            "roles": [_str(role) for role in obj.roles],
            "unit": _unit_code(obj),
            "state": _choice(obj.state),
            "created_at": _datetime(obj.created_at),
            "due_at": _datetime(obj.due_at),
            "overdue": self.get_overdue(obj),
            "item": obj.item,
        }

    @extend_schema_field(OpenApiTypes.STR)
    def get_procedure(self, obj: WorkItem) -> str:
        return obj.instance.procedure_version.procedure.code

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, obj: WorkItem) -> bool:
        """Open and past its due date (the ficha's time limit)."""
        return bool(obj.due_at is not None and obj.state == "open" and obj.due_at < timezone.now())


@extend_schema_serializer(
    description=(
        "Una tarea de la bandeja, con el caso que atiende: el ticket y su solicitante, o el "
        "expediente."
    )
)
class InboxTaskSerializer(WorkItemSerializer):
    """A task of an inbox page, saying what its case is: built from ``selectors.inbox_rows``
    (context ``rows``: work item id -> ``InboxRow``), so nothing is read per task."""

    title = serializers.SerializerMethodField(
        help_text="El caso: «Ticket <número>: <asunto>» o «<procedimiento> N° <expediente>»."
    )
    ticket_number = serializers.SerializerMethodField(
        help_text="Número del ticket de mesa de ayuda del expediente (null si no tiene)."
    )
    ticket_subject = serializers.SerializerMethodField(help_text="Asunto de ese ticket.")
    requester = serializers.SerializerMethodField(
        help_text="Solicitante: el del ticket o quien inició el expediente."
    )
    requester_unit = serializers.SerializerMethodField(
        help_text="Sigla de la unidad del solicitante (la del ticket o la del expediente)."
    )
    requester_unit_name = serializers.SerializerMethodField(help_text="Nombre de esa unidad.")

    class Meta(WorkItemSerializer.Meta):
        fields = [
            *WorkItemSerializer.Meta.fields,
            "title",
            "ticket_number",
            "ticket_subject",
            "requester",
            "requester_unit",
            "requester_unit_name",
        ]

    def to_representation(self, instance: WorkItem) -> dict[str, Any]:
        row = self._row(instance)
        ticket = row.ticket
        return {
            **self.work_item_fields(instance),
            "title": str(row.title),
            "ticket_number": None if ticket is None else str(ticket.number),
            "ticket_subject": None if ticket is None else str(ticket.subject),
            "requester": str(row.requester),
            "requester_unit": row.unit_code or None,
            "requester_unit_name": row.unit_name or None,
        }

    def _row(self, obj: WorkItem) -> Any:
        return self.context["rows"][obj.pk]

    @extend_schema_field(OpenApiTypes.STR)
    def get_title(self, obj: WorkItem) -> str:
        return str(self._row(obj).title)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_ticket_number(self, obj: WorkItem) -> str | None:
        ticket = self._row(obj).ticket
        return None if ticket is None else str(ticket.number)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_ticket_subject(self, obj: WorkItem) -> str | None:
        ticket = self._row(obj).ticket
        return None if ticket is None else str(ticket.subject)

    @extend_schema_field(OpenApiTypes.STR)
    def get_requester(self, obj: WorkItem) -> str:
        return str(self._row(obj).requester)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_requester_unit(self, obj: WorkItem) -> str | None:
        return self._row(obj).unit_code or None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_requester_unit_name(self, obj: WorkItem) -> str | None:
        return self._row(obj).unit_name or None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, obj: WorkItem) -> bool:
        """Past its due date at the moment the page was read."""
        return bool(self._row(obj).overdue)


@extend_schema_serializer(
    description="Una actividad ya realizada a la que una tarea o un expediente puede volver."
)
class TargetSerializer(serializers.Serializer):
    """An activity a task or an instance can go back to."""

    n = serializers.IntegerField(help_text="Número de la actividad en la ficha.")
    name = serializers.CharField()


@extend_schema_serializer(
    description=(
        "Una tarea con el formulario (JSON Schema) que hay que llenar y las actividades a las que "
        "puede devolverse."
    )
)
class TaskDetailSerializer(WorkItemSerializer):
    """A task with its form (JSON Schema) to fill in."""

    form = serializers.SerializerMethodField()

    return_targets = serializers.SerializerMethodField()

    class Meta(WorkItemSerializer.Meta):
        fields = [*WorkItemSerializer.Meta.fields, "form", "completed_at", "return_targets"]

    def to_representation(self, instance: WorkItem) -> dict[str, Any]:
        return {
            **self.work_item_fields(instance),
            "form": self.get_form(instance),
            "completed_at": _datetime(instance.completed_at),
            "return_targets": self.get_return_targets(instance),
        }

    @extend_schema_field(TargetSerializer(many=True))
    def get_return_targets(self, obj: WorkItem) -> list[dict[str, Any]]:
        """The earlier activities this open task may be returned to (``rewind.py``): stored
        on the item when it opened, so the workflow's state is not parsed."""
        from ..rewind import return_options

        if obj.state != WorkItemState.OPEN:
            return []
        return [{"n": t.n, "name": t.name} for t in return_options(obj)]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_form(self, obj: WorkItem) -> dict[str, Any]:
        """The activity's form (JSON Schema) with unit choices and, as ``default``, what an
        earlier step recorded for the same field (``task_forms``)."""
        request = self.context.get("request")
        return task_form(obj, getattr(request, "user", None))


@extend_schema_serializer(
    description=(
        "Un paso concluido del expediente; `internal`: sus respuestas son internas y quien no "
        "puede verlas recibe `data` vacío."
    )
)
class HistorySerializer(serializers.ModelSerializer):
    """A completed step. ``internal``: its answers are internal (``procedures.internal``) and
    the reader may not see them, so ``data`` is empty."""

    completed_by = serializers.CharField(source="completed_by_name")
    target = serializers.IntegerField(
        source="target_n",
        allow_null=True,
        help_text="Devolución o movimiento: la actividad a la que volvió el expediente.",
    )
    data = serializers.SerializerMethodField()  # type: ignore[assignment]  # the field, not .data
    internal = serializers.SerializerMethodField()

    class Meta:
        model = TaskRecord
        fields = [
            "n",
            "name",
            "completed_by",
            "completed_at",
            "data",
            "internal",
            "effects",
            "item",
            "kind",
            "reason",
            "target",
        ]

    def to_representation(self, instance: TaskRecord) -> dict[str, Any]:
        return {
            "n": _int(instance.n),
            "name": _str(instance.name),
            "completed_by": _str(instance.completed_by_name),
            "completed_at": _datetime(instance.completed_at),
            "data": self.get_data(instance),
            "internal": self.get_internal(instance),
            "effects": instance.effects,
            "item": instance.item,
            "kind": _choice(instance.kind),
            "reason": _str(instance.reason),
            "target": _int(instance.target_n),
        }

    def _hidden(self, obj: TaskRecord) -> bool:
        return obj.n in self.context.get("hidden_steps", set())

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_data(self, obj: TaskRecord) -> dict[str, Any]:
        return {} if self._hidden(obj) else dict(obj.data or {})

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_internal(self, obj: TaskRecord) -> bool:
        return self._hidden(obj)


@extend_schema_serializer(
    description=(
        "Un expediente (instancia de un procedimiento) con sus tareas pendientes y su historial."
    )
)
class InstanceSerializer(serializers.ModelSerializer):
    """An instance ("expediente") with its open tasks and its history."""

    procedure = serializers.CharField(source="procedure_version.procedure.code")
    version = serializers.CharField(source="procedure_version.manual_version")
    content_hash = serializers.CharField(source="procedure_version.content_hash")
    start = serializers.CharField(source="start_key")
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    started_by = serializers.CharField(source="started_by_name")
    tasks = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta:
        model = Instance
        fields = [
            "id",
            "procedure",
            "version",
            "content_hash",
            "status",
            "start",
            "unit",
            "started_by",
            "started_at",
            "ended_at",
            "cancel_reason",
            "failure",
            "is_demo",
            "tasks",
            "history",
        ]

    def to_representation(self, instance: Instance) -> dict[str, Any]:
        version = instance.procedure_version
        return {
            "id": instance.pk,
            "procedure": _str(version.procedure.code),
            "version": _str(version.manual_version),
            "content_hash": _str(version.content_hash),
            "status": _choice(instance.status),
            "start": _str(instance.start_key),
            "unit": _unit_code(instance),
            "started_by": _str(instance.started_by_name),
            "started_at": _datetime(instance.started_at),
            "ended_at": _datetime(instance.ended_at),
            "cancel_reason": _str(instance.cancel_reason),
            "failure": _str(instance.failure),
            "is_demo": bool(instance.is_demo),
            "tasks": self.get_tasks(instance),
            "history": self.get_history(instance),
        }

    @extend_schema_field(WorkItemSerializer(many=True))
    def get_tasks(self, obj: Instance) -> list[dict[str, Any]]:
        from ..selectors import instance_open_items

        items = instance_open_items(obj).select_related("unit")
        for item in items:
            item.instance = obj
        return WorkItemSerializer(items, many=True).data  # type: ignore[return-value]

    @extend_schema_field(HistorySerializer(many=True))
    def get_history(self, obj: Instance) -> list[dict[str, Any]]:
        from ..internal import internal_steps, reads_internal
        from ..selectors import instance_history

        # Without a request (no reader known) every internal answer is left out.
        request = self.context.get("request")
        user = getattr(request, "user", None)
        steps = internal_steps(obj.procedure_version.ficha)
        hidden = steps if steps and not reads_internal(user, obj) else set()
        return HistorySerializer(  # type: ignore[return-value]
            instance_history(obj), many=True, context={"hidden_steps": hidden}
        ).data


@extend_schema_serializer(description="Las respuestas del formulario de la tarea que se completa.")
class TaskCompleteSerializer(serializers.Serializer):
    data = serializers.DictField(  # type: ignore[assignment]
        required=False, default=dict, help_text="Respuestas del formulario de la tarea."
    )


@extend_schema_serializer(
    description=(
        "Devolución de una tarea, o traslado de un expediente, a una actividad anterior, con el "
        "motivo."
    )
)
class GoBackSerializer(serializers.Serializer):
    """Return a task, or move an instance, to an earlier activity (``rewind.py``)."""

    to_activity = serializers.IntegerField(
        help_text="Número de una actividad ya realizada (``return_targets`` de la tarea)."
    )
    reason = serializers.CharField(max_length=2000, help_text="Motivo (queda en el historial).")


@extend_schema_serializer(description="El motivo de la anulación del expediente.")
class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Motivo de la anulación.")
