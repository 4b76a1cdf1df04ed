from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from ..choices import ContractRegime

dni_validator = RegexValidator(r"^\d{8}$", "El DNI debe tener exactamente 8 dígitos.")


class Person(models.Model):
    """Someone who works at MINDEF (or for it, under a service order), with or without a login.

    A person's roles live in RoleAssignment; the login (``user``) is optional so that people can
    be registered (e.g. imported from HR) before they get an account.
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
    dni = models.CharField("DNI", max_length=8, unique=True, validators=[dni_validator])
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

    class Meta:
        verbose_name = "persona"
        verbose_name_plural = "personas"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
