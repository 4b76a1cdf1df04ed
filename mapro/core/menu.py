"""What a user can do, for the navigation bar and the home page ("Inicio").

To add a page to the menu, append a ``MenuEntry`` to ``ENTRIES`` (in the order it should
appear). ``roles`` limits it to holders of those role codes (see docs/roles.md); ``staff`` to
Django staff; neither means every signed-in user. An entry whose URL name does not resolve is
left out, so the menu only ever links to pages that exist. The menu only *shows* links: each
view still checks permission itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from mapro.organization.permissions import has_role


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    description: str
    roles: frozenset[str] | None = None
    staff: bool = False
    in_navbar: bool = True

    def allows(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.staff and not user.is_staff:
            return False
        return self.roles is None or has_role(user, self.roles)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    description: str
    in_navbar: bool
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    """Several navbar items under one drop-down (``label``)."""

    label: str
    items: list[MenuItem]


#: Navbar drop-downs: entries whose URL name is listed here show under the group's label in
#: the navigation bar (the home page still lists them one by one). Keeps the bar on one line.
NAV_GROUPS: dict[str, tuple[str, ...]] = {
    "Registros": (
        "iam:account_list",
        "hr:leaver_list",
        "datacenter:logbook_list",
        "incidents:incident_list",
        "assets:phone_list",
        "assets:cert_list",
        "assets:restore_list",
        "assets:block_list",
        "audit:event_list",
        "documents:document_list",
    ),
}
_GROUP_OF = {name: group for group, names in NAV_GROUPS.items() for name in names}


ENTRIES: list[MenuEntry] = [
    MenuEntry(
        "Mis tareas",
        "procedures:inbox",
        "Las tareas pendientes de sus roles en los procedimientos en curso.",
    ),
    MenuEntry(
        "Procedimientos",
        "procedures:catalog",
        "Los procedimientos del MAPRO S04: fichas, diagramas e inicio de expedientes.",
    ),
    MenuEntry(
        "Mis solicitudes",
        "helpdesk:my_tickets",
        "Sus pedidos a la mesa de ayuda: estado, respuestas y confirmación de la solución.",
    ),
    MenuEntry(
        "Nueva solicitud",
        "helpdesk:ticket_new",
        "Pedir soporte técnico, cuentas y accesos, certificado digital u otro servicio de TI.",
        in_navbar=False,
    ),
    MenuEntry(
        "Mesa de ayuda",
        "helpdesk:console_queue",
        "La consola de tickets: validar, asignar, atender y resolver.",
        # Same roles as mapro.helpdesk.access.STAFF_ROLES (the permission matrix test checks).
        roles=frozenset(
            {
                "operador-mesa",
                "jefe-ogtie",
                "coord-innovacion",
                "coord-infraestructura",
                "coord-ciberseguridad",
                "coord-estadistica",
                "coord-gobierno-ti",
                "resp-mejora-gd",
                "esp-gobierno-digital",
                "esp-seguridad-info",
                "oficial-seguridad-digital",
                "resp-analisis-sistemas",
                "analista-programador",
                "resp-calidad",
                "tecnico-especialista",
                "resp-infraestructura",
                "resp-bd",
                "profesional-ogtie",
                "prof-redes",
                "resp-soporte",
                "esp-estadistico",
            }
        ),
    ),
    MenuEntry(
        "Cuentas y accesos",
        "iam:account_list",
        "Registro de cuentas, accesos y privilegios, inventario de usuarios VPN y cuentas por "
        "eliminar.",
        # Same roles as mapro.iam.choices READ_ALL_ROLES | READ_SCOPED_ROLES (matrix checks).
        roles=frozenset(
            {
                "profesional-ogtie",
                "tecnico-especialista",
                "coord-infraestructura",
                "resp-soporte",
                "jefe-ogtie",
                "operador-mesa",
                "coord-ciberseguridad",
                "esp-seguridad-info",
                "prof-redes",
                "director-uo",
            }
        ),
    ),
    MenuEntry(
        "Centro de datos",
        "datacenter:logbook_list",
        "Bitácora de ingresos al centro de datos (Formato N° 1), visitas abiertas y visitas.",
        # Same roles as mapro.datacenter.access.ALL_READERS (the permission matrix test checks).
        roles=frozenset(
            {
                "coord-infraestructura",
                "resp-infraestructura",
                "jefe-ogtie",
                "esp-seguridad-info",
                "director-uo",
            }
        ),
    ),
    MenuEntry(
        "Incidentes",
        "incidents:incident_list",
        "Matriz de registro de incidentes de seguridad de la información (SGSI-FOR-006).",
        # Same roles as mapro.incidents.access.REGISTER_ROLES (the permission matrix checks).
        roles=frozenset(
            {
                "jefe-ogtie",
                "coord-ciberseguridad",
                "oficial-seguridad-digital",
                "esp-seguridad-info",
                "tecnico-especialista",
                "coord-infraestructura",
                "resp-infraestructura",
                "resp-soporte",
                "director-uo",
            }
        ),
    ),
    MenuEntry(
        "Bajas de personal",
        "hr:leaver_list",
        "Alertas de baja de RR. HH., backups PST, conciliación semestral de altas y bajas e "
        "informe de eliminación de cuentas.",
        # Same roles as mapro.hr.access.LEAVER_READ_ROLES (the permission matrix test checks).
        roles=frozenset(
            {
                "profesional-ogtie",
                "operador-mesa",
                "resp-soporte",
                "tecnico-especialista",
                "coord-infraestructura",
                "jefe-ogtie",
                "esp-seguridad-info",
            }
        ),
    ),
    MenuEntry(
        "Base de conocimiento",
        "knowledge:article_list",
        "Soluciones conocidas y lecciones aprendidas: buscar antes de pedir soporte.",
    ),
    # Registers of mapro.assets: same roles as its access.all_readers(...) (the matrix checks).
    MenuEntry(
        "Equipos telefónicos",
        "assets:phone_list",
        "Inventario de equipos telefónicos IP y móviles, asignaciones, actas y devoluciones.",
        roles=frozenset({"prof-redes", "coord-infraestructura", "jefe-ogtie", "director-uo"}),
    ),
    MenuEntry(
        "Certificado digital",
        "assets:cert_list",
        "Tarjetas criptográficas y lectores de tarjetas: titulares, entregas y devoluciones.",
        roles=frozenset({"resp-soporte", "jefe-ogtie", "director-uo"}),
    ),
    MenuEntry(
        "Copias de restauración",
        "assets:restore_list",
        "Requerimientos de copia de restauración, su resultado y el informe semestral.",
        roles=frozenset(
            {
                "operador-mesa",
                "profesional-ogtie",
                "coord-infraestructura",
                "resp-bd",
                "jefe-ogtie",
                "director-uo",
            }
        ),
    ),
    MenuEntry(
        "Lista de bloqueos",
        "assets:block_list",
        "Cuentas, dominios, URL e IP públicas bloqueadas por casos de spam y phishing.",
        roles=frozenset(
            {
                "tecnico-especialista",
                "coord-ciberseguridad",
                "esp-seguridad-info",
                "oficial-seguridad-digital",
                "jefe-ogtie",
            }
        ),
    ),
    MenuEntry(
        "Documentos oficiales",
        "documents:document_list",
        "Oficios, memorándums, informes y actas emitidos por los procedimientos, numerados.",
        # Same roles as mapro.documents.access.READER_ROLES (= helpdesk STAFF_ROLES; tested).
        roles=frozenset(
            {
                "analista-programador",
                "coord-ciberseguridad",
                "coord-estadistica",
                "coord-gobierno-ti",
                "coord-infraestructura",
                "coord-innovacion",
                "esp-estadistico",
                "esp-gobierno-digital",
                "esp-seguridad-info",
                "jefe-ogtie",
                "oficial-seguridad-digital",
                "operador-mesa",
                "prof-redes",
                "profesional-ogtie",
                "resp-analisis-sistemas",
                "resp-bd",
                "resp-calidad",
                "resp-infraestructura",
                "resp-mejora-gd",
                "resp-soporte",
                "tecnico-especialista",
            }
        ),
    ),
    MenuEntry(
        "Auditoría",
        "audit:event_list",
        "Consultar el registro de auditoría: quién hizo qué y cuándo.",
        # Same roles as mapro.audit.views.VIEWER_ROLES (the permission matrix test checks).
        roles=frozenset({"jefe-ogtie", "esp-seguridad-info"}),
    ),
    MenuEntry(
        "API",
        "docs",
        "Documentación de la API pública v1 para integrar otros sistemas.",
        in_navbar=False,
    ),
    MenuEntry(
        "Administración",
        "admin:index",
        "Administrar usuarios, unidades, personas y roles.",
        staff=True,
    ),
]


def menu_for(user: Any) -> list[MenuItem]:
    """The entries ``user`` may use whose pages exist, with their URLs."""
    items = []
    for entry in ENTRIES:
        if not entry.allows(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        group = _GROUP_OF.get(entry.url_name, "")
        items.append(MenuItem(entry.label, url, entry.description, entry.in_navbar, group))
    return items


def navbar_for(user: Any) -> list[MenuItem | NavGroup]:
    """The navbar: ``menu_for``'s navbar items in order, grouped ones gathered into one
    ``NavGroup`` where the group's first item would be; a group of one stays a plain item."""
    result: list[MenuItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in menu_for(user):
        if not item.in_navbar:
            continue
        if not item.group:
            result.append(item)
        elif item.group in groups:
            groups[item.group].items.append(item)
        else:
            groups[item.group] = NavGroup(item.group, [item])
            result.append(groups[item.group])
    return [g.items[0] if isinstance(g, NavGroup) and len(g.items) == 1 else g for g in result]
