"""`mapro procedures check|publish|bpmn`: output and exit codes."""

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from mapro.procedures.ficha.compiler import compile_bpmn
from mapro.procedures.models import ProcedureVersion

from . import ficha_samples as s

INVENTORY = Path(settings.BASE_DIR) / "procedures" / "_inventario.yaml"


@pytest.fixture
def fichas(tmp_path):
    shutil.copy(INVENTORY, tmp_path / "_inventario.yaml")
    (tmp_path / "S04.02.00.03.yaml").write_text(s.dump(s.linear()), encoding="utf-8")
    return tmp_path


def break_it(directory):
    broken = s.linear()
    broken["activities"][1]["roles"] = ["rol-fantasma"]
    text = s.dump(broken)
    (directory / "S04.02.00.03.yaml").write_text(text, encoding="utf-8")
    return s.line_of(text, "- rol-fantasma")


def procedures(*args):
    out = StringIO()
    call_command("procedures", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_check_valid(fichas):
    assert procedures("check", "--dir", str(fichas)).strip() == "1 fichas válidas"


def test_check_prints_file_line_message_and_fails(fichas):
    line = break_it(fichas)
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("procedures", "check", "--dir", str(fichas), stdout=out)
    assert exc.value.returncode == 1
    path = fichas / "S04.02.00.03.yaml"
    assert out.getvalue().splitlines() == [
        f"{path}:{line}: Rol desconocido 'rol-fantasma' en la actividad 2 (ver roles.md)."
    ]


def _mapro(*args, directory):
    env = {**os.environ, "MAPRO_PROCEDURES_DIR": str(directory)}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "mapro.cli", "procedures", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_check_exit_codes_from_the_shell(fichas):
    ok = _mapro("check", directory=fichas)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "1 fichas válidas"
    line = break_it(fichas)
    bad = _mapro("check", directory=fichas)
    assert bad.returncode == 1
    assert f"S04.02.00.03.yaml:{line}: Rol desconocido" in bad.stdout


@pytest.mark.django_db
def test_publish_command(fichas):
    assert procedures("publish", "--dir", str(fichas)).startswith("Publicado S04.02.00.03")
    assert ProcedureVersion.objects.count() == 1
    assert "Sin cambios" in procedures("publish", "--dir", str(fichas))
    break_it(fichas)
    with pytest.raises(CommandError) as exc:
        procedures("publish", "--dir", str(fichas))
    assert exc.value.returncode == 1
    assert ProcedureVersion.objects.count() == 1


@pytest.mark.django_db
def test_bpmn_command(fichas):
    assert procedures("bpmn", "S04.02.00.03", "--dir", str(fichas)) == compile_bpmn(s.linear())
    with pytest.raises(CommandError, match="No existe la ficha"):
        procedures("bpmn", "S04.09.00.01", "--dir", str(fichas))
    with pytest.raises(CommandError, match="no está publicado"):
        procedures("bpmn", "S04.02.00.03", "--published")
    procedures("publish", "--dir", str(fichas))
    assert procedures("bpmn", "S04.02.00.03", "--published") == compile_bpmn(s.linear())
    break_it(fichas)
    with pytest.raises(CommandError, match="tiene errores"):
        procedures("bpmn", "S04.02.00.03", "--dir", str(fichas))
