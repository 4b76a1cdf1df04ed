"""Choices of the digital-government registers (PGD, CGD sessions, risk matrix SGSI-FOR-003)."""

from __future__ import annotations

from django.db import models


class PlanStatus(models.TextChoices):
    FORMULACION = "formulacion", "En formulación"
    APROBADO_CGD = "aprobado_cgd", "Aprobado por el CGD"
    VIGENTE = "vigente", "Vigente (aprobado por RM)"
    CONCLUIDO = "concluido", "Concluido"


class Team(models.TextChoices):
    """The OGTIE team responsible for a project (its coordinator reports it)."""

    INNOVACION = "innovacion", "Innovación tecnológica"
    INFRAESTRUCTURA = "infraestructura", "Infraestructura tecnológica"
    CIBERSEGURIDAD = "ciberseguridad", "Ciberseguridad"
    ESTADISTICA = "estadistica", "Estadística"
    GOBIERNO_TI = "gobierno-ti", "Gobierno de TI"


#: The coordinator role of each team (roles.md): who reports the team's projects.
TEAM_OF_ROLE: dict[str, str] = {
    "coord-innovacion": Team.INNOVACION,
    "coord-infraestructura": Team.INFRAESTRUCTURA,
    "coord-ciberseguridad": Team.CIBERSEGURIDAD,
    "coord-estadistica": Team.ESTADISTICA,
    "coord-gobierno-ti": Team.GOBIERNO_TI,
}


class ProjectStatus(models.TextChoices):
    PROPUESTO = "propuesto", "Propuesto (lista preliminar)"
    VALIDADO = "validado", "Priorizado y validado por la OGTIE"
    NO_PRIORIZADO = "no_priorizado", "No priorizado"
    APROBADO = "aprobado", "Aprobado por el CGD"
    EN_EJECUCION = "en_ejecucion", "En ejecución"
    CULMINADO = "culminado", "Culminado"
    DESESTIMADO = "desestimado", "Desestimado"
    REEMPLAZADO = "reemplazado", "Reemplazado"
    TRASLADADO = "trasladado", "Pasa al nuevo PGD"


#: What S04.01.00.01 activity 11 decides for each project of the current portfolio.
DISPOSITIONS = {
    "continua": ProjectStatus.TRASLADADO,
    "desestimado": ProjectStatus.DESESTIMADO,
    "reemplazado": ProjectStatus.REEMPLAZADO,
}


class ProgressState(models.TextChoices):
    """A project's state in one follow-up period."""

    NO_INICIADO = "no_iniciado", "No iniciado"
    EN_PLAZO = "en_plazo", "En ejecución, en plazo"
    EN_RIESGO = "en_riesgo", "En ejecución, en riesgo"
    RETRASADO = "retrasado", "Retrasado"
    SUSPENDIDO = "suspendido", "Suspendido"
    CULMINADO = "culminado", "Culminado"


class PeriodKind(models.TextChoices):
    SEGUIMIENTO = "seguimiento", "Seguimiento (S04.01.00.02)"
    DIAGNOSTICO = "diagnostico", "Situación actual para la formulación (S04.01.00.01)"


class SessionKind(models.TextChoices):
    ORDINARIA = "ordinaria", "Ordinaria"
    EXTRAORDINARIA = "extraordinaria", "Extraordinaria"


class AgreementSubject(models.TextChoices):
    """What a CGD agreement approves (the approval steps the manual gives to the CGD)."""

    CRONOGRAMA = "cronograma", "Cronograma de trabajo para formular el PGD"
    PORTAFOLIO = "portafolio", "Portafolio de proyectos del nuevo periodo del PGD"
    DOCUMENTO_FINAL = "documento_final", "Documento final del PGD"
    MODIFICACION = "modificacion", "Modificaciones o actualizaciones al PGD vigente"
    OTRO = "otro", "Otro asunto"


class AgreementResult(models.TextChoices):
    APROBADO = "aprobado", "Aprobado"
    RECHAZADO = "rechazado", "No aprobado"


# --- risk matrix SGSI-FOR-003 -------------------------------------------------------------

#: The ISMS scale: likelihood and impact from 1 to 5 (the level is their product, 1–25).
SCALE_MIN, SCALE_MAX = 1, 5

LIKELIHOOD_LABELS = {1: "Muy baja", 2: "Baja", 3: "Media", 4: "Alta", 5: "Muy alta"}
IMPACT_LABELS = {1: "Insignificante", 2: "Menor", 3: "Moderado", 4: "Mayor", 5: "Catastrófico"}


class RiskLevel(models.TextChoices):
    BAJO = "bajo", "Bajo"
    MEDIO = "medio", "Medio"
    ALTO = "alto", "Alto"
    EXTREMO = "extremo", "Extremo"


def level_of(score: int | None) -> str:
    """The band of a likelihood × impact score: 1–3 bajo, 4–6 medio, 8–12 alto, 15–25 extremo
    (the ISMS's 5 × 5 matrix; a score of 7, 13 or 14 cannot occur)."""
    if score is None:
        return ""
    if score <= 3:
        return RiskLevel.BAJO
    if score <= 6:
        return RiskLevel.MEDIO
    if score <= 12:
        return RiskLevel.ALTO
    return RiskLevel.EXTREMO


class Treatment(models.TextChoices):
    MITIGAR = "mitigar", "Mitigar (reducir)"
    TRANSFERIR = "transferir", "Transferir (compartir)"
    EVITAR = "evitar", "Evitar"
    ACEPTAR = "aceptar", "Aceptar (retener)"


class RiskStatus(models.TextChoices):
    IDENTIFICADO = "identificado", "Identificado"
    APROBADO = "aprobado", "Aprobado y comunicado"
    EN_TRATAMIENTO = "en_tratamiento", "En tratamiento"
    CERRADO = "cerrado", "Cerrado"


class RiskSource(models.TextChoices):
    FORMULACION_PGD = "formulacion_pgd", "Formulación del PGD (S04.01.00.01)"
    INCIDENTE = "incidente", "Incidente de infraestructura (S04.03.01.05)"
    REGISTRO = "registro", "Registrado en la matriz"
