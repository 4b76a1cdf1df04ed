"""Choices of the data-center access control (S04.03.01.03): kinds of visit, contractor
documents, DIPEC checks and their outcomes."""

from django.db import models


class VisitKind(models.TextChoices):
    """The three ways the procedure starts (the ficha's start keys)."""

    VISITA_SG = "visita-sg", "Visita autorizada por la SG"
    MANTENIMIENTO_OGTIE = "mantenimiento-ogtie", "Mantenimiento de equipos de OGTIE"
    MANTENIMIENTO_UO = "mantenimiento-uo", "Mantenimiento de equipos de otra unidad de organización"


class DocumentKind(models.TextChoices):
    """Contractor documents the manual lists in activity 10 (same keys as the ficha's forms)."""

    SCTR = "sctr", "SCTR"
    CONTRATO_ORDEN = "contrato_orden", "Contrato, orden de servicio u otro documento del servicio"
    PROCEDIMIENTO = "procedimiento", "Procedimiento de la actividad"
    CAPACITACION_SST = "capacitacion_sst", "Capacitación en temas de SST y de las actividades"
    CV_PREVENCIONISTA = "cv_prevencionista", "CV de prevencionista (actividades de alto riesgo)"
    CERTIFICADO_MEDICO = "certificado_medico", "Certificado médico ocupacional"
    OTRO = "otro", "Otro"


#: Documents every contractor visit needs (both maintenance starts), whatever the risk.
REQUIRED_DOCUMENTS = (
    DocumentKind.SCTR,
    DocumentKind.CONTRATO_ORDEN,
    DocumentKind.PROCEDIMIENTO,
    DocumentKind.CAPACITACION_SST,
    DocumentKind.CERTIFICADO_MEDICO,
)
#: Documents that expire: recorded only with their «vigente hasta» date.
EXPIRING_DOCUMENTS = frozenset({DocumentKind.SCTR, DocumentKind.CERTIFICADO_MEDICO})


class CheckKind(models.TextChoices):
    """What the DIPEC does for a contractor (activities 10 and 13)."""

    REVISION = "revision", "Revisión de la documentación (DIPEC)"
    INDUCCION = "induccion", "Inducción en materia de SST (DIPEC)"


class CheckOutcome(models.TextChoices):
    CONFORME = "conforme", "Conforme"
    OBSERVADA = "observada", "Con observaciones"
