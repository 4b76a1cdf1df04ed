from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Role(models.Model):
    """A role code of roles.md ("operador-mesa"), with the manual's Spanish name.

    ``unit_scoped`` roles (director-uo, personal) only act within the unit of the assignment and
    the units under it; the others act across MINDEF.
    """

    # Unique by organization_role_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.SlugField("código", max_length=40, db_index=False)
    name = models.CharField("nombre", max_length=250)
    unit_scoped = models.BooleanField("acotado a una unidad", default=False)
    inside_ogtie = models.BooleanField("de la OGTIE", default=False)

    class Meta:
        verbose_name = "rol"
        verbose_name_plural = "roles"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="organization_role_code_uniq")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


def current_assignment_q(day: datetime.date, prefix: str = "") -> Q:
    """The one definition of "a current role assignment" on ``day``.

    The assignment has started (``valid_from``), has not ended (``valid_until``), and its person
    is still in office (``Person.valid_until``): ending a person's term ends every grant after
    that day without touching the assignments. All dates are inclusive; an open date means "until
    further notice". ``prefix`` reaches the assignment through a relation (``"assignments__"``
    from Role or Person). Every reader uses this: ``RoleAssignment.objects.current()``, the
    request's grants (``organization.permissions``, compiled from that queryset once), the staff
    pickers and the admin's counts.
    """
    return (
        (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day}))
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day}))
        & (
            Q(**{f"{prefix}person__valid_until__isnull": True})
            | Q(**{f"{prefix}person__valid_until__gte": day})
        )
    )


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        """The assignments in force on ``on`` (today by default): ``current_assignment_q``."""
        return self.filter(current_assignment_q(on or timezone.localdate()))


class RoleAssignment(models.Model):
    """Person P holds role R (within unit U, for unit-scoped roles) between two dates.

    Both dates are inclusive; an open end means "until further notice". Invariants: a
    unit-scoped role has a unit (checked by ``actions.do_assign_role``) and ``valid_from`` is not
    after ``valid_until`` (a database constraint). Assignments are ended, never deleted, so the
    history of who held a role stays.
    """

    # No index of its own: the (person, role) index in Meta leads with it.
    person = models.ForeignKey(
        "organization.Person",
        verbose_name="persona",
        on_delete=models.CASCADE,
        related_name="assignments",
        db_index=False,
    )
    role = models.ForeignKey(
        Role, verbose_name="rol", on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="ámbito (unidad)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField("vigente desde", null=True, blank=True)
    valid_until = models.DateField("vigente hasta", null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "asignación de rol"
        verbose_name_plural = "asignaciones de rol"
        indexes = [models.Index(fields=["person", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=F("valid_until")),
                name="roleassignment_valid_dates_in_order",
                violation_error_message="La fecha «vigente hasta» no puede ser anterior a "
                "«vigente desde».",
            ),
        ]

    def __str__(self) -> str:
        scope = f" en {self.unit.code}" if self.unit else ""
        return f"{self.person} — {self.role.code}{scope}"
