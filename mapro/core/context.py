"""Who and where a change comes from, for the audit trail, whether or not a request exists.

Who sets it:

- web and API requests: ``RequestContextMiddleware`` (source "web" or "api", a fresh request id,
  the client address);
- ``mapro <command>``: ``mapro.cli`` wraps every command in ``command_context()`` (source
  "command", one request id per run). Commands run with ``call_command`` from code get the same
  by subclassing ``mapro.core.management.base.AuditedCommand``;
- Huey tasks: ``install_huey_hooks`` (called when the core app loads) wraps every task run in
  ``worker_context(task.id)`` (source "worker", the task id as request id). Code run outside
  Huey on the worker's behalf (a periodic tick called directly) can use ``worker_context()``
  as a context manager or a decorator.

Actions read it with ``current_context()``; they never need the request object. Outside all of
these the source is "system".
"""

import contextlib
import threading
import uuid
from collections.abc import Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any


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


@contextlib.contextmanager
def command_context(request_id: str | None = None) -> Iterator[ChangeContext]:
    """Changes made while it is active come from a management command (source "command")."""
    with change_context(source="command", request_id=request_id or uuid.uuid4().hex) as ctx:
        yield ctx


@contextlib.contextmanager
def worker_context(task_id: str | None = None) -> Iterator[ChangeContext]:
    """Changes made while it is active come from a background job (source "worker").

    ``task_id`` (the Huey task id) becomes the request id, so every event of one task run can
    be found together. Usable as ``with worker_context(): ...`` or as ``@worker_context()``
    (each call then gets its own request id).
    """
    with change_context(source="worker", request_id=task_id or uuid.uuid4().hex) as ctx:
        yield ctx


_huey_tokens = threading.local()


def install_huey_hooks(huey: Any) -> None:
    """Run every Huey task inside ``worker_context(task.id)``, whatever module defines it.

    The pre-execute hook sets the context in the thread that runs the task and the post-execute
    hook restores the previous one (a stack per thread, as immediate mode nests tasks in the
    caller's thread).
    """

    def enter(task: Any) -> None:
        ctx = ChangeContext(request_id=str(task.id), source="worker")
        stack = getattr(_huey_tokens, "stack", None)
        if stack is None:
            stack = _huey_tokens.stack = []
        stack.append(_current.set(ctx))

    def leave(task: Any, task_value: Any, exc: BaseException | None) -> None:
        stack: list[Token[ChangeContext | None]] = getattr(_huey_tokens, "stack", [])
        if stack:
            _current.reset(stack.pop())

    huey.pre_execute(name="mapro_worker_context")(enter)
    huey.post_execute(name="mapro_worker_context")(leave)
