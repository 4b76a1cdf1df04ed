"""A web worker does not load the heavy libraries only a few pages or jobs use (issue #15).

``gunicorn mapro.wsgi`` imports every view at start-up (``mapro/wsgi.py``); the libraries
below weigh 7–40 MB each in every worker and are imported where they are used instead
(docs/benchmarks.md, section 8). Measured in a fresh interpreter, as a worker starts.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

HEAVY = (
    "altair",
    "frictionless",
    "openpyxl",
    "ldap3",
    "holidays",
    "icalendar",
    "weasyprint",
    "cryptography",  # mapro.iam.passwords seals with it; imported where it seals and opens
)

#: Optional packages of DRF no page uses, which ``mapro.wsgi`` keeps DRF's compat from loading.
DRF_EXTRAS = ("requests", "urllib3", "charset_normalizer", "chardet", "pygments")

#: The schema generator and what it imports (``@extend_schema`` is deferred:
#: mapro.core.api.openapi), loaded only to generate a schema.
SCHEMA_GENERATOR = (
    "drf_spectacular.openapi",
    "drf_spectacular.plumbing",
    "drf_spectacular.extensions",
    "drf_spectacular.views",
    "mapro.core.api.schema",
    "rest_framework.test",
    "django.test",
    "unittest",
    "jinja2",
    "uritemplate",
    "inflection",
)


def _run(code: str, **env_vars: str) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mapro.settings", "DEBUG": "0", **env_vars}
    env = {k: v for k, v in env.items() if v}
    done = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:1/0"])
def test_the_wsgi_application_does_not_import_heavy_libraries(redis_url):
    code = (
        "import json, sys\n"
        "import mapro.wsgi\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    assert _run(code, REDIS_URL=redis_url) == []


def test_the_wsgi_application_does_not_import_the_schema_generator():
    code = (
        "import json, sys\n"
        "import mapro.wsgi\n"
        f"print(json.dumps(sorted(m for m in {SCHEMA_GENERATOR!r} if m in sys.modules)))\n"
    )
    assert _run(code) == []
    assert _run(code, REDIS_URL="redis://127.0.0.1:1/0") == []


def test_the_wsgi_application_does_not_import_drf_extras_and_they_still_import_later():
    code = (
        "import json, sys\n"
        "import mapro.wsgi\n"
        f"loaded = sorted(m for m in {DRF_EXTRAS!r} if m in sys.modules)\n"
        "from rest_framework import compat\n"
        "import requests, pygments\n"  # hidden only while DRF's compat was imported
        "print(json.dumps([loaded, compat.requests is None, compat.pygments is None]))\n"
    )
    assert _run(code) == [[], True, True]
    assert _run(code, REDIS_URL="redis://127.0.0.1:1/0") == [[], True, True]


#: Whether the Redis client is loaded, and the queue's class, once the application is up.
REDIS_CODE = (
    "import json, sys\n"
    "import mapro.wsgi\n"
    "from huey.contrib.djhuey import HUEY\n"
    "print(json.dumps([sys.modules.get('redis') is not None, type(HUEY).__name__]))\n"
)


def test_without_redis_url_no_worker_loads_the_redis_client():
    assert _run(REDIS_CODE, REDIS_URL="") == [False, "SqliteHuey"]


def test_with_redis_url_a_worker_loads_the_redis_client_when_the_queue_is_used():
    code = (
        "import json, sys\n"
        "import mapro.wsgi\n"
        "from huey.contrib.djhuey import HUEY\n"
        "from django.core.cache import caches\n"
        "loaded = lambda: [m for m in ('redis', 'cryptography') if sys.modules.get(m)]\n"
        "found = [type(HUEY).__mro__[1].__name__, loaded()]\n"
        "HUEY.storage.queue_key\n"  # the storage is made (nothing connects yet)
        "found.append(loaded())\n"
        "found.append(type(caches['default']).__name__)\n"
        "print(json.dumps(found))\n"
    )
    found = _run(code, REDIS_URL="redis://127.0.0.1:1/0")
    assert found == ["RedisHuey", [], ["redis", "cryptography"], "RedisCache"]


#: A task through a Redis queue in a web worker whose huey.storage was imported without the
#: client: enqueued, dequeued and run, its result stored and read back (a queue of its own).
REDIS_ROUND_TRIP = """
import json, sys, uuid
import mapro.wsgi
from huey.contrib.djhuey import HUEY
before = sys.modules.get("redis") is not None
huey = type(HUEY)("mapro-lazy-" + uuid.uuid4().hex, url=HUEY.storage_kwargs["url"])

@huey.task()
def add(a, b):
    return a + b

try:
    result = add(2, 3)
    task = huey.dequeue()
    huey.execute(task)
    print(json.dumps([before, huey.pending_count(), result.get()]))
finally:
    huey.storage.flush_all()
"""


def test_with_redis_url_a_task_goes_through_the_queue_made_on_first_use():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL not set: no Redis server to queue on")
    assert _run(REDIS_ROUND_TRIP, REDIS_URL=url) == [False, 0, 5]
