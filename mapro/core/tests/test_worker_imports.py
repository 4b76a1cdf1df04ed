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


def test_the_wsgi_application_does_not_import_heavy_libraries():
    code = (
        "import json, sys\n"
        "import mapro.wsgi\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mapro.settings", "DEBUG": "0"}
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
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
