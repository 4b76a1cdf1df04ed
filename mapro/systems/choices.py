"""Choices of the catalogue of information systems, its releases, the change matrix and the
quality evidence (docs/registers/systems.md)."""

from django.db import models


class SystemState(models.TextChoices):
    EN_DESARROLLO = "en-desarrollo", "En desarrollo"
    EN_PRODUCCION = "en-produccion", "En producción"
    EN_MANTENIMIENTO = "en-mantenimiento", "En mantenimiento"
    DADO_DE_BAJA = "dado-de-baja", "Dado de baja"


class Criticality(models.TextChoices):
    BAJA = "baja", "Baja"
    MEDIA = "media", "Media"
    ALTA = "alta", "Alta"
    CRITICA = "critica", "Crítica"


class EnvironmentKind(models.TextChoices):
    DESARROLLO = "desarrollo", "Desarrollo"
    PRUEBAS = "pruebas", "Pruebas (control de calidad)"
    PRODUCCION = "produccion", "Producción"


class ChangeKind(models.TextChoices):
    NUEVO = "nuevo", "Desarrollo de nuevo sistema"
    CORRECTIVO = "correctivo", "Mantenimiento correctivo"
    EVOLUTIVO = "evolutivo", "Mantenimiento evolutivo"
    BAJA = "baja", "Baja del sistema"


class ChangeStatus(models.TextChoices):
    EN_CURSO = "en-curso", "En curso"
    IMPLEMENTADO = "implementado", "Implementado"
    DESESTIMADO = "desestimado", "Desestimado"


class QualityTool(models.TextChoices):
    SONARQUBE = "sonarqube", "SonarQube (análisis estático de código)"
    ZAP = "zap", "OWASP ZAP (escaneo de seguridad)"


class Verdict(models.TextChoices):
    CUMPLE = "si", "Cumple"
    NO_CUMPLE = "no", "No cumple"


#: Severities of each tool, highest first, with their Spanish names (the counts' keys).
SEVERITIES: dict[str, list[tuple[str, str]]] = {
    QualityTool.SONARQUBE: [
        ("BLOCKER", "Bloqueante"),
        ("CRITICAL", "Crítica"),
        ("MAJOR", "Mayor"),
        ("MINOR", "Menor"),
        ("INFO", "Informativa"),
    ],
    QualityTool.ZAP: [
        ("HIGH", "Alto"),
        ("MEDIUM", "Medio"),
        ("LOW", "Bajo"),
        ("INFORMATIONAL", "Informativo"),
    ],
}

#: The gate used when the team configured none: nothing blocking or critical in the code,
#: no high or medium risk alert in the scan (docs/registers/systems.md, "Umbral de calidad").
DEFAULT_GATES: dict[str, dict[str, int]] = {
    QualityTool.SONARQUBE: {"BLOCKER": 0, "CRITICAL": 0},
    QualityTool.ZAP: {"HIGH": 0, "MEDIUM": 0},
}
