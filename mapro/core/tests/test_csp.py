"""Content-Security-Policy on every HTML page (issue 13, item 6): scripts only from the site
or with the request's nonce, no inline event handlers left in any template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from mapro.core.testing import make_user

pytestmark = pytest.mark.django_db

PAGES = [
    "/cuenta/ingresar/",
    "/",
    "/procedimientos/",
    "/mesa-de-ayuda/solicitudes/",
    "/mesa-de-ayuda/solicitudes/nueva/",
    "/mesa-de-ayuda/consola/",
    "/documentos/",
    "/auditoria/",
    "/no-existe/",
]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {p.split()[0]: p.split()[1:] for p in header.split(";") if p.strip()}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_policy_and_inline_scripts_carry_its_nonce(client, path):
    client.force_login(make_user("jefe-ogtie", is_superuser=True))
    response = client.get(path)
    assert "Content-Security-Policy" in response, path
    policy = _policy(response)
    assert (
        "'unsafe-inline'" not in policy["script-src"]
        and "'unsafe-eval'" not in policy["script-src"]
    )
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" in tag:
            continue
        assert nonces and f'nonce="{nonces[0][7:-1]}"' in tag, (path, tag)


def test_no_template_has_an_inline_event_handler_or_an_unnonced_inline_script():
    roots = [Path(settings.BASE_DIR) / "mapro"]
    offenders = []
    for root in roots:
        for template in root.rglob("templates/**/*.html"):
            text = template.read_text()
            if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
                offenders.append(f"{template}: inline handler")
            for tag in re.findall(r"<script\b[^>]*>", text):
                if "src=" not in tag and "csp_nonce" not in tag:
                    offenders.append(f"{template}: {tag}")
    assert offenders == []
