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


def render_mail(name: str, context: dict[str, Any]) -> tuple[str, str]:
    """``(text, html)`` of template ``name`` in the site language; html is "" if there is none.

    Raises ``TemplateDoesNotExist`` when the text template is missing: a mail without a body is a
    programming error that must surface in the caller's tests, not in the worker.
    """
    check_template_name(name)
    base = f"notifications/mail/{name}"
    with translation.override(settings.LANGUAGE_CODE):
        text = _text_engine().get_template(f"{base}.txt").render(Context(context, autoescape=False))
        try:
            html_template = get_template(f"{base}.html")
        except TemplateDoesNotExist:
            html = ""
        else:
            html = html_template.render(context)
    return text.strip() + "\n", html
