"""`mapro procedures check` fails on an effect no handler takes, unless it is history-only."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from mapro.procedures.effects import register_effect_handler, unregister_effect_handler

from . import ficha_samples as s

INVENTORY = Path(settings.BASE_DIR) / "procedures" / "_inventario.yaml"
GHOST = "Registro que ninguna app lleva"


def _write(directory: Path, effects: list[dict[str, Any]]) -> tuple[Path, str]:
    ficha = s.linear()
    ficha["activities"][1]["effects"] = effects
    text = s.dump(ficha)
    path = directory / "S04.02.00.03.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def _check(directory: Path) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("procedures", "check", "--dir", str(directory), stdout=out, stderr=StringIO())
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    shutil.copy(INVENTORY, tmp_path / "_inventario.yaml")
    return tmp_path


def test_an_unhandled_register_fails_the_check_naming_file_line_and_activity(directory) -> None:
    path, text = _write(directory, [{"ticket": "annotate"}, {"register": GHOST}])
    out, code = _check(directory)
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:{s.line_of(text, GHOST)}: ")
    assert f"{{register: {GHOST}}} de la actividad 2" in line
    assert "history_only" in line


def test_history_only_with_a_reason_passes_and_without_one_fails(directory) -> None:
    _write(directory, [{"register": GHOST, "history_only": "Se lleva en papel en la OGTIE."}])
    assert _check(directory) == ("1 fichas válidas\n", 0)
    _write(directory, [{"register": GHOST, "history_only": "  "}])
    out, code = _check(directory)
    assert code == 1 and "debe decir por qué" in out


def test_a_handler_for_the_value_or_only_for_that_step_makes_it_pass(directory) -> None:
    _write(directory, [{"register": GHOST}])

    def handler(call: Any) -> None:
        return None

    register_effect_handler("register", handler, value=GHOST, step=("S04.02.00.03", 2))
    try:
        assert _check(directory)[1] == 0
    finally:
        unregister_effect_handler("register", value=GHOST, step=("S04.02.00.03", 2))
    # The same register at another step is still unhandled.
    assert _check(directory)[1] == 1


def test_the_project_fichas_have_every_effect_handled() -> None:
    out, code = _check(Path(settings.BASE_DIR) / "procedures")
    assert code == 0, out


def test_an_effect_kind_no_handler_knows_fails_the_check(directory) -> None:
    path, _ = _write(directory, [{"archivar": "Expediente en papel"}])
    out, code = _check(directory)
    assert code == 1
    assert "Efecto inválido en la actividad 2" in out and str(path) in out
