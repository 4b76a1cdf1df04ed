"""Official documents as PDF: the institutional template rendered with WeasyPrint.

The template (``documents/pdf/document.html``) prints the letterhead (Ministerio de Defensa and
the issuing office), the number, "Lima, <fecha>", the addressee, the subject, the reference to
the case, the body (the step's answers) and the signature block. Its bottom margin on the last
page is where a digital signature's visible stamp goes (``SIGNATURE_BOX``, in PDF points from the
bottom-left corner of an A4 page), so the stamp never covers text.

WeasyPrint needs Pango (Debian: ``libpango-1.0-0``, ``libpangoft2-1.0-0``) and a font
(``fonts-dejavu-core``); ``.ci/run`` installs them on a fresh machine.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from mapro.organization.models import Unit

from .dates import long_date
from .models import Document

#: (x1, y1, x2, y2) of the visible signature on the last page: the bottom margin's right half.
SIGNATURE_BOX = (300, 48, 545, 112)
OFFICE_NAMES = {"OGTIE": "Oficina General de Tecnologías de la Información y Estadística"}


def office_name(unit_code: str) -> str:
    """The issuing office's name for the letterhead (the unit's name, else its code)."""
    if unit_code in OFFICE_NAMES:
        return OFFICE_NAMES[unit_code]
    unit = Unit.objects.filter(code=unit_code).only("name").first()
    return unit.name if unit is not None else unit_code


def title_of(document: Document) -> str:
    if document.number:
        return document.number
    if document.is_draft:
        return f"PROYECTO DE {document.family}"
    return f"{document.kind.upper()} (sin número)"


def render_html(document: Document) -> str:
    office = office_name(document.unit_code)
    context: dict[str, Any] = {
        "document": document,
        "title": title_of(document),
        "office": office,
        "procedure_code": document.instance.procedure_version.procedure.code,
        "long_date": long_date(timezone.localtime(document.created_at).date()),
        "footer": f"{office} — {title_of(document)}".replace('"', "'"),
    }
    return render_to_string("documents/pdf/document.html", context)


def render_pdf(document: Document) -> bytes:
    """The document as a PDF (bytes), from the institutional template."""
    from weasyprint import HTML

    return bytes(HTML(string=render_html(document)).write_pdf())
