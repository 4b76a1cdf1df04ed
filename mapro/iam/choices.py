"""Choices of the accounts register: kinds of account, privileges, status."""

from django.db import models


class AccountKind(models.TextChoices):
    """What was granted: the manual's accounts, accesses and privileges."""

    RED = "red", "Cuenta de red (AD)"
    CORREO = "correo", "Correo institucional"
    VPN = "vpn", "Usuario VPN"
    SISTEMA = "sistema", "Acceso a sistema"
    PRIVILEGIO = "privilegio", "Privilegio no común"


class Privilege(models.TextChoices):
    """The manual's "privilegios no comunes" (VPN, redes sociales, USB, periféricos)."""

    VPN = "vpn", "VPN"
    REDES_SOCIALES = "redes_sociales", "Redes sociales"
    USB = "usb", "USB"
    PERIFERICOS = "perifericos", "Periféricos"
    OTRO = "otro", "Otro privilegio no común"


class AccountStatus(models.TextChoices):
    """Stored status. "Por eliminar" is computed (orden de servicio past its end date)."""

    ACTIVA = "activa", "Activa"
    ELIMINADA = "eliminada", "Eliminada"


#: Roles that grant, modify and remove accounts (S04.03.01.01 / .02 responsables).
MANAGE_ROLES = frozenset(
    {"profesional-ogtie", "tecnico-especialista", "coord-infraestructura", "resp-soporte"}
)
#: Roles that read the whole register (OGTIE supervision and security).
READ_ALL_ROLES = MANAGE_ROLES | frozenset(
    {"jefe-ogtie", "operador-mesa", "coord-ciberseguridad", "esp-seguridad-info", "prof-redes"}
)
#: Unit-scoped readers: a director sees the accounts of the people of their unit.
READ_SCOPED_ROLES = frozenset({"director-uo"})
