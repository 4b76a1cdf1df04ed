"""Official documents as signed PDFs: rendered from the institutional template, signed in
PAdES by the issuer with a certificate of a test CA generated here (no committed keys),
verified with pyHanko, and failing verification after one byte changes. Bad certificates are
field errors that save nothing; the password is never kept."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.testing import make_user
from mapro.documents.models import Document, DocumentCounter, DocumentSignature, NumberSource
from mapro.documents.signing import load_signer, sign_pdf
from mapro.documents.testing import STEP2, TestCA, issued_oficio

pytestmark = pytest.mark.django_db
PASSWORD = "Clave-Secreta-2026"


@pytest.fixture
def ca(settings: Any, tmp_path: Any) -> TestCA:
    authority = TestCA()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAPRO_SIGNATURE_TRUST_ROOTS = [authority.root_pem_file(tmp_path)]
    return authority


@pytest.fixture
def oficio() -> Document:
    return issued_oficio()


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def png_of(pdf: bytes) -> Any:
    """The first page as an image (pypdfium2), to prove the PDF opens and shows something."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    document.init_forms()  # draw form widgets (the signature's visible stamp) as a viewer does
    page = document[0]
    image = page.render(scale=1, may_draw_forms=True).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert buffer.getvalue().startswith(b"\x89PNG")
    return image


def dark_pixels(image: Any) -> int:
    return sum(1 for p in image.convert("L").getdata() if p < 128)


def sign(user: Any, document: Document, p12: bytes, password: str = PASSWORD) -> Any:
    return api(user).post(
        f"/api/v1/documents/{document.pk}/sign/",
        {"certificado": io.BytesIO(p12), "contrasena": password},
        format="multipart",
    )


def verify(user: Any, pdf: bytes) -> dict[str, Any]:
    answer = api(user).post(
        "/api/v1/documents/verify/", {"archivo": io.BytesIO(pdf)}, format="multipart"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_the_sistradoc_number_is_the_documents_only_number(oficio: Document) -> None:
    assert oficio.number == STEP2["oficio"]
    assert oficio.number_source == NumberSource.SISTRADOC and oficio.seq is None
    assert not DocumentCounter.objects.filter(family="OFICIO").exists()


def test_unsigned_pdf_has_the_template(ca: TestCA, oficio: Document) -> None:
    answer = api(oficio.issued_by).get(f"/api/v1/documents/{oficio.pk}/pdf/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pdf = b"".join(answer.streaming_content) if answer.streaming else answer.content
    assert pdf.startswith(b"%PDF-")
    image = png_of(pdf)
    assert abs(image.size[0] - 595) <= 1 and abs(image.size[1] - 842) <= 1  # A4 at 72 dpi
    assert dark_pixels(image) > 2000  # letterhead, number, body: not a blank page
    text = _text_of(pdf)
    assert "MINISTERIO DE DEFENSA" in text and oficio.number in text
    assert oficio.subject[:30] in text
    assert verify(oficio.issued_by, pdf)["signed"] is False


def _text_of(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_issuer_signs_verifies_and_one_changed_byte_fails(ca: TestCA, oficio: Document) -> None:
    issuer = oficio.issued_by
    answer = sign(issuer, oficio, ca.p12("Juana Pérez Quispe", PASSWORD, dni="40123456"))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["signer_name"] == "Juana Pérez Quispe"
    assert body["signer_serial"] == "PNOPE-40123456"
    assert body["method"] == "pades"

    pdf_answer = api(issuer).get(f"/api/v1/documents/{oficio.pk}/pdf/")
    signed = pdf_answer.content
    assert signed.startswith(b"%PDF-")
    assert dark_pixels(png_of(signed)) > 2000
    # the visible stamp is drawn on the (last, here the only) page, in the signature box of
    # the bottom margin, which the unsigned PDF leaves blank
    unsigned = api(issuer).get(f"/api/v1/documents/{oficio.pk}/pdf/")
    assert _has_sig_widget(signed)
    assert dark_pixels_in_box(png_of(signed)) > 50
    assert dark_pixels_in_box(png_of(_unsigned_render(oficio))) == 0
    assert unsigned.content == signed  # the PDF served is the signed one

    result = verify(make_user("resp-soporte"), signed)
    assert result["valid"] is True and result["signed"] is True
    [check] = result["signatures"]
    assert check["signer"] == "Juana Pérez Quispe"
    assert check["intact"] and check["trusted"] and not check["modified_after_signing"]
    assert check["signed_at"]
    assert result["document"] == oficio.pk

    tampered = bytearray(signed)
    at = tampered.find(b"WeasyPrint")
    assert at > 0
    tampered[at] = ord("w")
    bad = verify(issuer, bytes(tampered))
    assert bad["valid"] is False
    assert bad["signatures"][0]["intact"] is False
    assert "modificado" in bad["message"]
    assert bad["document"] is None

    # bytes appended after the signature: still intact, but changed after signing
    appended = verify(issuer, signed + b"\n% cambio posterior\n")
    assert appended["valid"] is False

    again = sign(issuer, oficio, ca.p12("Juana Pérez Quispe", PASSWORD))
    assert again.status_code == 409


def dark_pixels_in_box(image: Any) -> int:
    """Dark pixels inside pdf.SIGNATURE_BOX (PDF points from the bottom-left; 1 px = 1 pt)."""
    from mapro.documents.pdf import SIGNATURE_BOX

    x1, y1, x2, y2 = SIGNATURE_BOX
    height = image.size[1]
    box = image.convert("L").crop((x1, height - y2, x2, height - y1))
    return sum(1 for p in box.getdata() if p < 128)


def _unsigned_render(document: Document) -> bytes:
    from mapro.documents.pdf import render_pdf

    return render_pdf(document)


def _has_sig_widget(pdf: bytes) -> bool:
    return b"/FT /Sig" in pdf or b"/FT/Sig" in pdf


def test_untrusted_certificate_is_not_valid(ca: TestCA, oficio: Document) -> None:
    other = TestCA("CA desconocida")
    signed = sign_pdf(
        b"".join([api(oficio.issued_by).get(f"/api/v1/documents/{oficio.pk}/pdf/").content]),
        load_signer(other.p12("Alguien", "x"), "x"),
        reason="Prueba",
    )
    result = verify(oficio.issued_by, signed)
    assert result["valid"] is False
    assert result["signatures"][0]["intact"] is True
    assert result["signatures"][0]["trusted"] is False


@pytest.mark.parametrize(
    ("p12_kwargs", "password", "field", "text"),
    [
        ({"days": 30}, "otra-clave", "contrasena", "contraseña"),
        ({"days": -3}, PASSWORD, "certificado", "venció"),
    ],
)
def test_bad_certificate_is_a_field_error_and_saves_nothing(
    ca: TestCA, oficio: Document, p12_kwargs: dict[str, Any], password: str, field: str, text: str
) -> None:
    events = AuditEvent.objects.count()
    answer = sign(oficio.issued_by, oficio, ca.p12("Juana", PASSWORD, **p12_kwargs), password)
    assert answer.status_code == 400
    assert text in answer.json()["errors"][field][0]
    assert not DocumentSignature.objects.exists()
    assert AuditEvent.objects.count() == events


def test_not_a_certificate_and_missing_file(ca: TestCA, oficio: Document) -> None:
    junk = sign(oficio.issued_by, oficio, b"no soy un certificado", "x")
    assert junk.status_code == 400 and "certificado" in junk.json()["errors"]
    none = api(oficio.issued_by).post(
        f"/api/v1/documents/{oficio.pk}/sign/", {"contrasena": "x"}, format="multipart"
    )
    assert none.status_code == 400 and "certificado" in none.json()["errors"]


def test_only_the_issuer_signs(ca: TestCA, oficio: Document) -> None:
    reader = make_user("jefe-ogtie")  # reads every document, did not issue this one
    assert sign(reader, oficio, ca.p12("Otro", PASSWORD)).status_code == 404
    assert api(reader).get(f"/api/v1/documents/{oficio.pk}/pdf/").status_code == 200
    stranger = make_user()
    assert api(stranger).get(f"/api/v1/documents/{oficio.pk}/pdf/").status_code == 404
    assert APIClient().post("/api/v1/documents/verify/").status_code == 401
    assert not DocumentSignature.objects.exists()


def test_the_password_is_never_kept(ca: TestCA, oficio: Document, caplog: Any) -> None:
    assert sign(oficio.issued_by, oficio, ca.p12("Juana", PASSWORD)).status_code == 201
    sign(oficio.issued_by, oficio, ca.p12("Juana", PASSWORD), "equivocada-" + PASSWORD)
    for event in AuditEvent.objects.all():
        assert PASSWORD not in str(event.__dict__)
    assert PASSWORD not in caplog.text
    row = DocumentSignature.objects.get()
    assert PASSWORD not in str(row.__dict__)


def test_firma_peru_pdf_is_recorded_and_a_bad_one_refused(ca: TestCA, oficio: Document) -> None:
    issuer = oficio.issued_by
    pdf = api(issuer).get(f"/api/v1/documents/{oficio.pk}/pdf/").content
    url = f"/api/v1/documents/{oficio.pk}/external-signature/"
    unsigned = api(issuer).post(url, {"archivo": io.BytesIO(pdf)}, format="multipart")
    assert unsigned.status_code == 400 and "firmas" in unsigned.json()["errors"]["archivo"][0]
    assert not DocumentSignature.objects.exists()
    # signed "outside" (as Firma Perú would), then uploaded
    outside = sign_pdf(pdf, load_signer(ca.p12("Juana Firma Perú", "fp"), "fp"), reason="FP")
    broken = bytearray(outside)
    broken[broken.find(b"WeasyPrint")] = ord("w")
    refused = api(issuer).post(url, {"archivo": io.BytesIO(bytes(broken))}, format="multipart")
    assert refused.status_code == 400 and not DocumentSignature.objects.exists()
    answer = api(issuer).post(url, {"archivo": io.BytesIO(outside)}, format="multipart")
    assert answer.status_code == 201, answer.content
    assert answer.json()["method"] == "firma_peru"
    assert answer.json()["signer_name"] == "Juana Firma Perú"
    assert api(issuer).get(f"/api/v1/documents/{oficio.pk}/pdf/").content == outside


def test_pages_sign_and_verify(ca: TestCA, oficio: Document) -> None:
    client = Client()
    client.force_login(oficio.issued_by)
    detail = client.get(reverse("documents:document_detail", args=[oficio.pk])).content.decode()
    assert reverse("documents:document_sign", args=[oficio.pk]) in detail
    url = reverse("documents:document_sign", args=[oficio.pk])
    assert client.get(url).status_code == 200
    wrong = client.post(
        url, {"certificado": io.BytesIO(ca.p12("Juana", PASSWORD)), "contrasena": "mala"}
    )
    assert wrong.status_code == 400 and "contraseña" in wrong.content.decode()
    ok = client.post(
        url, {"certificado": io.BytesIO(ca.p12("Juana", PASSWORD)), "contrasena": PASSWORD}
    )
    assert ok.status_code == 302
    signed = client.get(reverse("documents:document_pdf", args=[oficio.pk])).content
    page = client.post(reverse("documents:document_verify"), {"archivo": io.BytesIO(signed)})
    assert 'data-result="valido"' in page.content.decode()
    tampered = bytearray(signed)
    tampered[tampered.find(b"WeasyPrint")] = ord("w")
    page = client.post(reverse("documents:document_verify"), {"archivo": io.BytesIO(tampered)})
    assert 'data-result="no-valido"' in page.content.decode()
    empty = client.post(reverse("documents:document_verify"), {})
    assert empty.status_code == 400
