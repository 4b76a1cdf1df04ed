"""Choices of the HR integration: kinds of leaver alert, reconciliation rows and differences."""

from django.db import models


class LeaverKind(models.TextChoices):
    """What the HR leaver alert asks to remove (the webhook's ``kind``)."""

    CUENTAS = "cuentas", "Cuentas"
    ACCESOS = "accesos", "Accesos"
    PRIVILEGIOS = "privilegios", "Privilegios"
    VPN = "vpn", "Acceso VPN"


#: The start of S04.03.01.02 each kind of alert begins: the manual's two starts ("Eliminación de
#: cuentas, otros accesos o privilegios: Ir a la actividad 1"; "Eliminación de accesos VPN: Ir a
#: la actividad 5").
START_FOR_KIND = {
    LeaverKind.CUENTAS: "cuentas",
    LeaverKind.ACCESOS: "cuentas",
    LeaverKind.PRIVILEGIOS: "cuentas",
    LeaverKind.VPN: "vpn",
}


class LeaverOrigin(models.TextChoices):
    """Who registered the cese in the HR system (activity 1: DIPEC or DIPEM)."""

    DIPEC = "dipec", "DIPEC (personal civil)"
    DIPEM = "dipem", "DIPEM (personal militar)"


class Movement(models.TextChoices):
    """A row of the DGRRHH list: the person has a working bond (alta) or no longer (baja)."""

    ALTA = "alta", "Alta"
    BAJA = "baja", "Baja"


class DifferenceKind(models.TextChoices):
    """What the contrast of the DGRRHH list with the accounts register found (activity 14)."""

    BAJA_CON_CUENTAS = "baja_con_cuentas", "Baja con cuentas activas"
    ALTA_SIN_CUENTA = "alta_sin_cuenta", "Alta sin cuenta"
    CUENTA_SIN_PERSONA = "cuenta_sin_persona", "Cuenta de persona que no figura en el listado"
    # The nightly comparison of the directory (mapro.directory) with the register and leavers.
    DIRECTORIO_SIN_REGISTRO = "dir_sin_registro", "Cuenta del directorio sin registro"
    DIRECTORIO_CESADO_HABILITADA = (
        "dir_cesado_habilitada",
        "Cuenta habilitada de una persona que cesó",
    )
    DIRECTORIO_DESHABILITADA_CON_GRUPOS = (
        "dir_deshabilitada_con_grupos",
        "Cuenta deshabilitada que conserva grupos",
    )


class ReconciliationSource(models.TextChoices):
    LISTADO = "listado", "Listado de altas y bajas de la DGRRHH"
    DIRECTORIO = "directorio", "Directorio (comparación programada)"


class DifferenceStatus(models.TextChoices):
    PENDIENTE = "pendiente", "Pendiente"
    ATENDIDA = "atendida", "Atendida"
