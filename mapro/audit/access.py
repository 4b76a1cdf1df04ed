"""Who reads the audit trail: the Jefe(a) de la OGTIE and the information-security specialist
(the menu, the pages and the permission matrix read this one list)."""

VIEWER_ROLES = ("jefe-ogtie", "esp-seguridad-info")
