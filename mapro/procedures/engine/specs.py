"""Parsed workflow specs, cached per process by the hash of the BPMN text.

Parsing BPMN costs far more than a step, so each published version's XML is parsed once per
process and kept here. The cache is plain memory that can be rebuilt at any time (a new worker
parses again on first use); the key is the SHA-256 of the XML, so a version can never get
another version's spec.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec

from mapro.core.caches import BoundedCache

from ..exceptions import EngineError
from .multi_instance import MaproBpmnParser


@dataclass(frozen=True)
class CachedSpec:
    """A parsed process: the top spec, the specs of its call activities and a task index."""

    key: str
    process_id: str
    spec: BpmnProcessSpec
    subprocess_specs: dict[str, Any] = field(default_factory=dict)


_cache: dict[str, CachedSpec] = {}
_lock = threading.Lock()
#: Counters for tests and diagnostics: how many parses and cache hits this process has done.
stats = {"parses": 0, "hits": 0}


def spec_key(bpmn_xml: str) -> str:
    return hashlib.sha256(bpmn_xml.encode("utf-8")).hexdigest()


def _process_id(parser: MaproBpmnParser) -> str:
    ids = parser.get_process_ids()
    executable = [pid for pid in ids if pid.startswith("Process_")]
    if len(executable) == 1:
        return executable[0]
    if len(ids) == 1:
        return ids[0]
    raise EngineError(f"El BPMN debe tener un único proceso ejecutable; tiene {ids}.")


def parse_spec(bpmn_xml: str) -> CachedSpec:
    """Parse ``bpmn_xml`` (no cache). Raises EngineError when the XML cannot be executed."""
    parser = MaproBpmnParser()
    try:
        parser.add_bpmn_str(bpmn_xml.encode("utf-8"))
        process_id = _process_id(parser)
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        raise EngineError(f"El BPMN del procedimiento no es válido: {exc}") from exc
    return CachedSpec(spec_key(bpmn_xml), process_id, spec, subprocess_specs)


#: The spec of a BPMN text object seen before, by the object's identity: the completion
#: path hands in the very string ``storage.version_content`` cached, so hashing its 20–60 kB
#: again at every step is skipped. The entry holds the string, so its id cannot be reused
#: while it is here; a different object with the same text goes through the hash as usual.
_by_object: BoundedCache[int, tuple[str, CachedSpec]] = BoundedCache(512)


def get_spec(bpmn_xml: str) -> CachedSpec:
    """The parsed spec of ``bpmn_xml``, parsing it only the first time in this process."""
    seen = _by_object.get(id(bpmn_xml))
    if seen is not None and seen[0] is bpmn_xml:
        stats["hits"] += 1
        return seen[1]
    cached = _get_spec(bpmn_xml)
    _by_object.put(id(bpmn_xml), (bpmn_xml, cached))
    return cached


def _get_spec(bpmn_xml: str) -> CachedSpec:
    key = spec_key(bpmn_xml)
    cached = _cache.get(key)
    if cached is not None:
        stats["hits"] += 1
        return cached
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = parse_spec(bpmn_xml)
            stats["parses"] += 1
            _cache[key] = cached
        else:
            stats["hits"] += 1
    return cached


def clear_cache() -> None:
    """Forget every parsed spec (they are rebuilt on next use)."""
    with _lock:
        _cache.clear()
        _by_object.clear()
