"""A real directory for tests: the slapd that ``.ci/slapd.sh`` starts (``MAPRO_TEST_LDAP_URL``).

Import the ``ldap_directory`` fixture into a ``conftest.py`` (or a test module). Each test gets
its own organizational unit (``ou=t<random>``) with ``ou=usuarios`` and ``ou=grupos`` holding the
groups the steps use, and the settings pointing there; the unit is deleted afterwards. Without
``MAPRO_TEST_LDAP_URL`` the test is skipped (CI always sets it).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from .conf import DEFAULT_PRIVILEGE_GROUPS

ENV_URL = "MAPRO_TEST_LDAP_URL"


class TestDirectory:
    """The test's corner of the directory, and reading it back as the administrator."""

    def __init__(self, url: str, admin_dn: str, password: str, base: str) -> None:
        import ldap3

        self.url, self.admin_dn, self.password, self.base = url, admin_dn, password, base
        self.users_dn = f"ou=usuarios,{base}"
        self.groups_dn = f"ou=grupos,{base}"
        self.connection = ldap3.Connection(
            ldap3.Server(url, get_info=ldap3.NONE),
            admin_dn,
            password,
            auto_bind=True,
            raise_exceptions=True,
        )

    def add_group(self, name: str) -> str:
        dn = f"cn={name},{self.groups_dn}"
        self.connection.add(dn, ["top", "group"], {"cn": name, "groupType": -2147483646})
        return dn

    def add_user(
        self,
        username: str,
        *,
        password: str = "",
        dni: str = "",
        enabled: bool = True,
        **attrs: Any,
    ) -> str:
        dn = f"CN={username},{self.users_dn}"
        entry = {
            "sAMAccountName": username,
            "cn": username,
            "sn": attrs.pop("sn", username),
            "userAccountControl": 512 if enabled else 514,
            **attrs,
        }
        if password:
            entry["userPassword"] = password
        if dni:
            entry["employeeNumber"] = dni
        self.connection.add(
            dn, ["top", "person", "organizationalPerson", "inetOrgPerson", "user"], entry
        )
        return dn

    def user(self, username: str) -> dict[str, Any] | None:
        self.connection.search(
            self.users_dn,
            f"(sAMAccountName={username})",
            attributes=["*", "+"],
        )
        if not self.connection.entries:
            return None
        entry = self.connection.entries[0]
        data = {k: entry[k].values for k in entry.entry_attributes}
        data["dn"] = entry.entry_dn
        return data

    def members(self, group: str) -> list[str]:
        self.connection.search(self.groups_dn, f"(cn={group})", attributes=["member"])
        if not self.connection.entries:
            return []
        return [str(m) for m in self.connection.entries[0]["member"].values]

    def delete_tree(self) -> None:
        import ldap3

        self.connection.search(
            self.base, "(objectClass=*)", search_scope=ldap3.SUBTREE, attributes=[]
        )
        for dn in sorted((e.entry_dn for e in self.connection.entries), key=len, reverse=True):
            try:
                self.connection.delete(dn)
            except Exception:  # noqa: S112 (best effort cleanup)
                continue


def available() -> bool:
    return bool(os.environ.get(ENV_URL))


@pytest.fixture
def ldap_directory(settings: Any) -> Iterator[TestDirectory]:
    url = os.environ.get(ENV_URL)
    if not url:
        pytest.skip(f"sin directorio de pruebas ({ENV_URL}; .ci/run lo inicia)")
    root = os.environ.get("MAPRO_TEST_LDAP_BASE", "dc=mapro,dc=test")
    admin = os.environ.get("MAPRO_TEST_LDAP_BIND_DN", f"cn=admin,{root}")
    password = os.environ.get("MAPRO_TEST_LDAP_BIND_PASSWORD", "secret")
    unit = f"t{secrets.token_hex(6)}"
    base = f"ou={unit},{root}"
    directory = TestDirectory(url, admin, password, base)
    directory.connection.add(base, ["organizationalUnit"], {"ou": unit})
    directory.connection.add(directory.users_dn, ["organizationalUnit"], {"ou": "usuarios"})
    directory.connection.add(directory.groups_dn, ["organizationalUnit"], {"ou": "grupos"})
    for group in sorted(set(DEFAULT_PRIVILEGE_GROUPS.values()) | {"GS-Usuarios"}):
        directory.add_group(group)
    settings.DIRECTORY_URL = url
    settings.DIRECTORY_BIND_DN = admin
    settings.DIRECTORY_BIND_PASSWORD = password
    settings.DIRECTORY_USERS_DN = directory.users_dn
    settings.DIRECTORY_SEARCH_DN = base
    settings.DIRECTORY_GROUPS_DN = directory.groups_dn
    settings.DIRECTORY_VPN_GROUP = "VPN-Usuarios"
    settings.DIRECTORY_DEFAULT_GROUPS = ["GS-Usuarios"]
    settings.DIRECTORY_WHEN_DOWN = "wait"
    settings.DIRECTORY_PAUSE_BETWEEN = 0
    settings.NOTIFICATIONS_KICK_WORKER = False
    try:
        yield directory
    finally:
        directory.delete_tree()
        directory.connection.unbind()


def failed_operation_kwargs(user: Any) -> dict[str, Any]:
    """URL kwargs of a failed directory operation (permission matrix)."""
    from django.utils import timezone

    from .choices import Operation, OperationStatus
    from .models import DirectoryOperation

    op = DirectoryOperation.objects.create(
        key=f"matrix:{secrets.token_hex(8)}",
        operation=Operation.CREATE_USER,
        username="matriz",
        status=OperationStatus.FAILED,
        last_error="Prueba de la matriz de permisos.",
        finished_at=timezone.now(),
    )
    return {"pk": op.pk}
