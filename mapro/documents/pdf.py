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

import hashlib
from typing import Any

from django.core.cache import cache
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


#: How long a rendered PDF is kept in the cache (seconds).
PDF_CACHE_SECONDS = 24 * 3600


def render_pdf(document: Document) -> bytes:
    """The document as a PDF (bytes), from the institutional template.

    WeasyPrint takes a few hundred milliseconds a page, and the same unsigned document is
    opened again and again (its page, the API, each reader); the HTML is cheap. So the PDF is
    cached under the hash of the HTML it comes from: any change to the document or the
    template is a new key, never a stale PDF.
    """
    html = render_html(document)
    key = "documents:pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        from weasyprint import HTML

        pdf = bytes(HTML(string=html).write_pdf())
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
