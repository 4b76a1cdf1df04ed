"""Who may do what in the HR integration (role codes of docs/roles.md). Every view and action
asks ``mapro.organization.permissions`` with these sets; the menu and the permission matrix
repeat them."""

#: Read the leaver alerts received (the roles that act on them, and supervision).
LEAVER_READ_ROLES = frozenset(
    {
        "profesional-ogtie",
        "operador-mesa",
        "resp-soporte",
        "tecnico-especialista",
        "coord-infraestructura",
        "jefe-ogtie",
        "esp-seguridad-info",
    }
)
#: Record the PST backup and the physical deletion from the AD (activities 3, 4 and 15).
BACKUP_RECORD_ROLES = frozenset({"resp-soporte", "profesional-ogtie"})
#: Read the backups and deletions.
BACKUP_READ_ROLES = BACKUP_RECORD_ROLES | frozenset(
    {"coord-infraestructura", "jefe-ogtie", "esp-seguridad-info"}
)
#: Upload the DGRRHH list: the infrastructure coordinator, who validates it (14), and the
#: Jefe(a), who receives and derives it (13).
RECONCILIATION_UPLOAD_ROLES = frozenset({"coord-infraestructura", "jefe-ogtie"})
#: Mark a difference attended: who validates (14) and who removes what was left (15).
DIFFERENCE_ATTEND_ROLES = frozenset({"coord-infraestructura", "profesional-ogtie"})
#: Read reconciliations and the informe de eliminación de cuentas (16, 17), and audit them.
RECONCILIATION_READ_ROLES = (
    RECONCILIATION_UPLOAD_ROLES | DIFFERENCE_ATTEND_ROLES | frozenset({"esp-seguridad-info"})
)
