"""The role codes a ficha may name, with the Spanish name the BPMN lanes show.

A constant mirror of ``shared/docs/roles.md`` (the Role table's seed), so that checking and
compiling a ficha never needs a database. Keep it in step with roles.md.
"""

ROLE_NAMES: dict[str, str] = {
    # Inside OGTIE
    "jefe-ogtie": "Jefe(a) de la OGTIE",
    "resp-mejora-gd": "Responsable de asistencia y mejora continua de gobierno digital",
    "esp-gobierno-digital": "Especialista de gobierno digital",
    "coord-innovacion": "Responsable de la coordinación del equipo de innovación tecnológica",
    "coord-infraestructura": (
        "Responsable de la coordinación del equipo de infraestructura tecnológica"
    ),
    "coord-ciberseguridad": "Responsable de la coordinación del equipo de ciberseguridad",
    "coord-estadistica": "Responsable de la coordinación del equipo de estadística",
    "coord-gobierno-ti": (
        "Responsable de la coordinación del equipo de gobierno de tecnologías de la información"
    ),
    "esp-seguridad-info": "Especialista de seguridad de la información",
    "oficial-seguridad-digital": "Oficial de seguridad digital",
    "resp-analisis-sistemas": "Responsable del análisis de sistemas",
    "analista-programador": "Analista programador",
    "resp-calidad": "Responsable del análisis de calidad de sistemas",
    "operador-mesa": "Operador(a) de mesa de ayuda",
    "tecnico-especialista": "Técnico informático especialista",
    "resp-infraestructura": "Responsable de infraestructura tecnológica",
    "resp-bd": "Responsable de la administración de base de datos",
    "profesional-ogtie": "Profesional para la OGTIE",
    "prof-redes": (
        "Profesional técnico en administración de redes y comunicaciones de datos para la OGTIE"
    ),
    "resp-soporte": "Responsable de soporte técnico",
    "esp-estadistico": "Especialista estadístico",
    # Outside OGTIE
    "cgd": "Comité de Gobierno Digital",
    "ministro": "Ministro(a) de Defensa",
    "secretario-general": "Secretario(a) General",
    "director-uo": "Director(a) de la unidad de organización",
    "personal": "Personal del MINDEF",
    "resp-organo-estadistico": "Responsable del órgano estadístico de la entidad",
}
