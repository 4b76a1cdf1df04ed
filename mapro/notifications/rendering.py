"""Rendering mail templates in Spanish: plain text without HTML escaping, HTML with it.

Any installed app may ship ``templates/notifications/mail/<name>.txt`` (and optionally
``<name>.html``); names may be namespaced with slashes (``mesa/ticket_registrado``). The text
part goes through a separate template engine with autoescape off, so "Núñez & Cía <x>" reaches
the reader as written instead of as ``&amp;`` and ``&lt;``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.backends.django import get_installed_libraries
from django.template.loader import get_template
from django.utils import translation

TEMPLATE_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_\-]*(/[a-z0-9][a-z0-9_\-]*)*")


@functools.cache
def _text_engine() -> Engine:
    dirs: list[Any] = []
    for backend in settings.TEMPLATES:
        if backend["BACKEND"] == "django.template.backends.django.DjangoTemplates":
            backend_dirs: Any = backend.get("DIRS", [])
            dirs.extend(backend_dirs)
    return Engine(
        dirs=dirs,
        app_dirs=True,
        autoescape=False,
        libraries=get_installed_libraries(),
        debug=False,
    )


def check_template_name(name: str) -> None:
    if not TEMPLATE_NAME_RE.fullmatch(name or ""):
        raise ValueError(f"Nombre de plantilla no válido: {name!r}")


def site_url() -> str:
    """The site's public address without a trailing slash (``MAPRO_SITE_URL``)."""
    return str(getattr(settings, "MAPRO_SITE_URL", "") or "").rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (e.g. from ``reverse()``) as a link a mail reader can follow."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_url()}/{path.lstrip('/')}"


def render_mail(name: str, context: dict[str, Any]) -> tuple[str, str]:
    """``(text, html)`` of template ``name`` in the site language; html is "" if there is none.

    Every template also gets ``site_url`` (``MAPRO_SITE_URL``), unless the context sets it, so a
    template can write ``{{ site_url }}{{ path }}`` for a path from ``reverse()``.

    Raises ``TemplateDoesNotExist`` when the text template is missing: a mail without a body is a
    programming error that must surface in the caller's tests, not in the worker.
    """
    check_template_name(name)
    base = f"notifications/mail/{name}"
    context = {"site_url": site_url(), **context}
    with translation.override(settings.LANGUAGE_CODE):
        text = _text_engine().get_template(f"{base}.txt").render(Context(context, autoescape=False))
        try:
            html_template = get_template(f"{base}.html")
        except TemplateDoesNotExist:
            html = ""
        else:
            html = html_template.render(context)
    return text.strip() + "\n", html
