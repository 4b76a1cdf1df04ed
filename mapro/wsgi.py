"""The WSGI application that ``gunicorn mapro.wsgi`` serves.

After Django is set up, every URLconf is imported (and with it every view module, the forms
and templates tags they import), then the garbage collector moves what start-up made to its
permanent generation (``gc.freeze``). Without it, each full collection of a worker walks the
hundreds of thousands of objects of the loaded code again: measured at about 150 ms of CPU
each, a few times an hour per worker, which lands on some unlucky request as its p95
(docs/benchmarks.md, section 8). Objects made later are collected as usual.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapro.settings")
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
