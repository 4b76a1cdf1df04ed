import json

import pytest

from mapro.procedures.ficha.loader import (
    FichaLoadError,
    ficha_paths,
    load_all,
    load_ficha,
    load_inventory,
    parse_ficha,
)

TEXT = """\
code: S04.02.00.03
name: Bajas
changes:
  - version: 1
    date: 2024-05-01
    description: Corrección.
activities:
  - n: 1
    name: Uno
    next: end
  - n: 2
    roles: [jefe-ogtie, resp-bd]
"""


def test_lines_of_keys_and_items():
    ficha = parse_ficha(TEXT, source="x.yaml")
    assert ficha.source == "x.yaml"
    assert ficha.line_of(("code",)) == 1
    assert ficha.line_of(("activities",)) == 7
    assert ficha.line_of(("activities", 0)) == 8
    assert ficha.line_of(("activities", 0, "next")) == 10
    assert ficha.line_of(("activities", 1, "roles", 1)) == 12
    # A path without its own line falls back to its nearest ancestor.
    assert ficha.line_of(("activities", 1, "decision", "field")) == 11


def test_ficha_is_plain_json_data():
    ficha = parse_ficha(TEXT)
    assert ficha["changes"][0]["date"] == "2024-05-01"  # a timestamp stays text
    assert json.loads(json.dumps(ficha)) == dict(ficha)
    assert ficha["activities"][1]["roles"] == ["jefe-ogtie", "resp-bd"]


def test_invalid_yaml_reports_file_and_line():
    with pytest.raises(FichaLoadError) as exc:
        parse_ficha("code: S04\nname: [sin cerrar\nversion: 1\n", source="mala.yaml")
    assert exc.value.source == "mala.yaml"
    assert exc.value.line == 3
    assert "YAML inválido" in exc.value.message


def test_top_level_must_be_a_mapping():
    with pytest.raises(FichaLoadError, match="mapeo"):
        parse_ficha("- a\n- b\n")
    with pytest.raises(FichaLoadError, match="vacío"):
        parse_ficha("")


def test_duplicate_keys_are_remembered():
    ficha = parse_ficha("code: A\nname: x\ncode: B\n")
    assert ficha.duplicate_keys == [(("code",), 3)]


def test_load_all_skips_underscore_files(tmp_path):
    (tmp_path / "S04.01.00.01.yaml").write_text("code: S04.01.00.01\n")
    (tmp_path / "_inventario.yaml").write_text("code: S04\nlevel1: []\n")
    (tmp_path / "notas.txt").write_text("x")
    assert [p.name for p in ficha_paths(tmp_path)] == ["S04.01.00.01.yaml"]
    loaded = load_all(tmp_path)
    assert [f.code for f in loaded] == ["S04.01.00.01"]
    assert loaded[0].source.endswith("S04.01.00.01.yaml")
    assert load_inventory(tmp_path) == {"code": "S04", "level1": []}
    assert load_inventory(tmp_path / "nada") is None


def test_unreadable_file(tmp_path):
    with pytest.raises(FichaLoadError, match="No se puede leer"):
        load_ficha(tmp_path / "no-existe.yaml")
