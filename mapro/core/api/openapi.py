"""``@extend_schema`` without loading the schema generator in every web worker (issue #15).

drf-spectacular's ``extend_schema`` builds, when the module is imported, a subclass of the
view's schema class: the first decorated view imports ``DEFAULT_SCHEMA_CLASS``
(``mapro.core.api.schema``), hence ``drf_spectacular.openapi`` and ``plumbing``, which imports
``rest_framework.test`` with ``django.test``, ``unittest`` and Jinja2 — about 10 MB in each
worker for something only the schema (``/api/v1/schema/``, ``mapro spectacular``, the
deploy check) uses.

Here ``extend_schema`` records its arguments and the decorated view, function or ``@action``
and returns it unchanged; ``apply_deferred()`` applies the real decorator to each, in the
order they were decorated, before a schema is generated (``mapro.core.api.schema``'s
``SchemaGenerator``, the project's ``DEFAULT_GENERATOR_CLASS``). The real decorator only
sets attributes on what it decorates, so applying it later in the same order gives the same
classes: the OpenAPI document is the same byte for byte (docs/api.md). Once applied, a view
decorated later (a module imported afterwards) gets the real decorator at once.

The other helpers of ``drf_spectacular.utils`` (``OpenApiParameter``, ``OpenApiResponse``,
``extend_schema_field``, ``extend_schema_serializer``…) are light and used from there. The
OpenAPI extensions (``OpenApiAuthenticationExtension`` subclasses) live in each app's
``schema`` module, imported by ``apply_deferred()`` too.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from importlib import import_module
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

F = TypeVar("F")

#: (decorated object, extend_schema's keyword arguments), in decoration order.
_DEFERRED: list[tuple[Any, dict[str, Any]]] = []
#: "deferred" until a schema is first generated, then "applying", then "applied".
_state = "deferred"
#: Two threads of a worker may ask for the schema at once: one applies, the other waits.
_lock = threading.RLock()


def extend_schema(**kwargs: Any) -> Callable[[F], F]:
    """drf-spectacular's ``extend_schema``, applied when a schema is first generated."""

    def decorator(target: F) -> F:
        if _state != "deferred":
            return _spectacular_extend_schema()(**kwargs)(target)  # type: ignore[no-any-return]
        _DEFERRED.append((target, kwargs))
        return target

    return decorator


def deferred_applied() -> bool:
    """Whether ``apply_deferred`` has started (schema classes may be instantiated)."""
    return _state != "deferred"


def apply_deferred() -> None:
    """Import the apps' OpenAPI extensions and apply the recorded ``extend_schema``, once."""
    global _state
    if _state == "applied":
        return
    with _lock:
        if _state == "applied":
            return
        from django.apps import apps
        from django.utils.module_loading import module_has_submodule

        # Before applying: the real decorator instantiates the schema classes it builds, and
        # mapro.core.api.schema.AutoSchema refuses to be instantiated while "deferred".
        _state = "applying"
        for config in apps.get_app_configs():
            name = config.name
            if name.startswith("mapro.") and module_has_submodule(config.module, "schema"):
                import_module(f"{name}.schema")
        while _DEFERRED:
            target, kwargs = _DEFERRED.pop(0)
            _spectacular_extend_schema()(**kwargs)(target)
        _state = "applied"


def _spectacular_extend_schema() -> Callable[..., Any]:
    from drf_spectacular.utils import extend_schema  # noqa: TID251 (the one place)

    return extend_schema


@functools.cache
def _spectacular_view(name: str, **initkwargs: Any) -> Callable[..., HttpResponse]:
    views = import_module("drf_spectacular.views")
    return getattr(views, name).as_view(**initkwargs)  # type: ignore[no-any-return]


def lazy_spectacular_view(name: str, **initkwargs: Any) -> Callable[..., HttpResponse]:
    """``drf_spectacular.views.<name>.as_view(**initkwargs)``, imported on its first request.

    ``drf_spectacular.views`` imports the schema generator and its renderers (PyYAML): the
    URLconf, imported by every worker, names this function instead.
    """

    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _spectacular_view(name, **initkwargs)(request, *args, **kwargs)

    view.__name__ = view.__qualname__ = name
    return view
