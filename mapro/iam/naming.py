"""The account naming rule: a configurable pattern over the person's names, ASCII, unique.

``settings.IAM_ACCOUNT_NAME_PATTERN`` (default ``"{first_initial}{first_surname}"``) is a
``str.format`` pattern over these fields, each lowercase ASCII letters only (accents dropped,
ñ → n, spaces and punctuation removed):

- ``first_name``: first given name; ``first_initial``: its first letter;
- ``second_name``: second given name (may be empty); ``second_initial``;
- ``first_surname``: first surname; ``second_surname``: second surname;
  ``second_surname_initial``: its first letter.

When the name is taken, a number is appended (2, 3, …): "jperez", "jperez2", "jperez3".
A mail account is the name at ``settings.IAM_MAIL_DOMAIN`` (default "mindef.gob.pe"); when the
person has an active network account, its name is used first (``mquispe2`` → ``mquispe2@…``).
A name is taken when an account of the same kind has it and belongs to someone else, or is
active; so a person's own removed accounts do not block their name, others' do (names are
never recycled between people, which keeps the register unambiguous for audits).
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any

from django.conf import settings
from django.db.models import Q

from mapro.core.exceptions import InvalidInput

DEFAULT_PATTERN = "{first_initial}{first_surname}"
MAX_LENGTH = 20  # sAMAccountName keeps 20 characters
FIELDS = frozenset(
    {
        "first_name",
        "first_initial",
        "second_name",
        "second_initial",
        "first_surname",
        "second_surname",
        "second_surname_initial",
    }
)


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters and digits only: "Ñuñez D'Ávila" → "nunezdavila"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", stripped)


def _words(text: str) -> list[str]:
    return [w for w in (ascii_slug(part) for part in text.split()) if w]


def name_fields(first_names: str, last_names: str) -> dict[str, str]:
    """The pattern fields of a person's names."""
    given = _words(first_names)
    surnames = _words(last_names)
    first = given[0] if given else ""
    second = given[1] if len(given) > 1 else ""
    surname1 = surnames[0] if surnames else ""
    surname2 = surnames[1] if len(surnames) > 1 else ""
    return {
        "first_name": first,
        "first_initial": first[:1],
        "second_name": second,
        "second_initial": second[:1],
        "first_surname": surname1,
        "second_surname": surname2,
        "second_surname_initial": surname2[:1],
    }


def current_pattern() -> str:
    """The configured pattern, checked to use only known fields."""
    pattern = getattr(settings, "IAM_ACCOUNT_NAME_PATTERN", None) or DEFAULT_PATTERN
    used = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = used - FIELDS
    if unknown or not used:
        raise ValueError(
            f"IAM_ACCOUNT_NAME_PATTERN usa campos desconocidos: {sorted(unknown) or pattern}"
        )
    return pattern


def base_name(first_names: str, last_names: str, pattern: str | None = None) -> str:
    """The name the pattern gives, before disambiguation (may be empty for empty names)."""
    fields = name_fields(first_names, last_names)
    return ascii_slug((pattern or current_pattern()).format(**fields))[:MAX_LENGTH]


def _taken(name: str, kind: str, person: Any) -> bool:
    from .models import Account

    return (
        Account.objects.filter(kind=kind, account_name=name)
        .filter(~Q(person=person) | Q(status="activa"))
        .exists()
    )


def _network_name(person: Any) -> str:
    from .models import Account

    if not getattr(person, "pk", None):
        return ""
    account = Account.objects.filter(person=person, kind="red", status="activa").first()
    return account.account_name if account else ""


def propose_account_name(person: Any, kind: str) -> str:
    """The first free name for ``person`` and ``kind`` under the configured rule."""
    base = base_name(person.first_name, person.last_name)
    if not base:
        raise InvalidInput(
            errors={"account_name": ["No se puede formar el nombre de cuenta: faltan nombres."]}
        )
    domain = ""
    if kind == "correo":
        domain = "@" + str(getattr(settings, "IAM_MAIL_DOMAIN", "") or "mindef.gob.pe")
        network = _network_name(person)
        if network and not _taken(network + domain, kind, person):
            return network + domain
    candidate = base
    number = 1
    while _taken(candidate + domain, kind, person):
        number += 1
        suffix = str(number)
        candidate = base[: MAX_LENGTH - len(suffix)] + suffix
    return candidate + domain
