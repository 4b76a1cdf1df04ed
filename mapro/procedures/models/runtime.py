"""Running procedures: instances, their open and past work items, and the history of steps.

The SpiffWorkflow state of an instance lives in ``Instance.state`` (without the spec, which is
rebuilt from the procedure version's BPMN). Everything the inboxes and lists need is copied into
plain indexed rows (``WorkItem``, ``WorkItemRole``) in the same transaction as each step, so no
query ever parses workflow JSON.
"""

import json
from typing import Any

from django.conf import settings
from django.db import models


class WorkflowStateField(models.JSONField):  # type: ignore[type-arg]
    """A JSON field stored as PostgreSQL ``json`` (the text as written), not ``jsonb``.

    The workflow state (10–50 kB) is written whole and read whole at every step and never
    queried inside: ``jsonb`` made PostgreSQL parse it into its binary form on every write and
    print it back on every read, where ``json`` only checks the syntax and returns the stored
    text (docs/benchmarks.md, section 1).
    The column is compressed with lz4 where the server has it (migration 0009). Elsewhere
    (SQLite) it is an ordinary ``JSONField``. ``json`` has no equality operator: never filter,
    group or ``DISTINCT`` on it (nothing does; it is read by key at most).
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        if not prepared:
            value = self.get_prep_value(value)
        if hasattr(value, "as_sql"):  # an expression
            return value
        from psycopg.types.json import Json  # PostgreSQL only: SQLite installs need no psycopg

        return Json(value, dumps=lambda obj: json.dumps(obj, cls=self.encoder))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        # psycopg decodes ``json`` itself (Django registers a text loader for ``jsonb`` only).
        if not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)


class InstanceStatus(models.TextChoices):
    RUNNING = "running", "En curso"
    COMPLETED = "completed", "Concluido"
    CANCELLED = "cancelled", "Anulado"
    FAILED = "failed", "Fallido"


class Instance(models.Model):
    """One run of a procedure version (an "expediente").

    Invariants: ``version`` grows by one with every stored step, and a step is stored only with
    ``UPDATE … WHERE id = ? AND version = ?`` (optimistic concurrency, see actions). ``state`` is
    the serialized workflow without its spec. ``unit`` is the requesting unit, the unit the
    instance concerns (the starter's, or one named at start by someone allowed to act for it);
    tasks of "U.O." activities go to it unless the ficha routes them to a unit field answered
    earlier, and unit-scoped roles (director-uo, personal) of fixed-unit activities are scoped
    to it (``routing.py``).
    """

    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name="versión",
        on_delete=models.PROTECT,
        related_name="instances",
    )
    start_key = models.CharField("forma de inicio", max_length=60)
    status = models.CharField(
        "estado", max_length=12, choices=InstanceStatus.choices, default=InstanceStatus.RUNNING
    )
    # unit and started_by have no index of their own: proc_inst_unit and proc_inst_starter lead
    # with them, and every step updates the instance row (one index less to keep each time).
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="iniciado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    started_by_name = models.CharField("nombre de quien inició", max_length=200, blank=True)
    started_at = models.DateTimeField("iniciado", auto_now_add=True)
    ended_at = models.DateTimeField("terminado", null=True, blank=True)
    cancel_reason = models.TextField("motivo de anulación", blank=True)
    failure = models.TextField("motivo del fallo", blank=True)
    state = WorkflowStateField("estado del flujo", default=dict)
    version = models.PositiveIntegerField("versión de la fila", default=1)
    next_due_at = models.DateTimeField("próximo vencimiento", null=True, blank=True)
    # Created by ``mapro seed --demo`` (mapro.core.demo): shown as "Demostración" on the case
    # and in the lists, and filterable, so demo cases are never taken for real ones.
    is_demo = models.BooleanField("de demostración", default=False)

    class Meta:
        verbose_name = "expediente"
        verbose_name_plural = "expedientes"
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_due_at"], name="proc_inst_status_due"),
            models.Index(fields=["started_by", "status"], name="proc_inst_starter"),
            models.Index(fields=["unit", "status"], name="proc_inst_unit"),
        ]

    def __str__(self) -> str:
        return f"Expediente {self.pk} ({self.procedure_code})"

    @property
    def procedure_code(self) -> str:
        return str(self.procedure_version.ficha.get("code", ""))


class WorkItemState(models.TextChoices):
    OPEN = "open", "Pendiente"
    COMPLETED = "completed", "Completada"
    CANCELLED = "cancelled", "Anulada"


class WorkItem(models.Model):
    """A user task of an instance: open while SpiffWorkflow has it READY, then kept as record.

    One row per SpiffWorkflow task id; a loop-back that reaches the same activity again creates
    a new task id and so a new row. A multi-instance activity (``each`` in the ficha) has one
    row per item, ``item`` saying which (a unit consulted, a coordinator…): a per-unit item is
    scoped to that unit, a per-holder item has a single role row ``@<user id>`` (only that
    person sees and takes it). ``roles`` is the activity's role list for display; who may
    see and take the item is in ``WorkItemRole`` (one row per role, with its unit scope).
    ``unit`` is the unit the item goes to (``routing.unit_for_work_item``). ``return_to``
    are the activities the open item may be returned to (``rewind.return_options``), fixed
    when it opens: the path that led to its task does not change while the task is open.
    """

    # No index of its own: proc_workitem_inst_state and proc_workitem_task_uniq lead with it.
    instance = models.ForeignKey(
        Instance,
        verbose_name="expediente",
        on_delete=models.CASCADE,
        related_name="work_items",
        db_index=False,
    )
    task_id = models.CharField("id de tarea del motor", max_length=36)
    n = models.PositiveIntegerField("actividad")
    name = models.CharField("nombre", max_length=400)
    roles = models.JSONField("roles", default=list)
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        "estado", max_length=10, choices=WorkItemState.choices, default=WorkItemState.OPEN
    )
    created_at = models.DateTimeField("creada", auto_now_add=True)
    due_at = models.DateTimeField("vence", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="completada por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_at = models.DateTimeField("completada", null=True, blank=True)
    item = models.JSONField(
        "elemento",
        null=True,
        blank=True,
        help_text="En una actividad de varias instancias: el elemento de esta tarea "
        "({label, value, unit?, user?}).",
    )
    return_to = models.JSONField(
        "devolver a",
        null=True,
        blank=True,
        help_text="Actividades ya realizadas del camino que llevó a la tarea, a las que puede "
        "devolverse (números, en orden); se calculan al abrirla (vacío en tareas más antiguas).",
    )

    class Meta:
        verbose_name = "tarea"
        verbose_name_plural = "tareas"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "task_id"], name="proc_workitem_task_uniq"),
        ]
        indexes = [
            models.Index(fields=["instance", "state"], name="proc_workitem_inst_state"),
            models.Index(fields=["state", "created_at"], name="proc_workitem_state_created"),
            models.Index(fields=["state", "due_at"], name="proc_workitem_state_due"),
        ]

    def __str__(self) -> str:
        return f"{self.n}. {self.name}"


class WorkItemRole(models.Model):
    """ "Role R may take work item W, within unit U" — the inbox's index.

    ``unit`` is the scope a unit-scoped grant must cover (null: only global grants see it).
    ``is_open`` copies the item's state and ``created_at`` its creation time (which never
    changes), so that an inbox page is read straight off a partial index of open rows in inbox
    order — ``(role, created_at, work_item)`` for a global grant, ``(role, unit, created_at,
    work_item)`` per unit of a unit-scoped grant — touching only the page's rows, however many
    items the role has (docs/benchmarks.md, "The inbox").
    """

    # No index of its own: proc_workitemrole_uniq leads with it.
    work_item = models.ForeignKey(
        WorkItem, on_delete=models.CASCADE, related_name="role_rows", db_index=False
    )
    role = models.CharField("rol", max_length=40)
    unit = models.ForeignKey(
        "organization.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField("creada (copia de la tarea)")

    class Meta:
        verbose_name = "rol de tarea"
        verbose_name_plural = "roles de tarea"
        constraints = [
            models.UniqueConstraint(fields=["work_item", "role"], name="proc_workitemrole_uniq"),
        ]
        indexes = [
            models.Index(fields=["role", "is_open", "unit"], name="proc_wirole_inbox"),
            models.Index(
                fields=["role", "created_at", "work_item"],
                condition=models.Q(is_open=True),
                name="proc_wirole_open_order",
            ),
            models.Index(
                fields=["role", "unit", "created_at", "work_item"],
                condition=models.Q(is_open=True),
                name="proc_wirole_open_unit_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_item_id}: {self.role}"


class TaskRecordKind(models.TextChoices):
    COMPLETED = "completed", "Completada"
    RETURNED = "returned", "Devuelta"
    MOVED = "moved", "Movido por la jefatura"


class TaskRecord(models.Model):
    """The history of an instance: one row per completed activity, with the data submitted.

    A return of a task to an earlier activity, or a move of the instance by the Jefe(a), is a
    row too (``kind``), with its ``reason`` and the activity it went back to (``target_n``;
    ``rewind.py``). The completer's name is copied so that deleting a user never blanks the
    history.
    """

    # No index of its own: proc_record_inst leads with it.
    instance = models.ForeignKey(
        Instance,
        verbose_name="expediente",
        on_delete=models.CASCADE,
        related_name="history",
        db_index=False,
    )
    work_item = models.OneToOneField(
        WorkItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="record"
    )
    n = models.PositiveIntegerField("actividad")
    name = models.CharField("nombre", max_length=400)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="completada por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_by_name = models.CharField("nombre de quien completó", max_length=200)
    completed_at = models.DateTimeField("completada")
    data = models.JSONField("datos", default=dict)
    effects = models.JSONField("efectos", default=list)
    item = models.JSONField("elemento", null=True, blank=True)
    kind = models.CharField(
        "tipo", max_length=10, choices=TaskRecordKind.choices, default=TaskRecordKind.COMPLETED
    )
    reason = models.TextField("motivo", blank=True)
    target_n = models.PositiveIntegerField("devuelta a la actividad", null=True, blank=True)

    class Meta:
        verbose_name = "paso completado"
        verbose_name_plural = "historial"
        ordering = ["completed_at", "id"]
        indexes = [models.Index(fields=["instance", "completed_at"], name="proc_record_inst")]

    def __str__(self) -> str:
        return f"{self.n}. {self.name} ({self.completed_by_name})"
