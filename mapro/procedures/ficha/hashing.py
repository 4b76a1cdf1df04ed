"""The content hash that identifies a published procedure version.

SHA-256 over canonical JSON (sorted keys, no whitespace, UTF-8) of the ficha together with the
compiler version: the same ficha compiled by the same compiler always has the same hash, and a
change to either (including a compiler change that alters the BPMN) yields a new version.
"""

import hashlib
import json
from typing import Any

from .compiler import COMPILER_VERSION


def canonical_json(value: Any) -> str:
    """Deterministic JSON text of ``value`` (sorted keys, compact separators, real UTF-8)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(ficha: dict[str, Any]) -> str:
    """The 64-hex-digit hash of a ficha's content plus :data:`COMPILER_VERSION`."""
    payload = canonical_json({"compiler": COMPILER_VERSION, "ficha": ficha})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
