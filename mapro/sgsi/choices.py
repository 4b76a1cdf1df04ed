"""Choices of the SGSI registers: document kinds and states, teams, asset types and changes."""

from django.db import models


class DocumentKind(models.TextChoices):
    POLITICA = "politica", "Política"
    PROCEDIMIENTO = "procedimiento", "Procedimiento"
    PLAN = "plan", "Plan"
    FORMATO = "formato", "Formato"
    MANUAL = "manual", "Manual o guía"
    REGISTRO = "registro", "Registro"
    OTRO = "otro", "Otro"


#: Code prefixes of the SGSI's own numbering (SGSI-POL-001, SGSI-FOR-003…) → kind.
KIND_BY_PREFIX = {
    "POL": DocumentKind.POLITICA,
    "PRO": DocumentKind.PROCEDIMIENTO,
    "PRC": DocumentKind.PROCEDIMIENTO,
    "PLA": DocumentKind.PLAN,
    "PLN": DocumentKind.PLAN,
    "FOR": DocumentKind.FORMATO,
    "MAN": DocumentKind.MANUAL,
    "GUI": DocumentKind.MANUAL,
    "REG": DocumentKind.REGISTRO,
}


class Team(models.TextChoices):
    """The OGTIE teams that own SGSI documentation (note 1 of S04.01.00.03, plus gobierno de TI
    and the SGSI itself for the documents of the whole system)."""

    INNOVACION = "innovacion", "Innovación tecnológica"
    INFRAESTRUCTURA = "infraestructura", "Infraestructura tecnológica"
    CIBERSEGURIDAD = "ciberseguridad", "Ciberseguridad"
    ESTADISTICA = "estadistica", "Estadística"
    GOBIERNO_TI = "gobierno-ti", "Gobierno de TI"
    SGSI = "sgsi", "Seguridad de la información (SGSI)"


#: The coordinator role of each team (who answers for its documents).
TEAM_ROLE = {
    Team.INNOVACION: "coord-innovacion",
    Team.INFRAESTRUCTURA: "coord-infraestructura",
    Team.CIBERSEGURIDAD: "coord-ciberseguridad",
    Team.ESTADISTICA: "coord-estadistica",
    Team.GOBIERNO_TI: "coord-gobierno-ti",
    Team.SGSI: "esp-seguridad-info",
}


class DocumentStatus(models.TextChoices):
    EN_ELABORACION = "en_elaboracion", "En elaboración (sin versión aprobada)"
    VIGENTE = "vigente", "Vigente"
    OBSOLETO = "obsoleto", "Obsoleto"


class VersionStatus(models.TextChoices):
    EN_REVISION = "en_revision", "En revisión"
    OBSERVADA = "observada", "Observada"
    APROBADA = "aprobada", "Aprobada (vigente)"
    REEMPLAZADA = "reemplazada", "Reemplazada"


class AssetType(models.TextChoices):
    """Kinds of asset of the matrix SGSI-FOR-002 (infrastructure and information assets)."""

    HARDWARE = "hardware", "Hardware (equipo informático)"
    TELEFONO_IP = "telefono_ip", "Equipo telefónico IP"
    TELEFONO_MOVIL = "telefono_movil", "Equipo telefónico móvil"
    RED = "red", "Equipo de red y comunicaciones"
    SOFTWARE = "software", "Software o sistema"
    INFORMACION = "informacion", "Información (bases de datos, archivos)"
    SERVICIO = "servicio", "Servicio"
    OTRO = "otro", "Otro"


class AssetStatus(models.TextChoices):
    DISPONIBLE = "disponible", "Disponible"
    ASIGNADO = "asignado", "Asignado"
    EN_MANTENIMIENTO = "en_mantenimiento", "En mantenimiento"
    DADO_DE_BAJA = "dado_de_baja", "Dado de baja"


class Classification(models.TextChoices):
    PUBLICA = "publica", "Pública"
    USO_INTERNO = "uso_interno", "Uso interno"
    CONFIDENCIAL = "confidencial", "Confidencial"
    RESTRINGIDA = "restringida", "Restringida"


class Level(models.IntegerChoices):
    """The 1–3 scale of confidentiality, integrity and availability of an asset."""

    BAJO = 1, "Bajo"
    MEDIO = 2, "Medio"
    ALTO = 3, "Alto"


class ChangeType(models.TextChoices):
    """Kinds of change of the Formato N° 01 "Gestión de cambios de los activos de información"."""

    ALTA = "alta", "Alta en el inventario"
    ASIGNACION = "asignacion", "Asignación"
    MODIFICACION = "modificacion", "Modificación"
    DEVOLUCION = "devolucion", "Devolución"
    BAJA = "baja", "Baja"
