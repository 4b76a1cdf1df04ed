"""Directory settings, read at call time (tests and deployments change them).

- ``DIRECTORY_URL``: ``ldaps://ad.mindef.gob.pe`` (production: Active Directory over LDAPS) or
  ``ldap://127.0.0.1:PORT`` (tests). Empty: no directory; operations are recorded for manual
  completion, as before the connector existed.
- ``DIRECTORY_BIND_DN`` / ``DIRECTORY_BIND_PASSWORD``: the service account that writes.
- ``DIRECTORY_USERS_DN``: where new accounts are created; ``DIRECTORY_GROUPS_DN``: where group
  names (``cn``) are looked up; ``DIRECTORY_SEARCH_DN``: where accounts are searched (default:
  the users DN).
- ``DIRECTORY_CA_FILE``: the CA that signed the directory's certificate (LDAPS).
- ``DIRECTORY_VPN_GROUP`` (``VPN-Usuarios``), ``DIRECTORY_PRIVILEGE_GROUPS`` (privilege → group),
  ``DIRECTORY_DEFAULT_GROUPS`` (groups of every new network account).
- ``DIRECTORY_TIMEOUT`` (10 s), ``DIRECTORY_MAX_ATTEMPTS`` (8), ``DIRECTORY_LEASE`` (300 s).
- ``DIRECTORY_WHEN_DOWN``: ``wait`` (default: the operation is retried and the instance waits)
  or ``manual`` (an unreachable directory marks the operation for manual completion at once,
  and the instance moves on).
- ``DIRECTORY_LOGIN``: directory users sign in (``backends.DirectoryBackend``).
"""

from typing import Any

from django.conf import settings

DEFAULT_PRIVILEGE_GROUPS = {
    "vpn": "VPN-Usuarios",
    "usb": "GS-USB",
    "redes_sociales": "GS-RedesSociales",
    "perifericos": "GS-Perifericos",
    "otro": "GS-PrivilegiosEspeciales",
}


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def url() -> str:
    return str(_get("DIRECTORY_URL", "") or "")


def configured() -> bool:
    return bool(url())


def bind_dn() -> str:
    return str(_get("DIRECTORY_BIND_DN", ""))


def bind_password() -> str:
    return str(_get("DIRECTORY_BIND_PASSWORD", ""))


def users_dn() -> str:
    return str(_get("DIRECTORY_USERS_DN", ""))


def search_dn() -> str:
    return str(_get("DIRECTORY_SEARCH_DN", "") or users_dn())


def groups_dn() -> str:
    return str(_get("DIRECTORY_GROUPS_DN", ""))


def ca_file() -> str:
    return str(_get("DIRECTORY_CA_FILE", "") or "")


def vpn_group() -> str:
    return str(_get("DIRECTORY_VPN_GROUP", "VPN-Usuarios"))


def privilege_groups() -> dict[str, str]:
    groups = dict(DEFAULT_PRIVILEGE_GROUPS)
    groups["vpn"] = vpn_group()
    groups.update(_get("DIRECTORY_PRIVILEGE_GROUPS", {}) or {})
    return groups


def default_groups() -> list[str]:
    return list(_get("DIRECTORY_DEFAULT_GROUPS", []) or [])


def timeout() -> int:
    return max(1, int(_get("DIRECTORY_TIMEOUT", 10)))


def max_attempts() -> int:
    return max(1, int(_get("DIRECTORY_MAX_ATTEMPTS", 8)))


def lease_seconds() -> int:
    return max(1, int(_get("DIRECTORY_LEASE", 300)))


def when_down() -> str:
    value = str(_get("DIRECTORY_WHEN_DOWN", "wait"))
    return value if value in ("wait", "manual") else "wait"


def login_enabled() -> bool:
    return configured() and bool(_get("DIRECTORY_LOGIN", False))
