"""Numbering of official documents: families, correlatives and the printed number.

Peruvian public-sector style: ``<FAMILIA> N° <correlativo de 6 cifras>-<año>-MINDEF/<unidad>``,
e.g. ``OFICIO N° 000012-2026-MINDEF/OGTIE``. The correlative runs per numbering family and
year (every "Oficio …" kind shares the OFICIO counter), whatever the unit.

A kind that starts with "Proyecto de " is a draft: it has a family (the one of what it drafts)
but gets no number.
"""

from __future__ import annotations

import unicodedata

from .models import DocumentCounter

DRAFT_PREFIX = "proyecto de "

#: Families by the (accent-less, lower-case) first word of the kind, with their printed name.
FAMILIES: dict[str, str] = {
    "oficio": "OFICIO",
    "memorandum": "MEMORÁNDUM",
    "informe": "INFORME",
    "acta": "ACTA",
    "reporte": "REPORTE",
    "resolucion": "RESOLUCIÓN",
}
OTHER_FAMILY = "DOCUMENTO"


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def is_draft(kind: str) -> bool:
    """Whether ``kind`` names a draft ("Proyecto de oficio", "Proyecto de informe de …")."""
    return _plain(kind).startswith(DRAFT_PREFIX)


def family_of(kind: str) -> str:
    """The numbering family of ``kind`` ("Proyecto de oficio de …" → "OFICIO")."""
    plain = _plain(kind)
    if plain.startswith(DRAFT_PREFIX):
        plain = plain[len(DRAFT_PREFIX) :]
    first = plain.split(" ", 1)[0] if plain else ""
    return FAMILIES.get(first, OTHER_FAMILY)


def format_number(family: str, seq: int, year: int, unit_code: str) -> str:
    """``OFICIO N° 000012-2026-MINDEF/OGTIE``."""
    return f"{family} N° {seq:06d}-{year}-MINDEF/{unit_code}"


def next_seq(family: str, year: int) -> int:
    """Allocate the next correlative of (family, year): race-free under concurrency.

    Must run inside a transaction: the counter row is created if missing and locked
    (``SELECT … FOR UPDATE``) until the caller's transaction ends, so parallel allocations
    wait for each other and get consecutive, distinct numbers.
    """
    counter, _ = DocumentCounter.objects.select_for_update().get_or_create(family=family, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
