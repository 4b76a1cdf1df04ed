"""Robust initial passwords and their one-time reveal links.

**Policy** (the manual's "contraseña robusta", S04.03.01.01 definitions): special characters
(".", "*", "$"…), at least one digit, one uppercase and one lowercase letter. The manual gives no
length; we use ``settings.IAM_PASSWORD_LENGTH`` (default 16, never under 12). Generated with
``secrets`` only.

**Delivery** (design.md): the password is never stored in clear, mailed, logged or written to a
ticket. ``issue_password_link`` makes a random token (``secrets.token_urlsafe(32)``) that only
the link carries; the row keeps the token's SHA-256 and the password encrypted with AES-256-GCM
under a key derived from the token by HKDF-SHA256 (the token hash is the associated data). The
link reveals the password once, to the logged-in recipient, before ``expires_at``; revealing
destroys the ciphertext in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SPECIALS = ".*$#@!%&-_+=?"
CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits, SPECIALS)
MIN_LENGTH = 12
DEFAULT_LENGTH = 16
DEFAULT_TTL = timedelta(hours=24)
_HKDF_INFO = b"mapro.iam.one-time-secret.v1"


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


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _key(token: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        token.encode()
    )


def seal(token: str, secret: str) -> bytes:
    """``secret`` encrypted under the token's key: nonce (12 bytes) + ciphertext + tag."""
    nonce = secrets.token_bytes(12)
    aad = token_hash(token).encode()
    return nonce + AESGCM(_key(token)).encrypt(nonce, secret.encode(), aad)


def unseal(token: str, blob: bytes) -> str:
    """The secret sealed with ``token`` (raises ``cryptography.exceptions.InvalidTag``)."""
    blob = bytes(blob)
    aad = token_hash(token).encode()
    return AESGCM(_key(token)).decrypt(blob[:12], blob[12:], aad).decode()


@dataclass(frozen=True)
class IssuedLink:
    """What issuing returns: the row and the token (shown once; never stored)."""

    secret: Any
    token: str

    @property
    def path(self) -> str:
        from django.urls import reverse

        return reverse("iam:reveal", kwargs={"token": self.token})
