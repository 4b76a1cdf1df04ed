"""The help-desk categories ``mapro seed`` loads: the requests the manual (MAPRO S04) sends to
"el sistema de mesa de ayuda", with the team that attends them, the procedure they start and
what the request must carry (the manual's "Requisitos" and the documents its activities check).

Sources: S04.03.01.01 (cuentas: acta de aceptación de riesgos, Formato N° 01; orden de servicio;
contrato o resolución; curso de cibersoldado for privilegios no comunes such as VPN),
S04.03.01.02 (eliminación), S04.03.04.01 (certificado digital: declaración jurada),
S04.03.02.02 (copia de restauración), S04.03.03.02 (equipos telefónicos), S04.03.04.02
(soporte técnico), S04.03.01.03 (acceso al centro de datos), S04.03.01.05 (incidentes de
infraestructura), S04.04.00.02 (spam/phishing), S04.04.00.03 (incidentes de seguridad),
S04.02.00.01/02 (control de calidad, pase a producción, publicación de servicio web,
capacitación), S04.03.02.01 (respaldo), S04.03.03.01 (respaldo de configuración: el ticket de
inicio de actividad), S04.03.04.03 (mantenimiento).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INFRA, INNOV, CIBER = "OGTIE-INFRAESTRUCTURA", "OGTIE-INNOVACION", "OGTIE-CIBERSEGURIDAD"


@dataclass(frozen=True)
class CategoryData:
    code: str
    name: str
    team: str
    parent: str | None = None
    procedure_code: str = ""
    requirements: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def form(
    properties: dict[str, Any], required: list[str], *, defaults: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A category's requirements. When its procedure is published and starts with the
    requester's "Ingresar ticket de atención", the portal form is that activity's form instead
    (``request_forms``): these properties are then unused, and ``defaults`` give the activity's
    form its initial values for this category (e.g. the kind of request)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    if defaults:
        schema["defaults"] = defaults
    return schema


def file(title: str, description: str = "") -> dict[str, Any]:
    prop = {"type": "string", "format": "file", "title": title}
    if description:
        prop["description"] = description
    return prop


ACTA = file(
    "Acta de aceptación de riesgos (Formato N° 01)",
    "Firmada por el usuario y por su director(a) o jefe(a).",
)
CIBERSOLDADO = file("Evidencia de inscripción o culminación del curso de cibersoldado")
REGIMEN = {
    "type": "string",
    "title": "Régimen de contratación",
    "oneOf": [
        {"const": "cas", "title": "CAS"},
        {"const": "orden_servicio", "title": "Orden de servicio"},
        {"const": "fag", "title": "FAG"},
        {"const": "pac", "title": "PAC"},
        {"const": "otro", "title": "Otro (nombrado, militar)"},
    ],
}
USUARIO = {
    "nombres": {"type": "string", "title": "Nombres y apellidos del usuario", "maxLength": 200},
    "dni": {"type": "string", "title": "DNI del usuario", "format": "dni", "maxLength": 8},
    "cargo": {"type": "string", "title": "Cargo", "maxLength": 200},
}
CONTRATO = {
    "orden_servicio": file(
        "Copia de la orden de servicio", "Solo contrataciones por orden de servicio."
    ),
    "contrato": file(
        "Copia del contrato o resolución de designación", "Solo contrataciones FAG o PAC."
    ),
    "vigencia_hasta": {"type": "string", "format": "date", "title": "Vigente hasta"},
}

CATEGORIES: tuple[CategoryData, ...] = (
    CategoryData(
        "soporte-tecnico",
        "Soporte técnico",
        INFRA,
        procedure_code="S04.03.04.02",
        requirements=form(
            {
                "equipo": {
                    "type": "string",
                    "title": "Equipo o servicio afectado (código patrimonial si lo tiene)",
                    "maxLength": 200,
                },
                "ubicacion": {
                    "type": "string",
                    "title": "Ubicación (piso, oficina)",
                    "maxLength": 200,
                },
            },
            ["ubicacion"],
        ),
    ),
    # Mail read from the help-desk mailbox, until the desk classifies it (helpdesk.mailin).
    CategoryData("por-clasificar", "Recibido por correo (por clasificar)", INFRA),
    CategoryData("cuentas", "Cuentas, accesos y privilegios", INFRA),
    CategoryData(
        "cuentas-creacion",
        "Creación de cuenta de usuario",
        INFRA,
        parent="cuentas",
        procedure_code="S04.03.01.01",
        requirements=form(
            {**USUARIO, "regimen": REGIMEN, "acta": ACTA, **CONTRATO},
            ["nombres", "dni", "cargo", "regimen", "acta"],
            defaults={"tipo_solicitud": "creacion"},
        ),
    ),
    CategoryData(
        "cuentas-modificacion",
        "Modificación de cuentas, accesos y privilegios",
        INFRA,
        parent="cuentas",
        procedure_code="S04.03.01.01",
        requirements=form(
            {
                "cuenta": {"type": "string", "title": "Cuenta de usuario", "maxLength": 100},
                "cambio": {"type": "string", "format": "textarea", "title": "Cambio solicitado"},
                "regimen": REGIMEN,
                "acta": ACTA,
            },
            ["cuenta", "cambio", "acta"],
            defaults={"tipo_solicitud": "modificacion"},
        ),
    ),
    CategoryData(
        "cuentas-privilegios",
        "Privilegios no comunes (redes sociales, USB, otros)",
        INFRA,
        parent="cuentas",
        procedure_code="S04.03.01.01",
        requirements=form(
            {
                "cuenta": {"type": "string", "title": "Cuenta de usuario", "maxLength": 100},
                "privilegio": {
                    "type": "string",
                    "title": "Privilegio solicitado",
                    "oneOf": [
                        {"const": "redes_sociales", "title": "Acceso a redes sociales"},
                        {"const": "usb", "title": "Uso de USB"},
                        {"const": "otro", "title": "Otro"},
                    ],
                },
                "acta": ACTA,
                "cibersoldado": CIBERSOLDADO,
            },
            ["cuenta", "privilegio", "acta", "cibersoldado"],
            defaults={"tipo_solicitud": "modificacion"},
        ),
    ),
    CategoryData(
        "cuentas-vpn",
        "Acceso a VPN",
        INFRA,
        parent="cuentas",
        procedure_code="S04.03.01.01",
        requirements=form(
            {
                "cuenta": {"type": "string", "title": "Cuenta de usuario", "maxLength": 100},
                "acta": ACTA,
                "cibersoldado": CIBERSOLDADO,
            },
            ["cuenta", "acta", "cibersoldado"],
            defaults={"tipo_solicitud": "modificacion"},
        ),
    ),
    CategoryData(
        "cuentas-eliminacion",
        "Eliminación de cuentas, accesos y privilegios",
        INFRA,
        parent="cuentas",
        procedure_code="S04.03.01.02",
        requirements=form(
            {
                "cuenta": {"type": "string", "title": "Cuenta de usuario", "maxLength": 100},
                "motivo": {
                    "type": "string",
                    "title": "Motivo",
                    "oneOf": [
                        {"const": "baja", "title": "Baja o cese"},
                        {"const": "fin_contrato", "title": "Fin del contrato u orden"},
                        {"const": "otro", "title": "Otro"},
                    ],
                },
            },
            ["cuenta", "motivo"],
        ),
    ),
    CategoryData(
        "certificado-digital",
        "Certificado digital",
        INFRA,
        procedure_code="S04.03.04.01",
        requirements=form(
            {"declaracion_jurada": file("Declaración jurada de identificación del usuario")},
            ["declaracion_jurada"],
        ),
    ),
    CategoryData(
        "copia-restauracion",
        "Copia de restauración de información",
        INFRA,
        procedure_code="S04.03.02.02",
        requirements=form(
            {
                "origen": {
                    "type": "string",
                    "title": "Qué se debe restaurar",
                    "oneOf": [
                        {"const": "sistema", "title": "Un sistema"},
                        {"const": "base_datos", "title": "Una base de datos"},
                        {"const": "personal", "title": "Información personal"},
                    ],
                },
                "fecha_informacion": {
                    "type": "string",
                    "format": "date",
                    "title": "Fecha de la información a restaurar",
                },
            },
            ["origen"],
        ),
    ),
    CategoryData(
        "equipos-telefonicos",
        "Equipos telefónicos",
        INFRA,
        procedure_code="S04.03.03.02",
        requirements=form(
            {"anexo": {"type": "string", "title": "Anexo o número", "maxLength": 30}}, []
        ),
    ),
    CategoryData("publicacion-servicio-web", "Publicación de servicio web", INFRA),
    CategoryData("control-calidad", "Control de calidad de sistemas", INNOV),
    CategoryData("pase-produccion", "Pase a producción", INFRA),
    CategoryData("capacitacion", "Capacitación", INNOV),
    CategoryData(
        "incidente-infraestructura",
        "Incidente de infraestructura",
        INFRA,
        procedure_code="S04.03.01.05",
    ),
    CategoryData(
        "incidente-seguridad",
        "Incidente de seguridad informática",
        CIBER,
        procedure_code="S04.04.00.03",
    ),
    CategoryData("spam-phishing", "Spam o phishing", CIBER, procedure_code="S04.04.00.02"),
    CategoryData(
        "acceso-centro-datos",
        "Acceso al centro de datos",
        INFRA,
        procedure_code="S04.03.01.03",
        requirements=form(
            {
                "fecha_visita": {"type": "string", "format": "date-time", "title": "Fecha y hora"},
                "visitantes": {
                    "type": "string",
                    "format": "textarea",
                    "title": "Visitantes (nombres y DNI)",
                },
            },
            ["fecha_visita", "visitantes"],
        ),
    ),
    CategoryData("respaldo", "Respaldo de información", INFRA, procedure_code="S04.03.02.01"),
    CategoryData(
        "respaldo-configuracion",
        "Respaldo de configuración de conmutación y central telefónica",
        INFRA,
        procedure_code="S04.03.03.01",
        description="Ticket de inicio de actividad de cada respaldo programado en el cronograma.",
    ),
    CategoryData(
        "mantenimiento-equipos",
        "Mantenimiento de equipos",
        INFRA,
        procedure_code="S04.03.04.03",
    ),
)
