"""Talking to the directory (ldap3): each operation reads before it writes, so it is idempotent.

``apply(connection, op)`` returns what it did, in Spanish, or raises:

- ``DirectoryRefused``: the directory (or the state it is in) refuses the operation — duplicate
  account of another person, unknown group or account, constraint; the message is the
  directory's. No retry will change it: the operation is "failed", for a person to look at.
- ``DirectoryUnavailable``: the directory does not answer, or refused the service account's
  credentials (a configuration problem, fixed outside): retried with back-off.

An account is found by ``sAMAccountName`` under the search base; a group by ``cn`` under the
groups base, ``objectClass=group`` (Active Directory and the test slapd share this schema:
``.ci/slapd.sh``). Membership is the group's ``member``; ``memberOf`` is read when the
directory keeps it (AD always, slapd with the memberof overlay).

Idempotency: create finds an existing account with the same ``employeeNumber`` (the DNI) and
treats it as created; a member already in a group, a member already out, an account already
disabled or already deleted change nothing. A replay after a crash is therefore harmless.
"""

from __future__ import annotations

import importlib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import conf
from .choices import Operation

if TYPE_CHECKING:
    import ldap3
    from ldap3.core import exceptions as ldap_exc
else:

    class _OnFirstUse:
        """A module imported when one of its names is first read. Every web worker imports
        this module (the iam app registers its password source at start-up), but only the
        directory's jobs talk LDAP: ldap3 and pyasn1 weigh ~14 MB (issue #15)."""

        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attr: str) -> Any:
            return getattr(importlib.import_module(self._name), attr)

    ldap3 = _OnFirstUse("ldap3")
    ldap_exc = _OnFirstUse("ldap3.core.exceptions")


def escape_filter_chars(text: str) -> str:
    from ldap3.utils.conv import escape_filter_chars

    return str(escape_filter_chars(text))


def escape_rdn(text: str) -> str:
    from ldap3.utils.dn import escape_rdn

    return str(escape_rdn(text))


#: userAccountControl bits (Active Directory).
ACCOUNTDISABLE = 0x2
NORMAL_ACCOUNT = 0x200
USER_ATTRIBUTES = [
    "sAMAccountName",
    "cn",
    "displayName",
    "givenName",
    "sn",
    "mail",
    "employeeNumber",
    "userAccountControl",
    "memberOf",
]


class DirectoryRefused(Exception):
    """The directory refused the operation; its message says why. Not retried."""


class DirectoryUnavailable(Exception):
    """The directory did not answer (or refused the service account). Retried."""


_password_source: Callable[[int], str | None] | None = None


def register_password_source(source: Callable[[int], str | None]) -> None:
    """Tell the connector how to read a new account's initial password (the accounts register
    opens its sealed one-time secret, ``mapro.iam``), so no password is ever stored here."""
    global _password_source
    _password_source = source


def server() -> ldap3.Server:
    address = conf.url()
    tls = None
    if address.startswith("ldaps://"):
        tls = ldap3.Tls(
            validate=ssl.CERT_REQUIRED,
            ca_certs_file=conf.ca_file() or None,
            version=ssl.PROTOCOL_TLS_CLIENT,
        )
    return ldap3.Server(address, connect_timeout=conf.timeout(), tls=tls, get_info=ldap3.NONE)


def connect(user: str | None = None, password: str | None = None) -> ldap3.Connection:
    """A bound connection (the service account unless ``user``); raises DirectoryUnavailable."""
    connection = ldap3.Connection(
        server(),
        user=user if user is not None else conf.bind_dn(),
        password=password if password is not None else conf.bind_password(),
        raise_exceptions=True,
        receive_timeout=conf.timeout(),
        auto_referrals=False,
    )
    try:
        connection.bind()
    except ldap_exc.LDAPInvalidCredentialsResult as exc:
        raise DirectoryUnavailable(
            f"El directorio rechazó las credenciales de la cuenta de servicio: {describe(exc)}"
        ) from exc
    except ldap_exc.LDAPException as exc:
        raise DirectoryUnavailable(f"El directorio no responde: {describe(exc)}") from exc
    return connection


def describe(exc: BaseException) -> str:
    """The directory's own words for an error (result code, description and message)."""
    if isinstance(exc, ldap_exc.LDAPOperationResult):
        parts = [str(exc.description or ""), str(exc.message or "")]
        return " — ".join(p for p in parts if p) or type(exc).__name__
    return str(exc) or type(exc).__name__


@dataclass
class Entry:
    dn: str
    attributes: dict[str, Any]

    def first(self, name: str) -> Any:
        value = self.attributes.get(name)
        if isinstance(value, list):
            return value[0] if value else None
        return value

    @property
    def uac(self) -> int:
        return int(self.first("userAccountControl") or NORMAL_ACCOUNT)

    @property
    def enabled(self) -> bool:
        return not self.uac & ACCOUNTDISABLE

    @property
    def groups(self) -> list[str]:
        return [str(g) for g in self.attributes.get("memberOf") or []]


def _search(
    connection: ldap3.Connection, base: str, flt: str, attributes: list[str]
) -> list[Entry]:
    try:
        connection.search(base, flt, search_scope=ldap3.SUBTREE, attributes=attributes)
    except ldap_exc.LDAPNoSuchObjectResult as exc:
        raise DirectoryRefused(f"La base de búsqueda {base} no existe: {describe(exc)}") from exc
    return [
        Entry(str(e["dn"]), dict(e.get("attributes") or {}))
        for e in connection.response or []
        if e.get("type") == "searchResEntry"
    ]


def find_user(connection: ldap3.Connection, username: str) -> Entry | None:
    flt = f"(&(objectClass=user)(sAMAccountName={escape_filter_chars(username)}))"
    found = _search(connection, conf.search_dn(), flt, USER_ATTRIBUTES)
    return found[0] if found else None


def all_users(connection: ldap3.Connection) -> list[Entry]:
    """Every account under the search base (the reconciliation reads them, paged)."""
    entries = connection.extend.standard.paged_search(
        conf.search_dn(),
        "(objectClass=user)",
        search_scope=ldap3.SUBTREE,
        attributes=USER_ATTRIBUTES,
        paged_size=500,
        generator=False,
    )
    return [
        Entry(str(e["dn"]), dict(e.get("attributes") or {}))
        for e in entries
        if e.get("type") == "searchResEntry"
    ]


def group_dn(connection: ldap3.Connection, name: str) -> str:
    flt = f"(&(objectClass=group)(cn={escape_filter_chars(name)}))"
    found = _search(connection, conf.groups_dn(), flt, ["cn"])
    if not found:
        raise DirectoryRefused(f"El grupo «{name}» no existe en el directorio.")
    return found[0].dn


def group_members(connection: ldap3.Connection, name: str) -> list[str]:
    flt = f"(&(objectClass=group)(cn={escape_filter_chars(name)}))"
    found = _search(connection, conf.groups_dn(), flt, ["member"])
    return [str(m) for m in (found[0].attributes.get("member") or [])] if found else []


def _modify(connection: ldap3.Connection, dn: str, changes: dict[str, Any]) -> None:
    try:
        connection.modify(dn, changes)
    except ldap_exc.LDAPOperationResult as exc:
        raise DirectoryRefused(describe(exc)) from exc


def _add_member(connection: ldap3.Connection, group: str, member_dn: str) -> bool:
    """True when added, False when it was already a member."""
    dn = group_dn(connection, group)
    if member_dn.lower() in (m.lower() for m in group_members(connection, group)):
        return False
    try:
        connection.modify(dn, {"member": [(ldap3.MODIFY_ADD, [member_dn])]})
    except ldap_exc.LDAPAttributeOrValueExistsResult:
        return False
    except ldap_exc.LDAPOperationResult as exc:
        raise DirectoryRefused(describe(exc)) from exc
    return True


def _remove_member(connection: ldap3.Connection, group: str, member_dn: str) -> bool:
    """True when removed, False when it was not a member (or the group does not exist)."""
    try:
        dn = group_dn(connection, group)
    except DirectoryRefused:
        return False
    if member_dn.lower() not in (m.lower() for m in group_members(connection, group)):
        return False
    try:
        connection.modify(dn, {"member": [(ldap3.MODIFY_DELETE, [member_dn])]})
    except (ldap_exc.LDAPNoSuchAttributeResult, ldap_exc.LDAPUnwillingToPerformResult):
        return False
    except ldap_exc.LDAPOperationResult as exc:
        raise DirectoryRefused(describe(exc)) from exc
    return True


def _cn_of(dn: str) -> str:
    first = dn.split(",", 1)[0]
    return first.split("=", 1)[1] if "=" in first else first


def _password_attribute(password: str) -> dict[str, Any]:
    if conf.url().startswith("ldaps://") and str(conf._get("DIRECTORY_PASSWORD_ATTRIBUTE", "")) != (
        "userPassword"
    ):
        # Active Directory: unicodePwd, the quoted password in UTF-16-LE, over LDAPS only.
        return {"unicodePwd": f'"{password}"'.encode("utf-16-le")}
    return {"userPassword": password}


def create_user(connection: ldap3.Connection, op: Any) -> str:
    attrs = dict(op.attributes or {})
    existing = find_user(connection, op.username)
    dni = str(attrs.get("employeeNumber") or "")
    if existing is not None:
        if dni and str(existing.first("employeeNumber") or "") == dni:
            added = [g for g in op.groups if _add_member(connection, g, existing.dn)]
            more = f"; agregada a {', '.join(added)}" if added else ""
            return f"La cuenta ya existía para esta persona ({existing.dn}){more}."
        raise DirectoryRefused(
            f"Ya existe en el directorio la cuenta «{op.username}» de otra persona ({existing.dn})."
        )
    for group in op.groups:  # an unknown group refuses the whole operation before any write
        group_dn(connection, group)
    password = _password_source(op.account_id) if _password_source and op.account_id else None
    entry: dict[str, Any] = {
        "sAMAccountName": op.username,
        "cn": op.username,
        "sn": attrs.get("sn") or op.username,
        "userAccountControl": NORMAL_ACCOUNT if password else NORMAL_ACCOUNT | ACCOUNTDISABLE,
    }
    for name in ("givenName", "displayName", "mail", "employeeNumber", "title", "department"):
        if attrs.get(name):
            entry[name] = attrs[name]
    if password:
        entry.update(_password_attribute(password))
    dn = f"CN={escape_rdn(op.username)},{conf.users_dn()}"
    classes = list(conf._get("DIRECTORY_USER_CLASSES", []) or []) or [
        "top",
        "person",
        "organizationalPerson",
        "inetOrgPerson",
        "user",
    ]
    try:
        connection.add(dn, classes, entry)
    except ldap_exc.LDAPEntryAlreadyExistsResult as exc:
        raise DirectoryRefused(f"Ya existe la entrada {dn}: {describe(exc)}") from exc
    except ldap_exc.LDAPOperationResult as exc:
        raise DirectoryRefused(describe(exc)) from exc
    for group in op.groups:
        _add_member(connection, group, dn)
    state = "habilitada" if password else "deshabilitada hasta que se genere su contraseña"
    groups = f", en {', '.join(op.groups)}" if op.groups else ""
    return f"Cuenta creada ({dn}), {state}{groups}."


def _user_or_refuse(connection: ldap3.Connection, username: str) -> Entry:
    user = find_user(connection, username)
    if user is None:
        raise DirectoryRefused(f"La cuenta «{username}» no existe en el directorio.")
    return user


def add_groups(connection: ldap3.Connection, op: Any) -> str:
    user = _user_or_refuse(connection, op.username)
    for group in op.groups:
        group_dn(connection, group)
    added = [g for g in op.groups if _add_member(connection, g, user.dn)]
    if not added:
        return "Ya era miembro de los grupos."
    return f"Agregada a {', '.join(added)}."


def remove_groups(connection: ldap3.Connection, op: Any) -> str:
    user = find_user(connection, op.username)
    if user is None:
        return "La cuenta no existe en el directorio; nada que quitar."
    removed = [g for g in op.groups if _remove_member(connection, g, user.dn)]
    if not removed:
        return "No era miembro de esos grupos."
    return f"Quitada de {', '.join(removed)}."


def disable_user(connection: ldap3.Connection, op: Any) -> str:
    user = find_user(connection, op.username)
    if user is None:
        return "La cuenta no existe en el directorio; nada que deshabilitar."
    said = []
    if user.enabled:
        uac = user.uac | ACCOUNTDISABLE
        _modify(connection, user.dn, {"userAccountControl": [(ldap3.MODIFY_REPLACE, [uac])]})
        said.append("Cuenta deshabilitada")
    else:
        said.append("La cuenta ya estaba deshabilitada")
    # S04.03.01.02, 2: "deshabilitar cuenta y eliminar accesos y privilegios" — its groups go.
    removed = [_cn_of(g) for g in user.groups if _remove_member(connection, _cn_of(g), user.dn)] + [
        g for g in op.groups if _remove_member(connection, g, user.dn)
    ]
    if removed:
        said.append(f"quitada de {', '.join(removed)}")
    return "; ".join(said) + "."


def delete_user(connection: ldap3.Connection, op: Any) -> str:
    user = find_user(connection, op.username)
    if user is None:
        return "La cuenta ya no existe en el directorio."
    try:
        connection.delete(user.dn)
    except ldap_exc.LDAPNoSuchObjectResult:
        return "La cuenta ya no existe en el directorio."
    except ldap_exc.LDAPOperationResult as exc:
        raise DirectoryRefused(describe(exc)) from exc
    return f"Cuenta eliminada ({user.dn})."


APPLY: dict[str, Callable[[ldap3.Connection, Any], str]] = {
    Operation.CREATE_USER: create_user,
    Operation.ADD_GROUPS: add_groups,
    Operation.REMOVE_GROUPS: remove_groups,
    Operation.DISABLE_USER: disable_user,
    Operation.DELETE_USER: delete_user,
}


def apply(connection: ldap3.Connection, op: Any) -> str:
    """Apply ``op``; returns what was done. Raises DirectoryRefused / DirectoryUnavailable."""
    try:
        return APPLY[op.operation](connection, op)
    except (DirectoryRefused, DirectoryUnavailable):
        raise
    except ldap_exc.LDAPOperationResult as exc:
        raise DirectoryRefused(describe(exc)) from exc
    except ldap_exc.LDAPException as exc:
        raise DirectoryUnavailable(f"El directorio no responde: {describe(exc)}") from exc


def authenticate(username: str, password: str) -> Entry | None:
    """The account ``username`` if ``password`` is its password and it is enabled, else None.

    Finds the account with the service account, then binds as it (the directory checks the
    password; mapro never sees a hash). Raises DirectoryUnavailable when it cannot tell.
    """
    if not username or not password:
        return None
    connection = connect()
    try:
        user = find_user(connection, username)
    finally:
        connection.unbind()
    if user is None or not user.enabled:
        return None
    try:
        own = connect(user.dn, password)
    except DirectoryUnavailable as exc:
        if isinstance(exc.__cause__, ldap_exc.LDAPInvalidCredentialsResult):
            return None
        raise
    own.unbind()
    return user
