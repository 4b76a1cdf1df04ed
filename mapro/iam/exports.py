"""Columns of the register exports (XLSX), shared by the HTML views and the tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .models import Account

ACCOUNT_HEADERS = [
    "ID",
    "Nombre de cuenta",
    "Tipo",
    "Sistema",
    "Privilegio no común",
    "Estado",
    "Persona",
    "DNI",
    "Unidad",
    "Régimen",
    "Fecha de creación",
    "Fecha de eliminación",
    "Inicio orden de servicio",
    "Fin orden de servicio",
    "Documentos que autorizan",
    "Tickets",
    "Expedientes",
    "Motivo de eliminación",
]


def account_row(account: Account) -> list[Any]:
    return [
        account.pk,
        account.account_name,
        account.get_kind_display(),
        account.system_name,
        account.get_privilege_display() if account.privilege else "",
        account.status_label,
        account.person.full_name,
        account.person.dni,
        account.person.unit.code,
        account.regime,
        account.granted_on,
        account.removed_on,
        account.service_start,
        account.service_end,
        "; ".join(account.authorizing_documents or []),
        ", ".join(t.number for t in account.tickets.all()),
        ", ".join(str(i.pk) for i in account.instances.all()),
        account.removal_reason,
    ]


def account_rows(accounts: Iterable[Account]) -> Iterator[list[Any]]:
    for account in accounts:
        yield account_row(account)


MOVEMENT_HEADERS = ["Fecha", "Usuario VPN", "Nombre completo", "DNI", "Unidad", "Motivo"]


def movement_rows(accounts: Iterable[Account], *, removal: bool) -> Iterator[list[Any]]:
    for account in accounts:
        yield [
            account.removed_on if removal else account.granted_on,
            account.account_name,
            account.person.full_name,
            account.person.dni,
            account.person.unit.code,
            account.removal_reason if removal else "; ".join(account.authorizing_documents or []),
        ]
