"""Choices of the inventories and registers of equipos, dispositivos y restauraciones."""

from django.db import models


class PhoneKind(models.TextChoices):
    IP = "ip", "Equipo telefónico IP"
    MOVIL = "movil", "Equipo telefónico móvil"


class DeviceStatus(models.TextChoices):
    """Where a device is: in OGTIE's hands (``disponible``), with a holder, or out of use."""

    DISPONIBLE = "disponible", "Disponible"
    ASIGNADO = "asignado", "Asignado"
    BAJA = "baja", "Dado de baja"


class CertDeviceKind(models.TextChoices):
    TARJETA = "tarjeta-criptografica", "Tarjeta criptográfica"
    LECTOR = "lector-tarjetas", "Lector de tarjetas"


class LeavingReason(models.TextChoices):
    """Why the holder leaves MINDEF (S04.03.04.01, actividad 11)."""

    RENUNCIA = "renuncia", "Cese por renuncia"
    DESTITUCION = "destitucion", "Cese por destitución"
    LIMITE_EDAD = "limite-edad", "Cese por límite de edad"
    BAJA_MILITAR = "baja-militar", "Baja del personal militar"
    ROTACION_MILITAR = "rotacion-militar", "Rotación del personal militar"
    OTRO = "otro", "Otro motivo"


class InformationKind(models.TextChoices):
    """What is to be restored (S04.03.02.02, actividad 15)."""

    SISTEMA = "sistema", "De un sistema"
    BASE_DATOS = "base_datos", "De una base de datos"
    PERSONAL = "personal", "Información personal"


class RestoreOutcome(models.TextChoices):
    PENDIENTE = "pendiente", "Pendiente"
    RESTAURADA = "restaurada", "Restaurada o recuperada"
    RECHAZADA = "rechazada", "Solicitud devuelta"
    FALLIDA = "fallida", "No se pudo restaurar"


class RestoreAction(models.TextChoices):
    RESTAURACION = "restauracion", "Restauración de la información"
    RECUPERACION = "recuperacion", "Recuperación de la información"


class BlockKind(models.TextChoices):
    """What a block-list entry blocks (S04.04.00.02, actividades 6, 9 y 18)."""

    CUENTA = "cuenta", "Cuenta del remitente"
    DOMINIO = "dominio", "Dominio del remitente"
    ENLACE = "enlace", "Enlace web de redirección (URL)"
    IP = "ip", "Dirección IP pública"


class MailCaseKind(models.TextChoices):
    SPAM = "spam", "Spam"
    PHISHING = "phishing", "Phishing"


#: The four signatures of the Acta de asignación de bienes (S04.03.03.02, actividad 15), in the
#: manual's order: (key, who signs).
ACTA_SIGNERS: tuple[tuple[str, str], ...] = (
    ("usuario", "Usuario"),
    ("director_uo", "Director(a) o Jefe(a) del área usuaria"),
    ("coord_infraestructura", "Responsable de la coordinación del equipo de infraestructura"),
    ("director_digep", "Director(a) de la DIGEP"),
)
