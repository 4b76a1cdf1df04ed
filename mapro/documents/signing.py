"""Digital signatures of official documents (PAdES, pyHanko): load a signer's certificate,
sign a PDF with a visible stamp, and verify a signed PDF.

- ``load_signer`` opens a PKCS#12 file with its password. The password and the private key
  live only in this call's memory: nothing here stores or logs them. A wrong password, a file
  that is not PKCS#12, a certificate without its key, or one outside its validity period is an
  ``InvalidInput`` naming the form field (``certificado``, ``contrasena``).
- ``sign_pdf`` adds one PAdES signature (``ETSI.CAdES.detached``) in a new field on the last
  page, stamped in the template's signature box (``pdf.SIGNATURE_BOX``).
- ``verify_pdf`` reads every signature of a PDF and says, for each, who signed, when, whether
  the signed bytes are intact, whether the signature is cryptographically valid, whether the
  certificate chains to a trusted root (``settings.MAPRO_SIGNATURE_TRUST_ROOTS``: PEM or DER
  files, e.g. the roots of the Peruvian IOFE/RENIEC), and whether the file changed after signing
  (bytes appended after the signed revision).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from mapro.core.exceptions import InvalidInput

from .pdf import SIGNATURE_BOX

logger = logging.getLogger(__name__)

CERT_FIELD = "certificado"
PASSWORD_FIELD = "contrasena"  # noqa: S105 - a form field's name, not a password
FILE_FIELD = "archivo"
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_P12_BYTES = 64 * 1024
FIELD_NAME = "FirmaMapro"


@dataclass
class LoadedSigner:
    """An opened certificate: pyHanko's signer plus the certificate's readable facts."""

    signer: Any
    subject: str
    common_name: str
    serial_number: str
    issuer: str
    certificate_serial: str
    not_after: dt.datetime


def _fmt_date(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def _name_attr(name: Any, key: str) -> str:
    native = name.native if hasattr(name, "native") else {}
    value = native.get(key, "") if isinstance(native, dict) else ""
    return str(value or "")


def _is_pkcs12(data: bytes) -> bool:
    """Whether ``data`` parses as a PKCS#12 (PFX) structure, before any password is tried: a
    wrong password and a file that is not a certificate must be told apart."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return bool(pfx["auth_safe"]["content_type"].native)
    except Exception:  # any parse failure: not a PKCS#12 file
        return False


def load_signer(
    data: bytes | None, password: str | None, *, now: dt.datetime | None = None
) -> LoadedSigner:
    """Open a PKCS#12 certificate for signing; field errors when it cannot sign today."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    if not data:
        raise InvalidInput(
            errors={CERT_FIELD: ["Adjunte su certificado digital (archivo .p12 o .pfx)."]}
        )
    if len(data) > MAX_P12_BYTES:
        raise InvalidInput(
            errors={CERT_FIELD: ["El archivo es demasiado grande para ser un certificado."]}
        )
    if not _is_pkcs12(data):
        raise InvalidInput(
            errors={CERT_FIELD: ["El archivo no es un certificado PKCS#12 (.p12 o .pfx)."]}
        )
    secret = (password or "").encode("utf-8")
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, secret or None)
    except (ValueError, TypeError):
        message = (
            "La contraseña del certificado no es correcta."
            if password
            else "Indique la contraseña del certificado."
        )
        raise InvalidInput(errors={PASSWORD_FIELD: [message]}) from None
    if key is None or cert is None:
        raise InvalidInput(
            errors={CERT_FIELD: ["El archivo no contiene el certificado con su clave privada."]}
        )
    now = now or timezone.now()
    if cert.not_valid_after_utc < now:
        raise InvalidInput(
            errors={
                CERT_FIELD: [
                    f"El certificado venció el {_fmt_date(cert.not_valid_after_utc)}: "
                    "no puede firmar."
                ]
            }
        )
    if cert.not_valid_before_utc > now:
        raise InvalidInput(
            errors={
                CERT_FIELD: [
                    "El certificado recién es válido desde el "
                    f"{_fmt_date(cert.not_valid_before_utc)}."
                ]
            }
        )
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=secret or None)
    if signer is None:  # pragma: no cover - cryptography opened it above
        raise InvalidInput(errors={CERT_FIELD: ["No se pudo abrir el certificado."]})
    signing_cert = signer.signing_cert
    subject = signing_cert.subject
    return LoadedSigner(
        signer=signer,
        subject=subject.human_friendly,
        common_name=_name_attr(subject, "common_name") or subject.human_friendly,
        serial_number=_name_attr(subject, "serial_number"),
        issuer=signing_cert.issuer.human_friendly,
        certificate_serial=format(signing_cert.serial_number, "X"),
        not_after=cert.not_valid_after_utc,
    )


def sign_pdf(pdf: bytes, loaded: LoadedSigner, *, reason: str, location: str = "Lima") -> bytes:
    """``pdf`` with one more PAdES signature, stamped visibly on its last page."""
    from pyhanko import stamp
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    existing = len(list(fields.enumerate_sig_fields(writer)))
    name = FIELD_NAME if not existing else f"{FIELD_NAME}{existing + 1}"
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason[:200],
        location=location,
        name=loaded.common_name,
    )
    style = stamp.TextStampStyle(
        stamp_text="Firmado digitalmente por:\n%(signer)s\nFecha: %(ts)s\nMotivo: %(reason)s",
        timestamp_format="%d/%m/%Y %H:%M:%S %z",
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=loaded.signer,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(name, on_page=-1, box=SIGNATURE_BOX),
    )
    out = pdf_signer.sign_pdf(writer, appearance_text_params={"reason": reason[:60]})
    return bytes(out.getvalue())


@dataclass
class SignatureCheck:
    """What one embedded signature says."""

    field: str
    signer: str
    signer_serial: str
    issuer: str
    signed_at: str | None
    intact: bool
    valid: bool
    trusted: bool
    modified_after_signing: bool
    summary: str


@dataclass
class Verification:
    """The verdict on a PDF: ``valid`` only when it has signatures and every one is intact,
    valid, trusted and covers the whole file (nothing changed after the last signature)."""

    is_pdf: bool
    signed: bool
    valid: bool
    message: str
    signatures: list[SignatureCheck] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def trust_roots() -> list[Any]:
    """The trusted root certificates (asn1crypto) named by ``MAPRO_SIGNATURE_TRUST_ROOTS``."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots: list[Any] = []
    for path in getattr(settings, "MAPRO_SIGNATURE_TRUST_ROOTS", []) or []:
        try:
            raw = Path(path).read_bytes()
        except OSError:
            logger.warning("Raíz de confianza ilegible: %s", path)
            continue
        blobs = (
            [der for _t, _h, der in pem.unarmor(raw, multiple=True)] if pem.detect(raw) else [raw]
        )
        roots.extend(asn1_x509.Certificate.load(der) for der in blobs)
    return roots


def _check(embedded: Any, context: Any) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature

    status = validate_pdf_signature(embedded, context)
    cert = status.signing_cert
    coverage = getattr(status.coverage, "name", str(status.coverage))
    modified = (
        coverage != "ENTIRE_FILE" or getattr(status.modification_level, "name", "NONE") != "NONE"
    )
    when = status.signer_reported_dt
    intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
    if not intact:
        summary = "El documento fue modificado: su contenido no coincide con lo firmado."
    elif not valid:
        summary = "La firma no es válida criptográficamente."
    elif modified:
        summary = "La firma es válida, pero el archivo cambió después de firmarse."
    elif not trusted:
        summary = (
            "La firma es íntegra, pero el certificado no proviene de una entidad de confianza."
        )
    else:
        summary = "Firma válida: el documento no cambió desde que se firmó."
    return SignatureCheck(
        field=str(embedded.field_name),
        signer=_name_attr(cert.subject, "common_name") or cert.subject.human_friendly,
        signer_serial=_name_attr(cert.subject, "serial_number"),
        issuer=cert.issuer.human_friendly,
        signed_at=when.isoformat() if when else None,
        intact=intact,
        valid=valid,
        trusted=trusted,
        modified_after_signing=modified,
        summary=summary,
    )


def verify_pdf(data: bytes) -> Verification:
    """Verify every signature of ``data``. Never raises on a bad file: it says why."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    if not data.startswith(b"%PDF-"):
        return Verification(False, False, False, "El archivo no es un PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # a damaged upload is an answer, not an error
        return Verification(
            True, False, False, "El PDF está dañado: no se pudo leer su estructura."
        )
    if not embedded:
        return Verification(True, False, False, "El PDF no tiene firmas digitales.")
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    checks = []
    for sig in embedded:
        try:
            checks.append(_check(sig, context))
        except Exception:  # an unreadable signature is an invalid one
            checks.append(
                SignatureCheck(
                    str(getattr(sig, "field_name", "")),
                    "",
                    "",
                    "",
                    None,
                    False,
                    False,
                    False,
                    True,
                    "La firma no se pudo leer: el archivo fue alterado.",
                )
            )
    ok = all(c.intact and c.valid and c.trusted and not c.modified_after_signing for c in checks)
    message = (
        "Todas las firmas son válidas."
        if ok
        else next(
            c.summary
            for c in checks
            if not (c.intact and c.valid and c.trusted and not c.modified_after_signing)
        )
    )
    return Verification(True, True, ok, message, checks)


def signer_of(data: bytes) -> SignatureCheck | None:
    """The last signature of a PDF signed elsewhere (Firma Perú), if it is intact and valid."""
    result = verify_pdf(data)
    good = [c for c in result.signatures if c.intact and c.valid]
    return good[-1] if good else None
