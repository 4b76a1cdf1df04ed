"""Robust initial passwords and their one-time reveal links.

**Policy** (the manual's "contraseña robusta", S04.03.01.01 definitions): special characters
(".", "*", "$"…), at least one digit, one uppercase and one lowercase letter. The manual gives no
length; we use ``settings.IAM_PASSWORD_LENGTH`` (default 16, never under 12). Generated with
``secrets`` only.

**Delivery** (design.md): the password is never stored in clear, mailed, logged or written to a
ticket. The row keeps it encrypted with AES-256-GCM under a key that lives outside the database
(``settings.SECRETS_KEYS``: environment or key file, rotated with ``mapro secrets_rotate``,
docs/deploy.md). The mail carries only the address of the reveal page (the row's id, no
token): the recipient logs in and sees the password once, before ``expires_at``; revealing
destroys the ciphertext in the same transaction. So neither a copy of the database nor the
outbox, the mail or the log opens it.

``cryptography`` (~6 MB) is imported by the functions that seal and open, not with the module:
the iam app's actions are imported by every web worker, and no page uses it (issue #15).
"""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SPECIALS = ".*$#@!%&-_+=?"
CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits, SPECIALS)
MIN_LENGTH = 12
DEFAULT_LENGTH = 16
DEFAULT_TTL = timedelta(hours=24)
_HKDF_INFO = b"mapro.iam.one-time-secret.v2"


def password_length() -> int:
    return max(MIN_LENGTH, int(getattr(settings, "IAM_PASSWORD_LENGTH", DEFAULT_LENGTH)))


def link_ttl() -> timedelta:
    hours = getattr(settings, "IAM_PASSWORD_LINK_HOURS", None)
    return timedelta(hours=int(hours)) if hours else DEFAULT_TTL


def is_robust(password: str) -> bool:
    """True when ``password`` meets the manual's policy and our minimum length."""
    return len(password) >= MIN_LENGTH and all(
        any(c in chars for c in password) for chars in CLASSES
    )


def generate_password(length: int | None = None) -> str:
    """A random password with every class of the policy, uniformly shuffled."""
    length = max(MIN_LENGTH, length or password_length())
    alphabet = "".join(CLASSES)
    chars = [secrets.choice(chars) for chars in CLASSES]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    # Fisher-Yates with the CSPRNG: the mandatory characters land anywhere.
    for i in range(len(chars) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


class SecretsKeyError(ImproperlyConfigured):
    """No usable key to seal or open one-time secrets (``SECRETS_KEYS``)."""


_BLOB_VERSION = b"\x02"
_KEY_ID_BYTES = 8
MIN_KEY_CHARS = 32


def _derive(material: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        material.encode()
    )


def key_id(material: str) -> bytes:
    """A key's public fingerprint, stored with each ciphertext (which key opens it)."""
    return hashlib.sha256(b"mapro.iam.key-id:" + _derive(material)).digest()[:_KEY_ID_BYTES]


def keyring() -> list[tuple[bytes, bytes]]:
    """``(key id, AES key)`` for every configured key, the sealing key first.

    The keys come from the environment or a key file (``settings.SECRETS_KEYS``), never from
    the database: a dump, replica or backup holds only ciphertexts it cannot open.
    """
    materials = list(getattr(settings, "SECRETS_KEYS", []) or [])
    if not materials:
        raise SecretsKeyError("Configure MAPRO_SECRETS_KEYS o MAPRO_SECRETS_KEY_FILE.")
    if any(len(m) < MIN_KEY_CHARS for m in materials):
        raise SecretsKeyError(
            f"Cada clave de MAPRO_SECRETS_KEYS debe tener al menos {MIN_KEY_CHARS} caracteres."
        )
    return [(key_id(m), _derive(m)) for m in materials]


def _aad(context: str) -> bytes:
    return b"mapro.iam.one-time-secret:" + context.encode()


def seal(secret: str, *, context: str) -> bytes:
    """``secret`` encrypted with the current key (AES-256-GCM), bound to ``context``.

    Blob: version (1 byte) + key id (8) + nonce (12) + ciphertext and tag. ``context`` (the
    account's id) is associated data: a ciphertext copied to another row does not open.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kid, key = keyring()[0]
    nonce = secrets.token_bytes(12)
    body = AESGCM(key).encrypt(nonce, secret.encode(), _aad(context))
    return _BLOB_VERSION + kid + nonce + body


def unseal(blob: bytes, *, context: str) -> str:
    """The secret in ``blob``; ``InvalidTag`` when no configured key opens it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    blob = bytes(blob)
    if blob[:1] != _BLOB_VERSION:
        raise InvalidTag()
    kid = blob[1 : 1 + _KEY_ID_BYTES]
    nonce = blob[1 + _KEY_ID_BYTES : 13 + _KEY_ID_BYTES]
    body = blob[13 + _KEY_ID_BYTES :]
    for candidate, key in keyring():
        if candidate == kid:
            return AESGCM(key).decrypt(nonce, body, _aad(context)).decode()
    raise InvalidTag()


def reseal(blob: bytes, *, context: str) -> bytes | None:
    """``blob`` sealed again with the current key (None when it already is)."""
    if bytes(blob)[1 : 1 + _KEY_ID_BYTES] == keyring()[0][0]:
        return None
    return seal(unseal(blob, context=context), context=context)


@dataclass(frozen=True)
class IssuedLink:
    """What issuing returns: the row, and the path of the page that reveals it (no token)."""

    secret: Any

    @property
    def path(self) -> str:
        from django.urls import reverse

        return reverse("iam:reveal", kwargs={"pk": self.secret.pk})
