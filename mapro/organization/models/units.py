from django.db import models

from ..choices import ExternalOrganizationKind, UnitKind


def path_segment(pk: int) -> str:
    """One level of a unit path; zero-padded so that text order is tree order."""
    return f"{pk:06d}/"


class Unit(models.Model):
    """A unidad de organización of MINDEF, in a tree (DM → SG → OGTIE → its teams…).

    ``path`` is a materialized path of zero-padded ids ("/000001/000004/000009/") kept by
    ``save()`` so that "this unit and everything under it" is one indexed prefix query and
    ordering by path lists the tree depth-first; it is never edited by hand.
    """

    # Unique by organization_unit_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("sigla", max_length=30)
    name = models.CharField("nombre", max_length=200)
    kind = models.CharField(
        "tipo", max_length=20, choices=UnitKind.choices, default=UnitKind.OFICINA
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="unidad superior",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")
    is_active = models.BooleanField("activa", default=True)

    class Meta:
        verbose_name = "unidad de organización"
        verbose_name_plural = "unidades de organización"
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["code"], name="organization_unit_code_uniq")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
        old_path = self.path
        self.path = (self.parent.path if self.parent else "/") + path_segment(self.pk)
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in Unit.objects.filter(parent=self):
                child.save()

    def subtree(self) -> models.QuerySet["Unit"]:
        return Unit.objects.filter(path__startswith=self.path)

    @property
    def depth(self) -> int:
        """0 for a root unit, 1 for its children, and so on."""
        return max(self.path.count("/") - 2, 0)


class ExternalOrganization(models.Model):
    """An entity of the Sector Defensa outside MINDEF's own structure (the statistics clients)."""

    # Unique by organization_externalorganization_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("sigla", max_length=30)
    name = models.CharField("nombre", max_length=200)
    kind = models.CharField("tipo", max_length=30, choices=ExternalOrganizationKind.choices)
    is_active = models.BooleanField("activa", default=True)

    class Meta:
        verbose_name = "entidad del Sector Defensa"
        verbose_name_plural = "entidades del Sector Defensa"
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], name="organization_externalorganization_code_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
