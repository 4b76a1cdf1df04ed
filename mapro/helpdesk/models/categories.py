"""What a ticket is about: the category tree and the SLA targets per category and priority."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from mapro.organization.models.units import path_segment

from ..choices import Priority


def empty_requirements() -> dict:
    return {"type": "object", "properties": {}, "required": []}


class Category(models.Model):
    """A kind of request the help desk attends ("Certificado digital", "Cuentas › VPN").

    A tree an administrator extends: ``path`` is a materialized path of zero-padded ids, kept by
    ``save()`` like ``organization.Unit``, so "this category and everything under it" is one
    prefix query and ordering by path lists the tree depth-first. ``team`` is the OGTIE unit
    that attends it; ``procedure_code`` the MAPRO procedure a ticket of this category starts
    (empty: none). ``requirements`` is a form in the JSON Schema subset of
    docs/ficha-format.md: what a request of this category must carry; ``format: file`` fields
    are attachments sent with the request. Only leaf categories should be chosen for tickets,
    but any active category is accepted (an operator may not know the leaf yet).
    ``seeded`` is what ``mapro seed`` last wrote for the fields it owns (``helpdesk.seeding``).
    """

    # Unique by hd_category_code_uniq (Meta), without the varchar_pattern_ops twin a unique field
    # brings: the code is only looked up exactly (``path`` keeps its twin: subtrees are prefix
    # queries).
    code = models.SlugField("código", max_length=60, db_index=False)
    name = models.CharField("nombre", max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name="categoría superior",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    description = models.TextField("descripción", blank=True)
    team = models.ForeignKey(
        "organization.Unit",
        verbose_name="equipo responsable",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The manual's code, not a ForeignKey: set before or without a published ficha
    # (docs/architecture.md, "References kept as values").
    procedure_code = models.CharField(
        "procedimiento que inicia",
        max_length=20,
        blank=True,
        help_text="Código del procedimiento del MAPRO (p. ej. S04.03.04.02); vacío si ninguno.",
    )
    requirements = models.JSONField(
        "requisitos (formulario)",
        default=empty_requirements,
        blank=True,
        help_text="Formulario JSON Schema (subconjunto de docs/ficha-format.md) con los datos y "
        "adjuntos que debe traer la solicitud.",
    )
    is_active = models.BooleanField("activa", default=True)
    # What ``mapro seed`` last wrote for each field it owns (helpdesk.seeding): a later seed
    # updates a field only while it still holds that value, never an administrator's edit.
    seeded = models.JSONField(
        "valores de la carga inicial", default=dict, blank=True, editable=False
    )

    class Meta:
        verbose_name = "categoría"
        verbose_name_plural = "categorías"
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["code"], name="hd_category_code_uniq")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
        old_path = self.path
        self.path = (self.parent.path if self.parent else "/") + path_segment(self.pk)
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in Category.objects.filter(parent=self):
                child.save()

    def clean(self) -> None:
        from mapro.procedures.ficha.schema import check_form

        schema = dict(self.requirements or empty_requirements())
        # ``defaults``: initial values of the procedure's request form (helpdesk.request_forms).
        defaults = schema.pop("defaults", {})
        problems = check_form(schema)
        if not isinstance(defaults, dict):
            problems.append((("defaults",), "Debe ser un objeto con los valores iniciales."))
        if problems:
            raise ValidationError(
                {
                    "requirements": [
                        f"{'/'.join(map(str, p)) or 'formulario'}: {m}" for p, m in problems
                    ]
                }
            )
        if self.parent_id and self.pk and self.parent and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": "Una categoría no puede estar bajo sí misma."})

    def subtree(self) -> models.QuerySet[Category]:
        return Category.objects.filter(path__startswith=self.path)

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def ancestors_and_self(self) -> list[int]:
        """Ids from this category up to the root (this one first)."""
        return [int(p) for p in self.path.strip("/").split("/") if p][::-1]


class SlaTarget(models.Model):
    """Response and resolution targets, in business minutes, for a category and a priority.

    A ticket takes the target of its category for its priority, else the nearest ancestor's,
    else ``sla.DEFAULT_TARGETS``. Business minutes count only office hours on working days
    (``mapro.schedules.calendar``).
    """

    # No index of its own: helpdesk_sla_one_per_category_priority leads with it.
    category = models.ForeignKey(
        Category,
        verbose_name="categoría",
        on_delete=models.CASCADE,
        related_name="sla_targets",
        db_index=False,
    )
    priority = models.CharField("prioridad", max_length=10, choices=Priority.choices)
    response_minutes = models.PositiveIntegerField("respuesta (minutos hábiles)")
    resolution_minutes = models.PositiveIntegerField("solución (minutos hábiles)")

    class Meta:
        verbose_name = "meta de nivel de servicio"
        verbose_name_plural = "metas de nivel de servicio"
        ordering = ["category__path", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "priority"], name="helpdesk_sla_one_per_category_priority"
            ),
            models.CheckConstraint(
                condition=models.Q(response_minutes__lte=models.F("resolution_minutes")),
                name="helpdesk_sla_response_before_resolution",
                violation_error_message="La meta de respuesta no puede superar a la de solución.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} — {self.get_priority_display()}"
