"""Choices of the incident matrix (SGSI-FOR-006): kinds, origins, sources, classification.

The categories and the alta/media/baja scale come from the fichas: S04.04.00.03 activity 7
("evaluar, clasificar y priorizar", the classification list of the ficha) and S04.03.01.05
(severity of activity 1; the manual's own definition of an IT incident: "lentitud, caída,
errores, o cualquier evento que evite que el usuario pueda realizar las actividades").
"""

from django.db import models


class Kind(models.TextChoices):
    INFRAESTRUCTURA = "infraestructura", "Infraestructura tecnológica"
    SEGURIDAD = "seguridad", "Seguridad informática"


class Origin(models.TextChoices):
    """Who notified the incident (the "Inicio" of both procedures)."""

    UNIDAD = "unidad", "Reportado por una unidad de organización"
    OGTIE = "ogtie", "Detectado por la OGTIE"


class DetectionSource(models.TextChoices):
    """The source that showed the incident (S04.03.01.05 act. 1, S04.04.00.03 act. 4)."""

    REPORTE_USUARIO = "reporte_usuario", "Reporte de usuarios"
    ALERTA_SERVIDORES = "alerta_servidores", "Alerta enviada por los servidores"
    HERRAMIENTA_MONITOREO = "herramienta_monitoreo", "Alerta de herramientas de monitoreo"
    ALERTA_SEGURIDAD = "alerta_seguridad", "Alertas en sistemas de seguridad"
    CAIDA_SERVICIO = "caida_servicio", "Caída de servicios"
    FUENTES_EXTERNAS = "fuentes_externas", "Monitoreo de fuentes externas"
    OTRA = "otra", "Otra fuente"


class Category(models.TextChoices):
    # Seguridad informática (S04.04.00.03, actividad 7).
    CODIGO_MALICIOSO = "codigo-malicioso", "Código malicioso"
    ACCESO_NO_AUTORIZADO = "acceso-no-autorizado", "Intrusión o acceso no autorizado"
    DENEGACION_SERVICIO = "denegacion-servicio", "Denegación de servicio"
    FRAUDE_PHISHING = "fraude-phishing", "Fraude o phishing"
    COMPROMISO_INFORMACION = "compromiso-informacion", "Fuga o compromiso de información"
    VULNERABILIDAD = "vulnerabilidad", "Explotación de vulnerabilidades"
    USO_INDEBIDO = "uso-indebido", "Uso indebido de recursos"
    # Infraestructura tecnológica (S04.03.01.05, definición de "Incidente").
    LENTITUD = "lentitud", "Lentitud"
    CAIDA = "caida", "Caída"
    ERRORES = "errores", "Errores"
    OTRO = "otro", "Otro"


SECURITY_CATEGORIES = frozenset(
    {
        Category.CODIGO_MALICIOSO,
        Category.ACCESO_NO_AUTORIZADO,
        Category.DENEGACION_SERVICIO,
        Category.FRAUDE_PHISHING,
        Category.COMPROMISO_INFORMACION,
        Category.VULNERABILIDAD,
        Category.USO_INDEBIDO,
        Category.OTRO,
    }
)
INFRASTRUCTURE_CATEGORIES = frozenset(
    {Category.LENTITUD, Category.CAIDA, Category.ERRORES, Category.OTRO}
)
CATEGORIES_BY_KIND = {
    Kind.SEGURIDAD: SECURITY_CATEGORIES,
    Kind.INFRAESTRUCTURA: INFRASTRUCTURE_CATEGORIES,
}


class Level(models.TextChoices):
    """Severity and priority: the alta/media/baja scale of both fichas."""

    ALTA = "alta", "Alta"
    MEDIA = "media", "Media"
    BAJA = "baja", "Baja"


class Status(models.TextChoices):
    ABIERTO = "abierto", "Abierto"
    CERRADO = "cerrado", "Cerrado"


class Phase(models.TextChoices):
    """The phases of incident handling, in order (S04.04.00.03 actividades 4 a 12)."""

    DETECCION = "deteccion", "Detección"
    ANALISIS = "analisis", "Análisis"
    CONTENCION = "contencion", "Contención"
    ERRADICACION = "erradicacion", "Erradicación"
    RECUPERACION = "recuperacion", "Recuperación"
    POST_INCIDENTE = "post_incidente", "Post-incidente"


PHASE_ORDER = {phase.value: i for i, phase in enumerate(Phase)}
