"""Directorio (LDAP / Active Directory)."""

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "mapro.directory"
    label = "directory"
    verbose_name = "Directorio (LDAP)"

    def ready(self) -> None:
        # A step of S04.03.01.01/.02 whose directory operations have not answered holds the
        # next step of its instance (docs/decisions/directory.md, "Waiting").
        from mapro.procedures.holds import register_instance_hold

        from .selectors import hold_reason

        register_instance_hold(hold_reason, procedures=("S04.03.01.01", "S04.03.01.02"))
