"""The texts of every ficha that people read (names, titles, descriptions, questions, branch and
start labels) hold no developer terms: no setting names, no code identifiers, no template fields."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from mapro.procedures.ficha.loader import ficha_paths, load_ficha

SHOWN = {"name", "title", "description", "question", "label"}
DEVELOPER_TERMS = [
    re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"),  # SETTING_NAMES
    re.compile(r"\bsettings\.|\bmapro\.|\.py\b"),
    re.compile(r"\{[a-z_]+\}"),  # str.format fields
    re.compile(r"\b[a-z]+_[a-z_]+\(\)"),  # function_calls()
]


def _shown_texts(value: Any, path: str = ""):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SHOWN and isinstance(item, str):
                yield f"{path}.{key}", item
            else:
                yield from _shown_texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _shown_texts(item, f"{path}[{i}]")


@pytest.mark.parametrize("path", ficha_paths(settings.MAPRO_PROCEDURES_DIR), ids=lambda p: p.stem)
def test_ficha_texts_have_no_developer_terms(path):
    ficha = load_ficha(path)
    found = [
        (where, pattern.search(text).group(0))
        for where, text in _shown_texts(ficha)
        for pattern in DEVELOPER_TERMS
        if pattern.search(text)
    ]
    assert found == []


def test_the_check_catches_a_setting_name():
    ficha = {"activities": [{"form": {"properties": {"x": {"description": "Use FOO_BAR."}}}}]}
    texts = dict(_shown_texts(ficha))
    assert any(DEVELOPER_TERMS[0].search(t) for t in texts.values())
