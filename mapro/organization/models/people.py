from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from ..choices import ContractRegime

dni_validator = RegexValidator(r"^\d{8}$", "El DNI debe tener exactamente 8 dígitos.")


class Person(models.Model):
    """Someone who works at MINDEF (or for it, under a service order), with or without a login.

    A person's roles live in RoleAssignment; the login (``user``) is optional so that people can
    be registered (e.g. imported from HR) before they get an account. ``unit`` is the MINDEF unit
    the person works in (or, for someone of a Sector Defensa entity, the MINDEF unit that deals
    with them); ``external_organization`` names that entity. Invariant: ``valid_from`` is not
    after ``valid_until`` (a database constraint). Changes go through ``actions.do_*_person``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="usuario",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    first_name = models.CharField("nombres", max_length=120)
    last_name = models.CharField("apellidos", max_length=120)
    # Unique by organization_person_dni_uniq (Meta), one varchar_pattern_ops index that serves
    # both the exact lookups and the console's prefix search, where a unique field keeps two.
    dni = models.CharField("DNI", max_length=8, validators=[dni_validator])
    cargo = models.CharField("cargo", max_length=200, blank=True)
    unit = models.ForeignKey(
        "organization.Unit", verbose_name="unidad", on_delete=models.PROTECT, related_name="people"
    )
    regime = models.CharField(
        "régimen de contratación", max_length=20, choices=ContractRegime.choices
    )
    valid_from = models.DateField("vigente desde", null=True, blank=True)
    valid_until = models.DateField("vigente hasta", null=True, blank=True)
    email = models.EmailField("correo institucional", blank=True)
    external_organization = models.ForeignKey(
        "organization.ExternalOrganization",
        verbose_name="entidad del Sector Defensa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="Solo para personal de un órgano ejecutor, organismo público o empresa del "
        "Sector Defensa (p. ej. responsables de órganos estadísticos).",
    )

    class Meta:
        verbose_name = "persona"
        verbose_name_plural = "personas"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dni"],
                name="organization_person_dni_uniq",
                opclasses=["varchar_pattern_ops"],
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=F("valid_until")),
                name="person_valid_dates_in_order",
                violation_error_message="La fecha «vigente hasta» no puede ser anterior a "
                "«vigente desde».",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
