"""Who and where a change comes from, for the audit trail, whether or not a request exists.

Web requests set it in RequestContextMiddleware; management commands and worker jobs set it
with ``change_context(source=...)``. Actions read it; they never need the request object.
"""

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChangeContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    client_address: str | None = None
    source: str = "system"  # web, api, command, worker, system


_current: ContextVar[ChangeContext | None] = ContextVar("mapro_change_context", default=None)


def current_context() -> ChangeContext:
    ctx = _current.get()
    return ctx if ctx is not None else ChangeContext()


@contextlib.contextmanager
def change_context(**kwargs: str | None) -> Iterator[ChangeContext]:
    ctx = ChangeContext(**kwargs)  # type: ignore[arg-type]
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
