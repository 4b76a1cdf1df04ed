"""The reference organization ``mapro seed`` loads: MINDEF units, Sector entities, roles.

Sources, so that a reader can check each line:

- Units: the acronyms and names the manual (MAPRO S04) uses, in its "Siglas" lists and activity
  texts. The tree follows the document codes the manual quotes (``MINDEF/SG-OGTIE``,
  ``MINDEF/SG-OGAJ``, ``MINDEF/VRD-DGPP-DIDOM``); where the manual gives no code, the parent
  follows the MINDEF ROF (D.S. N° 006-2016-DE) and can be corrected in the admin.
  VPD is not named in the manual; it is the other viceministerio of the ROF, added so the tree is
  whole. The manual calls the human resources unit both OGRH and DGRRHH: it is one unit
  (DGRRHH), with OGRH kept as an alias that imports accept.
- OGTIE teams: the "equipos" the manual names (innovación tecnológica, infraestructura
  tecnológica, ciberseguridad, estadística, gobierno de tecnologías de la información).
- Sector Defensa entities: the manual (S04.05.00.01) names only the three kinds (órganos
  ejecutores, organismos públicos, empresas del Sector Defensa), never an entity. The entities
  below are the public structure of the Sector under the LOF (D.L. N° 1134) and ROF of MINDEF.
- Roles: exactly the 27 codes of ``docs/roles.md``, with the manual's wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import ContractRegime, ExternalOrganizationKind, UnitKind


@dataclass(frozen=True)
class UnitData:
    code: str
    name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class ExternalOrganizationData:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class RoleData:
    code: str
    name: str
    unit_scoped: bool = False
    inside_ogtie: bool = False


# Parents always come before their children.
UNITS: tuple[UnitData, ...] = (
    UnitData("DM", "Despacho Ministerial", UnitKind.ALTA_DIRECCION, None),
    UnitData(
        "VPD",
        "Despacho Viceministerial de Políticas para la Defensa",
        UnitKind.ALTA_DIRECCION,
        "DM",
    ),
    UnitData(
        "VRD", "Despacho Viceministerial de Recursos para la Defensa", UnitKind.ALTA_DIRECCION, "DM"
    ),
    UnitData("SG", "Secretaría General", UnitKind.ALTA_DIRECCION, "DM"),
    # Secretaría General
    UnitData(
        "OGTIE",
        "Oficina General de Tecnologías de la Información y Estadística",
        UnitKind.OFICINA,
        "SG",
    ),
    UnitData("OGTIE-INNOVACION", "Equipo de innovación tecnológica", UnitKind.EQUIPO, "OGTIE"),
    UnitData(
        "OGTIE-INFRAESTRUCTURA", "Equipo de infraestructura tecnológica", UnitKind.EQUIPO, "OGTIE"
    ),
    UnitData("OGTIE-CIBERSEGURIDAD", "Equipo de ciberseguridad", UnitKind.EQUIPO, "OGTIE"),
    UnitData("OGTIE-ESTADISTICA", "Equipo de estadística", UnitKind.EQUIPO, "OGTIE"),
    UnitData(
        "OGTIE-GOBIERNO-TI",
        "Equipo de gobierno de tecnologías de la información",
        UnitKind.EQUIPO,
        "OGTIE",
    ),
    UnitData("OGAJ", "Oficina General de Asesoría Jurídica", UnitKind.OFICINA, "SG"),
    UnitData("OGSP", "Oficina General de Seguridad y Protección", UnitKind.OFICINA, "SG"),
    UnitData(
        "OGPPRP",
        "Oficina General de Prensa, Relaciones Públicas y Protocolo",
        UnitKind.OFICINA,
        "SG",
    ),
    # Despacho Viceministerial de Recursos para la Defensa
    UnitData("DGPP", "Dirección General de Planeamiento y Presupuesto", UnitKind.ORGANO, "VRD"),
    UnitData("DIPP", "Dirección de Planeamiento y Presupuesto", UnitKind.DIRECCION, "DGPP"),
    UnitData(
        "DIDOM",
        "Dirección de Desarrollo Organizacional y Modernización",
        UnitKind.DIRECCION,
        "DGPP",
    ),
    UnitData("DGRRHH", "Dirección General de Recursos Humanos", UnitKind.ORGANO, "VRD"),
    UnitData("DIPEC", "Dirección de Personal Civil", UnitKind.DIRECCION, "DGRRHH"),
    UnitData("DIPEM", "Dirección de Personal Militar", UnitKind.DIRECCION, "DGRRHH"),
    UnitData("DGA", "Dirección General de Administración", UnitKind.ORGANO, "VRD"),
    UnitData("DIRAB", "Dirección de Abastecimiento", UnitKind.DIRECCION, "DGA"),
    UnitData("DIGEP", "Dirección de Gestión Patrimonial", UnitKind.DIRECCION, "DGA"),
)

# Other spellings the manual uses for the same unit ("OGRH" and "DGRRHH" in S04.03.02).
UNIT_ALIASES: dict[str, str] = {"OGRH": "DGRRHH"}

EXTERNAL_ORGANIZATIONS: tuple[ExternalOrganizationData, ...] = (
    ExternalOrganizationData(
        "CCFFAA",
        "Comando Conjunto de las Fuerzas Armadas",
        ExternalOrganizationKind.ORGANO_EJECUTOR,
    ),
    ExternalOrganizationData("EP", "Ejército del Perú", ExternalOrganizationKind.ORGANO_EJECUTOR),
    ExternalOrganizationData(
        "MGP", "Marina de Guerra del Perú", ExternalOrganizationKind.ORGANO_EJECUTOR
    ),
    ExternalOrganizationData(
        "FAP", "Fuerza Aérea del Perú", ExternalOrganizationKind.ORGANO_EJECUTOR
    ),
    ExternalOrganizationData(
        "ACFFAA",
        "Agencia de Compras de las Fuerzas Armadas",
        ExternalOrganizationKind.ORGANISMO_PUBLICO,
    ),
    ExternalOrganizationData(
        "CONIDA", "Agencia Espacial del Perú - CONIDA", ExternalOrganizationKind.ORGANISMO_PUBLICO
    ),
    ExternalOrganizationData(
        "IGN", "Instituto Geográfico Nacional", ExternalOrganizationKind.ORGANISMO_PUBLICO
    ),
    ExternalOrganizationData(
        "ENAMM",
        'Escuela Nacional de Marina Mercante "Almirante Miguel Grau"',
        ExternalOrganizationKind.ORGANISMO_PUBLICO,
    ),
    ExternalOrganizationData(
        "CAEN", "Centro de Altos Estudios Nacionales", ExternalOrganizationKind.ORGANISMO_PUBLICO
    ),
    ExternalOrganizationData(
        "SIMA",
        "Servicios Industriales de la Marina S.A. (SIMA PERÚ)",
        ExternalOrganizationKind.EMPRESA,
    ),
    ExternalOrganizationData(
        "FAME",
        "Fábrica de Armas y Municiones del Ejército S.A.C.",
        ExternalOrganizationKind.EMPRESA,
    ),
    ExternalOrganizationData(
        "SEMAN", "Servicio de Mantenimiento S.A.C. (SEMAN PERÚ)", ExternalOrganizationKind.EMPRESA
    ),
)

_OGTIE = {"inside_ogtie": True}
ROLES: tuple[RoleData, ...] = (
    # Inside OGTIE
    RoleData("jefe-ogtie", "Jefe(a) de la OGTIE (Secretario técnico del CGD)", **_OGTIE),
    RoleData(
        "resp-mejora-gd",
        "Responsable de asistencia y mejora continua de gobierno digital",
        **_OGTIE,
    ),
    RoleData("esp-gobierno-digital", "Especialista de gobierno digital", **_OGTIE),
    RoleData(
        "coord-innovacion",
        "Responsable de la coordinación del equipo de innovación tecnológica",
        **_OGTIE,
    ),
    RoleData(
        "coord-infraestructura",
        "Responsable de la coordinación del equipo de infraestructura tecnológica",
        **_OGTIE,
    ),
    RoleData(
        "coord-ciberseguridad",
        "Responsable de la coordinación del equipo de ciberseguridad",
        **_OGTIE,
    ),
    RoleData(
        "coord-estadistica", "Responsable de la coordinación del equipo de estadística", **_OGTIE
    ),
    RoleData(
        "coord-gobierno-ti",
        "Responsable de la coordinación del equipo de gobierno de tecnologías de la información",
        **_OGTIE,
    ),
    RoleData("esp-seguridad-info", "Especialista de seguridad de la información", **_OGTIE),
    RoleData("oficial-seguridad-digital", "Oficial de seguridad digital", **_OGTIE),
    RoleData("resp-analisis-sistemas", "Responsable del análisis de sistemas", **_OGTIE),
    RoleData(
        "analista-programador",
        "Analista programador / Analista en programación de sistemas",
        **_OGTIE,
    ),
    RoleData("resp-calidad", "Responsable del análisis de calidad de sistemas", **_OGTIE),
    RoleData("operador-mesa", "Operador(a) de mesa de ayuda", **_OGTIE),
    RoleData("tecnico-especialista", "Técnico informático especialista", **_OGTIE),
    RoleData("resp-infraestructura", "Responsable de infraestructura tecnológica", **_OGTIE),
    RoleData("resp-bd", "Responsable de la administración de base de datos", **_OGTIE),
    RoleData("profesional-ogtie", "Profesional para la OGTIE", **_OGTIE),
    RoleData(
        "prof-redes",
        "Profesional técnico en administración de redes y comunicaciones de datos para la OGTIE",
        **_OGTIE,
    ),
    RoleData("resp-soporte", "Responsable de soporte técnico", **_OGTIE),
    RoleData("esp-estadistico", "Especialista estadístico", **_OGTIE),
    # Outside OGTIE
    RoleData("cgd", "Comité de Gobierno Digital (miembro)"),
    RoleData("ministro", "Ministro(a) de Defensa"),
    RoleData("secretario-general", "Secretario(a) General"),
    RoleData("director-uo", "Director(a) / Jefe(a) de unidad de organización", unit_scoped=True),
    RoleData("personal", "Personal que labora en el MINDEF", unit_scoped=True),
    RoleData(
        "resp-organo-estadistico",
        "Responsable del órgano estadístico de una entidad del Sector Defensa",
    ),
)

ROLE_CODES: frozenset[str] = frozenset(r.code for r in ROLES)


@dataclass(frozen=True)
class DemoPersonData:
    """One demo user: username = role code; the assignment is scoped to ``unit`` if the role is."""

    role: str
    first_name: str
    last_name: str
    cargo: str
    unit: str
    regime: str = ContractRegime.CAS
    external_organization: str | None = None


_INNOV, _INFRA, _CIBER = "OGTIE-INNOVACION", "OGTIE-INFRAESTRUCTURA", "OGTIE-CIBERSEGURIDAD"
_ESTAD, _GOBTI = "OGTIE-ESTADISTICA", "OGTIE-GOBIERNO-TI"

# The demo DNIs are 8 digits from DEMO_DNI_BASE + index: a block no real DNI in the demo uses.
DEMO_DNI_BASE = 90000001
DEMO_UNIT_SCOPED_UNIT = "DIGEP"

DEMO_PEOPLE: tuple[DemoPersonData, ...] = (
    DemoPersonData(
        "jefe-ogtie", "Rosa", "Quispe Huamán", "Jefa de la OGTIE", "OGTIE", ContractRegime.NOMBRADO
    ),
    DemoPersonData(
        "resp-mejora-gd",
        "Carlos",
        "Mendoza Ríos",
        "Responsable de asistencia y mejora continua de gobierno digital",
        _GOBTI,
    ),
    DemoPersonData(
        "esp-gobierno-digital",
        "Lucía",
        "Vargas Paredes",
        "Especialista de gobierno digital",
        _GOBTI,
    ),
    DemoPersonData(
        "coord-innovacion",
        "Jorge",
        "Salazar Torres",
        "Coordinador del equipo de innovación tecnológica",
        _INNOV,
    ),
    DemoPersonData(
        "coord-infraestructura",
        "Ana",
        "Flores Castillo",
        "Coordinadora del equipo de infraestructura tecnológica",
        _INFRA,
    ),
    DemoPersonData(
        "coord-ciberseguridad",
        "Miguel",
        "Rojas Chávez",
        "Coordinador del equipo de ciberseguridad",
        _CIBER,
    ),
    DemoPersonData(
        "coord-estadistica",
        "Patricia",
        "Gutiérrez León",
        "Coordinadora del equipo de estadística",
        _ESTAD,
    ),
    DemoPersonData(
        "coord-gobierno-ti",
        "Luis",
        "Ramírez Soto",
        "Coordinador del equipo de gobierno de TI",
        _GOBTI,
    ),
    DemoPersonData(
        "esp-seguridad-info",
        "Carmen",
        "Díaz Medina",
        "Especialista de seguridad de la información",
        _CIBER,
    ),
    DemoPersonData(
        "oficial-seguridad-digital",
        "Ricardo",
        "Morales Vega",
        "Oficial de seguridad digital",
        _CIBER,
        ContractRegime.MILITAR,
    ),
    DemoPersonData(
        "resp-analisis-sistemas",
        "Elena",
        "Cruz Navarro",
        "Responsable del análisis de sistemas",
        _INNOV,
    ),
    DemoPersonData(
        "analista-programador",
        "Diego",
        "Herrera Campos",
        "Analista programador",
        _INNOV,
        ContractRegime.ORDEN_SERVICIO,
    ),
    DemoPersonData(
        "resp-calidad",
        "Sofía",
        "Reyes Espinoza",
        "Responsable del análisis de calidad de sistemas",
        _INNOV,
    ),
    DemoPersonData("operador-mesa", "Javier", "Ortiz Ramos", "Operador de mesa de ayuda", _INFRA),
    DemoPersonData(
        "tecnico-especialista",
        "Martín",
        "Silva Aguilar",
        "Técnico informático especialista",
        _CIBER,
    ),
    DemoPersonData(
        "resp-infraestructura",
        "Gabriela",
        "Pérez Rivera",
        "Responsable de infraestructura tecnológica",
        _INFRA,
    ),
    DemoPersonData(
        "resp-bd",
        "Fernando",
        "Castro Luna",
        "Responsable de la administración de base de datos",
        _INFRA,
    ),
    DemoPersonData(
        "profesional-ogtie",
        "Valeria",
        "Romero Acosta",
        "Profesional para la OGTIE",
        "OGTIE",
        ContractRegime.FAG,
    ),
    DemoPersonData(
        "prof-redes",
        "Andrés",
        "Núñez Cabrera",
        "Profesional técnico en administración de redes",
        _INFRA,
    ),
    DemoPersonData(
        "resp-soporte", "Daniela", "Sánchez Peña", "Responsable de soporte técnico", _INFRA
    ),
    DemoPersonData("esp-estadistico", "Raúl", "Fernández Arce", "Especialista estadístico", _ESTAD),
    DemoPersonData(
        "cgd",
        "Teresa",
        "Alvarado Ponce",
        "Miembro del Comité de Gobierno Digital",
        "SG",
        ContractRegime.NOMBRADO,
    ),
    DemoPersonData(
        "ministro",
        "Eduardo",
        "Villanueva Prado",
        "Ministro de Defensa",
        "DM",
        ContractRegime.NOMBRADO,
    ),
    DemoPersonData(
        "secretario-general",
        "Mónica",
        "Zapata Benites",
        "Secretaria General",
        "SG",
        ContractRegime.NOMBRADO,
    ),
    DemoPersonData(
        "director-uo",
        "Hugo",
        "Palacios Ríos",
        "Director de Gestión Patrimonial",
        DEMO_UNIT_SCOPED_UNIT,
        ContractRegime.NOMBRADO,
    ),
    DemoPersonData(
        "personal", "Julia", "Cáceres Montes", "Asistente administrativa", DEMO_UNIT_SCOPED_UNIT
    ),
    DemoPersonData(
        "resp-organo-estadistico",
        "Óscar",
        "Linares Mejía",
        "Responsable del órgano estadístico del Ejército del Perú",
        _ESTAD,
        ContractRegime.MILITAR,
        external_organization="EP",
    ),
)
