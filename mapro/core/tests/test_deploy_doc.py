"""Every setting docs/deploy.md shows starts the app (issue 13, item 4).

The values are read from the document itself (its variables table and every ``NAME=value`` it
quotes), so a value added to the document is tested without touching this file. Each set of
values loads the settings and the WSGI application in a fresh interpreter, as ``gunicorn
mapro.wsgi`` and the worker do.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "deploy.md"
NAME = re.compile(r"^[A-Z][A-Z0-9_]+$")


def _cell_values(cell: str) -> list[str]:
    """The value a cell shows: a quoted or bare value that opens it ("`1`: secure cookies",
    "5: a statement…"); prose around a value ("SQLite file `var/…`") is a description."""
    quoted = re.match(r"\s*`([^`]+)`", cell)
    if quoted:
        value = quoted.group(1)
        return [] if NAME.match(value) or "=" in value else [value]
    bare = re.match(r"\s*(\d+)\b", cell)
    return [bare.group(1)] if bare else []


def documented_values(text: str) -> dict[str, list[str]]:
    """Variable → the values the document shows for it (table cells and ``NAME=value``)."""
    values: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3:
            continue
        names = [n for n in re.findall(r"`([^`]+)`", cells[0]) if NAME.match(n)]
        for cell in cells[1:3]:
            parts = cell.split(" / ") if len(names) > 1 else [cell]
            if len(parts) != len(names):
                continue
            for name, part in zip(names, parts, strict=True):
                values[name].extend(_cell_values(part))
    for name, value in re.findall(r"`([A-Z][A-Z0-9_]+)=([^`\s]+)`", text):
        values[name].append(value)
    placeholder = re.compile(r"[<>…]")
    return {
        n: list(dict.fromkeys(v for v in vs if not placeholder.search(v)))
        for n, vs in values.items()
    }


def _start(env: dict[str, str], cwd: Path) -> dict[str, object]:
    code = (
        "import json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mapro.settings');"
        "from mapro.wsgi import application; from django.conf import settings as s;"
        "print(json.dumps({'backend': s.EMAIL_BACKEND, 'host': s.EMAIL_HOST, 'port': s.EMAIL_PORT,"
        " 'tls': s.EMAIL_USE_TLS, 'ssl': s.EMAIL_USE_SSL, 'db': s.DATABASES['default']['ENGINE']}))"
    )
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=90
    )
    assert result.returncode == 0, (env, result.stderr[-2000:])
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_document_shows_the_production_values() -> None:
    values = documented_values(DOC.read_text())
    assert "smtp+tls://user:pass@host:587" in values["EMAIL_URL"]
    assert values["DATABASE_URL"] == ["postgres://user:pass@host:5432/mapro"]
    assert {"5", "0"} <= set(values["DB_PREPARE_THRESHOLD"])
    assert values["LOGIN_LOCKOUT_SECONDS"]


def test_every_documented_value_starts_the_app(tmp_path: Path) -> None:
    values = documented_values(DOC.read_text())
    keyfile = tmp_path / "keys"
    keyfile.write_text("k" * 43 + "\n")
    # A path the document gives as an example location: the test writes the file elsewhere.
    values["MAPRO_SECRETS_KEY_FILE"] = [str(keyfile)]
    base = {k: v for k, v in os.environ.items() if k not in values}
    rounds = max(len(v) for v in values.values())
    for i in range(rounds):
        env = {**base, **{name: vs[min(i, len(vs) - 1)] for name, vs in values.items() if vs}}
        if env.get("MAPRO_SECRETS_KEYS"):
            env.pop("MAPRO_SECRETS_KEY_FILE", None)  # alternatives: the list wins anyway
        started = _start(env, tmp_path)
        if env.get("EMAIL_URL", "").startswith("smtp+tls://"):
            assert started["backend"] == "django.core.mail.backends.smtp.EmailBackend"
            assert (started["host"], started["port"], started["tls"]) == ("host", 587, True)
            assert started["ssl"] is False


def test_mail_urls_tls_ssl_and_an_unknown_scheme(tmp_path: Path) -> None:
    base = dict(os.environ)
    tls = _start({**base, "EMAIL_URL": "smtp+tls://u:p%40x@mail.mindef.gob.pe"}, tmp_path)
    assert (tls["port"], tls["tls"], tls["ssl"]) == (587, True, False)
    ssl = _start({**base, "EMAIL_URL": "smtp+ssl://u:p@mail.mindef.gob.pe"}, tmp_path)
    assert (ssl["port"], ssl["tls"], ssl["ssl"]) == (465, False, True)
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE']='mapro.settings'; import mapro.settings"
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code],
        env={**base, "EMAIL_URL": "smtp+starttls://h"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "smtp+starttls" in result.stderr
