"""Test factories of the documents register: instances of S04.02.00.03 whose steps 1 and 2
leave a "Proyecto de oficio" (draft) and an "Oficio" (numbered)."""

from __future__ import annotations

from typing import Any

from mapro.core.testing import ensure_unit, make_user

CODE = "S04.02.00.03"
#: Step 1 names the units consulted (activity 3 is one task per unit): they must exist.
STEP1 = {
    "proyecto_oficio": "Registro 2026-000812",
    "unidades_consultadas": [{"unidad": "DIGEP"}, {"unidad": "DIGELOG"}],
}
STEP2 = {"oficio": "OFICIO N° 00210-2026-MINDEF/SG-OGTIE", "fecha_oficio": "2026-06-02"}


def publish() -> None:
    """Publish the fichas of ``procedures/`` (idempotent)."""
    from mapro.procedures.testing import publish_all

    publish_all()


def started_instance(starter: Any = None) -> Any:
    """A new instance of S04.02.00.03 started by ``starter`` (a new coord-innovacion)."""
    from mapro.procedures.actions import do_start_instance

    publish()
    ogtie = ensure_unit("OGTIE", "OGTIE")
    ensure_unit("DIGEP", "Dirección de Gestión Patrimonial")
    ensure_unit("DIGELOG", "Dirección General de Logística")
    starter = starter or make_user("coord-innovacion", unit=ogtie)
    return do_start_instance(CODE, actor=starter)


def complete(instance: Any, n: int, data: dict[str, Any], actor: Any) -> None:
    """Complete the open activity ``n`` of ``instance`` as ``actor``."""
    from mapro.procedures.actions import do_complete_task

    item = instance.work_items.get(state="open", n=n)
    do_complete_task(item.pk, data, actor=actor)


def issued_oficio(starter: Any = None, jefe: Any = None) -> Any:
    """The numbered Oficio of a new instance (steps 1 and 2 completed; step 2, which issues
    it, by ``jefe``, a new jefe-ogtie by default); returns the document."""
    from .models import Document

    ogtie = ensure_unit("OGTIE", "OGTIE")
    starter = starter or make_user("coord-innovacion", unit=ogtie)
    instance = started_instance(starter)
    complete(instance, 1, STEP1, starter)
    complete(instance, 2, STEP2, jefe or make_user("jefe-ogtie", unit=ogtie))
    return Document.objects.get(instance=instance, kind="Oficio")


PHONE_CODE = "S04.03.03.02"
PHONE_STEP1 = {
    "oficio": "OFICIO N° 00231-2026-MINDEF/SG-DGRRHH",
    "equipos": [{"cantidad": 2, "tipo": "ip", "usuario": "Ana Rojas"}],
}


def uo_oficio(director: Any = None) -> Any:
    """The "Oficio de solicitud de equipos telefónicos" of a new S04.03.03.02 instance started
    (and its activity 1 completed) by ``director`` (a new director-uo of DIGEP): a document
    whose starter holds no OGTIE staff role."""
    from mapro.procedures.actions import do_start_instance

    from .models import Document

    publish()
    if director is None:
        unit = ensure_unit("DIGEP", "Dirección de Gestión Patrimonial")
        director = make_user("director-uo", unit=unit)
    instance = do_start_instance(PHONE_CODE, actor=director)
    complete(instance, 1, PHONE_STEP1, director)
    return Document.objects.get(instance=instance, activity_n=1)


# --- a test certification authority (generated per test; no key is ever committed) ------------


class TestCA:
    """A certification authority made for one test: a root and the certificates it issues.

    ``p12(name)`` returns a PKCS#12 (certificate + key + chain) with ``password``, valid from
    yesterday for ``days`` days (negative ``days``: expired). ``root_pem_file(dir)`` writes the
    root so ``settings.MAPRO_SIGNATURE_TRUST_ROOTS`` can trust it.
    """

    __test__ = False  # not a pytest class

    def __init__(self, name: str = "CA de pruebas mapro") -> None:
        import datetime as dt

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
        from django.utils import timezone

        self.now = timezone.now()
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.now - dt.timedelta(days=2))
            .not_valid_after(self.now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )

    def p12(
        self,
        name: str,
        password: str = "clave-de-prueba",  # noqa: S107 - a throwaway test certificate
        *,
        dni: str = "40123456",
        days: int = 30,
    ) -> bytes:
        import datetime as dt

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import pkcs12
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        start = self.now - dt.timedelta(days=1)
        end = self.now + dt.timedelta(days=days)
        if days < 0:
            start = end - dt.timedelta(days=30)
        cert = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
                        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"PNOPE-{dni}"),
                        x509.NameAttribute(NameOID.COMMON_NAME, name),
                    ]
                )
            )
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )
        return pkcs12.serialize_key_and_certificates(
            b"firma",
            key,
            cert,
            [self.cert],
            serialization.BestAvailableEncryption(password.encode()),
        )

    def root_pem_file(self, directory: Any) -> str:
        from pathlib import Path

        from cryptography.hazmat.primitives import serialization

        path = Path(directory) / "raiz-de-pruebas.pem"
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return str(path)
