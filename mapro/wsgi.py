"""The WSGI application that ``gunicorn mapro.wsgi`` serves.

After Django is set up, every URLconf is imported (and with it every view module, the forms
and templates tags they import), then the garbage collector moves what start-up made to its
permanent generation (``gc.freeze``). Without it, each full collection of a worker walks the
hundreds of thousands of objects of the loaded code again: measured at about 150 ms of CPU
each, a few times an hour per worker, which lands on some unlucky request as its p95
(docs/benchmarks.md, section 8). Objects made later are collected as usual.

Before that, two libraries are imported with optional packages they would load but a worker
does not need seen as missing (``_import_while_absent``): DRF's ``compat`` module and
``huey.storage``.
"""

import gc
import os
import sys

#: Optional packages DRF's ``rest_framework.compat`` imports if installed, which no page uses:
#: ``requests`` (~7 MB with urllib3, charset_normalizer, chardet, brotli and idna) only for
#: the test client ``rest_framework.test.RequestsClient``, ``pygments`` only for the
#: ``highlight_code`` tag of DRF's API docs templates (not served), ``uritemplate`` and
#: ``inflection`` only for DRF's own schema generator (drf-spectacular imports them itself).
DRF_EXTRAS_UNUSED_BY_WORKERS = ("requests", "pygments", "uritemplate", "inflection")


def _import_while_absent(module: str, absent: tuple[str, ...]) -> None:
    """Import ``module`` while the packages ``absent`` look missing, then let them be.

    Libraries import their optional packages once, at the top of a module, and keep ``None``
    for each one missing; a ``None`` entry in ``sys.modules`` makes that import fail like a
    missing package. The entries are removed at once: a later ``import requests`` (none in
    mapro's code) works as usual. Only web workers do this; tests and commands import the
    libraries as they are.
    """
    hidden = [name for name in absent if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        __import__(module)
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapro.settings")
_import_while_absent("rest_framework.compat", DRF_EXTRAS_UNUSED_BY_WORKERS)
# The Redis client (~13 MB with the cryptography it imports) is loaded when the queue is first
# used, if ever, by mapro.core.queue.RedisHuey (settings.HUEY with REDIS_URL), or when the
# cache is (Django's Redis cache imports it on first use).
_import_while_absent("huey.storage", ("redis",))

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()


def _warm_up() -> None:
    from django.urls import get_resolver

    def walk(patterns: list) -> None:  # type: ignore[type-arg]
        for pattern in patterns:
            walk(getattr(pattern, "url_patterns", []))

    walk(get_resolver().url_patterns)
    gc.collect()
    gc.freeze()


_warm_up()
