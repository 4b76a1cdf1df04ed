"""Choices of the equipment inventory (CMDB), its maintenances and the security platforms."""

from django.db import models


class EquipmentKind(models.TextChoices):
    """What an inventory item is (S04.03.01.04, S04.03.02.01, S04.03.03.01, S04.03.04.03,
    S04.04.00.01 name these)."""

    SERVIDOR = "servidor", "Servidor"
    SWITCH = "switch", "Switch"
    ROUTER = "router", "Router"
    CENTRAL_TELEFONICA = "central-telefonica", "Central telefónica"
    COMPUTADORA = "computadora", "Computadora de escritorio"
    LAPTOP = "laptop", "Computadora portátil"
    IMPRESORA = "impresora", "Impresora"
    PLATAFORMA_SEGURIDAD = "plataforma-seguridad", "Plataforma de seguridad informática"


#: Kinds of the "equipos de cómputo e impresoras" that S04.03.04.03 maintains.
COMPUTING_KINDS = (EquipmentKind.COMPUTADORA, EquipmentKind.LAPTOP, EquipmentKind.IMPRESORA)
#: Kinds that go to the communications backups of S04.03.03.01.
NETWORK_KINDS = (EquipmentKind.SWITCH, EquipmentKind.ROUTER, EquipmentKind.CENTRAL_TELEFONICA)


class EquipmentState(models.TextChoices):
    """The inventory state (Formato N° 02 of S04.03.04.03)."""

    OPERATIVO = "operativo", "Operativo"
    MANTENIMIENTO = "en-mantenimiento", "En mantenimiento"
    INOPERATIVO = "inoperativo", "Inoperativo"
    GARANTIA = "en-garantia", "En cambio por garantía"
    BAJA_EN_TRAMITE = "baja-en-tramite", "Baja en trámite"
    BAJA = "dado-de-baja", "Dado de baja"


#: States in which no maintenance is recorded any more (the equipment left service).
RETIRED_STATES = (EquipmentState.BAJA_EN_TRAMITE, EquipmentState.BAJA)


class Criticality(models.TextChoices):
    """How critical a server (or the system it hosts) is for MINDEF (S04.03.01.04, act. 1)."""

    ALTA = "alta", "Alta"
    MEDIA = "media", "Media"
    BAJA = "baja", "Baja"


class MaintenanceKind(models.TextChoices):
    PREVENTIVO = "preventivo", "Preventivo"
    CORRECTIVO = "correctivo", "Correctivo"


class MaintenanceExecutor(models.TextChoices):
    """Who carries the maintenance out (S04.04.00.01, actividad 4: OGTIE o contratista)."""

    OGTIE = "ogtie", "Personal de la OGTIE"
    CONTRATISTA = "contratista", "Contratista"


class MaintenanceOutcome(models.TextChoices):
    """S04.03.04.03, actividad 6: ¿Se dio solución?"""

    PENDIENTE = "pendiente", "Pendiente"
    SOLUCIONADO = "solucionado", "Solucionado"
    NO_SOLUCIONADO = "no-solucionado", "No solucionado"


class WarrantyDecision(models.TextChoices):
    """S04.03.04.03, actividad 8: ¿Equipo tiene garantía? (with DIGEPAT)."""

    CON_GARANTIA = "con-garantia", "Con garantía"
    SIN_GARANTIA = "sin-garantia", "Sin garantía"


class PlatformActivityKind(models.TextChoices):
    """The five lines of S04.04.00.01, actividad 4."""

    REGLAS = "reglas", "Configuración de reglas de seguridad"
    MONITOREO = "monitoreo", "Monitoreo y análisis de registros (logs)"
    BACKUP = "backup", "Generación de back up"
    MANTENIMIENTO_OGTIE = "mantenimiento-ogtie", "Mantenimiento por la OGTIE"
    MANTENIMIENTO_CONTRATISTA = "mantenimiento-contratista", "Mantenimiento por contratista"
