"""Directory operations: the account steps' changes to the LDAP directory, applied by the worker.

Written by ``actions.enqueue_operation`` in the transaction of the step that causes them (as
the outbox's mail, docs/decisions/outbox.md), applied by ``delivery.apply_due_operations``.
"""

from django.db import models
from django.utils import timezone

from mapro.core.fields import instance_link, user_link

from .choices import Operation, OperationStatus


class DirectoryOperation(models.Model):
    """One change to the directory, applied at least once and changing it at most once.

    Invariants:

    - ``key`` is unique: enqueueing the same effect twice yields one row.
    - ``status`` moves pending → applying → done, or back to pending (retry with back-off), or
      to failed (the directory refused it, or attempts ran out); ``manual`` when no directory
      is configured or an operator chose to do it by hand, ``manual_done`` once done by hand.
    - ``attempts`` counts claims and fences the outcome (``WHERE attempts = <claim>``): a worker
      that lost its lease cannot overwrite the result of the one that took over.
    - Every operation is applied by reading the directory first (``connector``): an account
      that already exists with this person's ``employeeNumber``, a group that already has the
      member, an account already disabled or gone is "done" without a write, so a replay after
      a crash changes nothing twice.
    - ``wait``: while not done (or manual), the instance's next step cannot be completed.

    No secret is stored: a new account's initial password is read, sealed, from the accounts
    register's one-time secret when the operation is applied (``connector.password_source``).
    """

    # Unique by directory_directoryoperation_key_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    key = models.CharField("clave de idempotencia", max_length=200)
    operation = models.CharField("operación", max_length=20, choices=Operation.choices)
    username = models.CharField("cuenta (sAMAccountName)", max_length=100)
    attributes = models.JSONField("atributos", default=dict, blank=True)
    groups = models.JSONField("grupos", default=list, blank=True)
    # iam.Account's id, not a ForeignKey: directory sits below the domain apps
    # (docs/architecture.md, "References kept as values").
    account_id = models.PositiveBigIntegerField("cuenta del registro", null=True, blank=True)
    # No index of its own: dirop_instance_idx leads with it.
    instance = instance_link(db_index=False)
    activity_n = models.PositiveIntegerField("actividad", null=True, blank=True)
    wait = models.BooleanField("el expediente espera la respuesta", default=True)
    status = models.CharField(
        "estado", max_length=12, choices=OperationStatus.choices, default=OperationStatus.PENDING
    )
    attempts = models.PositiveIntegerField("intentos", default=0)
    next_attempt_at = models.DateTimeField("próximo intento", default=timezone.now)
    last_error = models.TextField("respuesta del directorio", blank=True)
    result = models.CharField("resultado", max_length=300, blank=True)
    created_at = models.DateTimeField("creada", default=timezone.now)
    finished_at = models.DateTimeField("terminada", null=True, blank=True)
    finished_by = user_link("completada por")

    class Meta:
        verbose_name = "operación en el directorio"
        verbose_name_plural = "operaciones en el directorio"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="dirop_due_idx"),
            models.Index(fields=["instance", "status"], name="dirop_instance_idx"),
            models.Index(fields=["account_id"], name="dirop_account_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="directory_directoryoperation_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.username}"

    @property
    def summary(self) -> str:
        """What the operation does, in Spanish (for the step's and the account's pages)."""
        label = str(self.get_operation_display())
        if self.groups:
            return f"{label} {', '.join(self.groups)}: {self.username}"
        return f"{label} {self.username}"
