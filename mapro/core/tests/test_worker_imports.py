"""A web worker does not load the heavy libraries only a few pages or jobs use (issue #15).

``gunicorn mapro.wsgi`` imports every view at start-up (``mapro/wsgi.py``); the libraries
below weigh 7–40 MB each in every worker and are imported where they are used instead
(docs/benchmarks.md, section 8). Measured in a fresh interpreter, as a worker starts.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

HEAVY = ("altair", "frictionless", "openpyxl", "ldap3", "holidays", "icalendar", "weasyprint")

#: Optional packages of DRF no page uses, which ``mapro.wsgi`` keeps DRF's compat from loading.
DRF_EXTRAS = ("requests", "urllib3", "charset_normalizer", "chardet", "pygments")


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


def test_the_wsgi_application_does_not_import_heavy_libraries():
    code = (
        "import json, sys\n"
        "import mapro.wsgi\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    assert _run(code) == []


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


def test_with_redis_url_the_queue_and_cache_still_use_redis():
    # Nothing connects here: huey's pool and Django's cache dial Redis on first use.
    found = _run(REDIS_CODE, REDIS_URL="redis://127.0.0.1:1/0")
    assert found == [True, "RedisHuey"]
