from django.db import models


class UnitKind(models.TextChoices):
    ALTA_DIRECCION = "alta_direccion", "Alta Dirección"
    ORGANO = "organo", "Órgano"
    OFICINA = "oficina", "Oficina"
    DIRECCION = "direccion", "Dirección"
    EQUIPO = "equipo", "Equipo funcional"
    OTRO = "otro", "Otro"


class ExternalOrganizationKind(models.TextChoices):
    ORGANO_EJECUTOR = "organo_ejecutor", "Órgano ejecutor"
    ORGANISMO_PUBLICO = "organismo_publico", "Organismo público"
    EMPRESA = "empresa", "Empresa del Sector Defensa"


class ContractRegime(models.TextChoices):
    CAS = "cas", "CAS"
    ORDEN_SERVICIO = "orden_servicio", "Orden de servicio"
    FAG = "fag", "FAG"
    PAC = "pac", "PAC"
    MILITAR = "militar", "Personal militar"
    NOMBRADO = "nombrado", "Nombrado"
