"""Choices of the statistics app (Spanish labels, stable codes)."""

from django.db import models


class DesignationKind(models.TextChoices):
    TITULAR = "titular", "Titular"
    ALTERNO = "alterno", "Alterno"


class Periodicity(models.TextChoices):
    MENSUAL = "mensual", "Mensual"
    TRIMESTRAL = "trimestral", "Trimestral"
    SEMESTRAL = "semestral", "Semestral"
    ANUAL = "anual", "Anual"


class CalendarStatus(models.TextChoices):
    BORRADOR = "borrador", "En formulación"
    APROBADO = "aprobado", "Aprobado por la Secretaría General"


class SubmissionStatus(models.TextChoices):
    RECHAZADO = "rechazado", "Rechazado (no cumple el formato)"
    RECIBIDO = "recibido", "Recibido, por evaluar"
    OBSERVADO = "observado", "Observado"
    ACEPTADO = "aceptado", "Aceptado y consolidado"
    REEMPLAZADO = "reemplazado", "Reemplazado por una versión posterior"


class PublicationKind(models.TextChoices):
    ANUARIO = "anuario", "Anuario estadístico"
    BOLETIN = "boletin", "Boletín estadístico"
    COMPENDIO = "compendio", "Compendio / informe a una U.O."


class PublicationStatus(models.TextChoices):
    EN_ELABORACION = "elaboracion", "En elaboración"
    CONSOLIDADO = "consolidado", "Consolidado (PDF y XLSX generados)"
    PUBLICADO = "publicado", "Aprobado y difundido"


class ChartKind(models.TextChoices):
    BARRAS = "barras", "Barras"
    BARRAS_APILADAS = "apiladas", "Barras apiladas"
    LINEAS = "lineas", "Líneas"
