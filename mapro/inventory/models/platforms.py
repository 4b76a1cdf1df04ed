"""Security platforms' administration (S04.04.00.01): profiles, accounts and activities."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mapro.core.fields import instance_link, user_link

from ..choices import PlatformActivityKind
from .equipment import Equipment


class PlatformProfile(models.Model):
    """An administration profile of a platform (actividad 2), by the functions it allows."""

    # No index of its own: inventory_profile_unique leads with it.
    platform = models.ForeignKey(
        Equipment,
        verbose_name="plataforma",
        on_delete=models.PROTECT,
        related_name="profiles",
        db_index=False,
    )
    name = models.CharField("perfil", max_length=100)
    functions = models.TextField("funciones", blank=True)
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "perfil de administración"
        verbose_name_plural = "perfiles de administración"
        ordering = ["platform_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "name"], name="inventory_profile_unique")
        ]

    def __str__(self) -> str:
        return f"{self.platform.code}: {self.name}"


class PlatformAccount(models.Model):
    """A user with access to a platform and its profile (actividad 3). The full-administration
    user is kept on an asymmetric-encryption device (``vaulted``): mapro stores no secret."""

    platform = models.ForeignKey(
        Equipment, verbose_name="plataforma", on_delete=models.PROTECT, related_name="accounts"
    )
    profile = models.ForeignKey(
        PlatformProfile, verbose_name="perfil", on_delete=models.PROTECT, related_name="accounts"
    )
    username = models.CharField("usuario", max_length=100)
    person = models.ForeignKey(
        "organization.Person",
        verbose_name="persona",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    full_admin = models.BooleanField("administración total", default=False)
    vaulted = models.BooleanField("resguardado en equipo con cifrado asimétrico", default=False)
    granted_on = models.DateField("fecha de alta")
    revoked_on = models.DateField("fecha de baja", null=True, blank=True)
    instance = instance_link()
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "usuario de plataforma"
        verbose_name_plural = "usuarios de plataforma"
        ordering = ["platform_id", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "username"],
                condition=Q(revoked_on__isnull=True),
                name="inventory_account_one_active",
                violation_error_message="Ese usuario ya tiene acceso activo a la plataforma.",
            ),
            models.CheckConstraint(
                condition=Q(full_admin=False) | Q(vaulted=True),
                name="inventory_full_admin_vaulted",
                violation_error_message=(
                    "El usuario de administración total se resguarda cifrado."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.platform.code}"


class PlatformActivity(models.Model):
    """One of the five lines of actividad 4 carried out on a platform: rules configured, logs
    monitored (with or without security reports), a back up generated, a maintenance by OGTIE
    or by a contractor; with the report or informe the line leaves, when it does."""

    platform = models.ForeignKey(
        Equipment, verbose_name="plataforma", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(
        "línea de actividad", max_length=30, choices=PlatformActivityKind.choices
    )
    performed_on = models.DateField("fecha")
    summary = models.TextField("detalle")
    reports_required = models.BooleanField("requiere reportes de seguridad", default=False)
    report = models.ForeignKey(
        "documents.Document",
        verbose_name="informe",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referral = models.ForeignKey(
        "documents.Document",
        verbose_name="remisión a la DIRAB",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    maintenance = models.ForeignKey(
        "inventory.Maintenance",
        verbose_name="mantenimiento",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instance = instance_link()
    created_by = user_link("registrado por")
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "actividad de plataforma"
        verbose_name_plural = "actividades de plataforma"
        ordering = ["-performed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} en {self.platform.code} ({self.performed_on:%d/%m/%Y})"
