"""One test per validator rule: a small valid ficha with exactly one defect, message and line."""

from pathlib import Path

import pytest
from django.conf import settings

from mapro.procedures.ficha.loader import ficha_paths, load_ficha
from mapro.procedures.ficha.validator import Problem, check_directory, check_ficha

from . import ficha_samples as s

INVENTORY = dict(load_ficha(Path(settings.BASE_DIR) / "procedures" / "_inventario.yaml"))


def check(ficha):
    loaded, text = s.as_loaded(ficha)
    return check_ficha(loaded, inventory=INVENTORY), text


def assert_problem(problems: list[Problem], fragment: str, line: int) -> Problem:
    matches = [p for p in problems if fragment in p.message]
    assert matches, f"no problem with {fragment!r} in {[str(p) for p in problems]}"
    assert matches[0].line == line, str(matches[0])
    assert matches[0].file == "ficha.yaml"
    return matches[0]


@pytest.mark.parametrize("name", sorted(s.SYNTHETIC))
def test_synthetic_fichas_are_valid(name):
    problems, _ = check(s.SYNTHETIC[name]())
    assert problems == []


def test_problem_prints_as_file_line_message():
    assert str(Problem("a.yaml", 7, "Mal.")) == "a.yaml:7: Mal."


# -- required fields and shapes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["code", "name", "version", "process", "owner", "objective", "starts", "activities"]
)
def test_missing_required_field(key):
    ficha = s.linear()
    del ficha[key]
    problems, _ = check(ficha)
    assert_problem(problems, f"Falta el campo obligatorio '{key}'.", 1)


def test_missing_level1():
    ficha = s.linear()
    ficha["process"] = {"level2": None}
    problems, text = check(ficha)
    assert_problem(problems, "'process.level1'", s.line_of(text, "process:"))


def test_missing_activity_fields():
    ficha = s.linear()
    del ficha["activities"][1]["unit"]
    ficha["activities"][1]["roles"] = []
    problems, text = check(ficha)
    line = s.line_of(text, "- n: 2")
    assert_problem(problems, "Falta el campo obligatorio 'unit' en la actividad 2", line)
    assert_problem(problems, "La actividad 2 necesita al menos un rol", line)


def test_invalid_code():
    ficha = s.linear()
    ficha["code"] = "S4-02"
    problems, _ = check(ficha)
    assert_problem(problems, "Código inválido 'S4-02'", 1)


def test_unknown_keys():
    ficha = s.linear()
    ficha["activites"] = []
    ficha["activities"][0]["nxt"] = 3
    problems, text = check(ficha)
    assert_problem(
        problems, "Clave desconocida 'activites' en la ficha", s.line_of(text, "activites:")
    )
    assert_problem(problems, "Clave desconocida 'nxt' en la actividad 1", s.line_of(text, "nxt: 3"))


def test_duplicate_yaml_key():
    ficha = s.linear()
    text = s.dump(ficha).replace("objective: Probar el motor.", "objective: A\nobjective: B")
    from mapro.procedures.ficha.loader import parse_ficha

    problems = check_ficha(parse_ficha(text, source="ficha.yaml"), inventory=INVENTORY)
    assert_problem(problems, "Clave repetida 'objective'", s.line_of(text, "objective: B"))


def test_duplicate_activity_number():
    ficha = s.decision()
    ficha["activities"][2]["n"] = 2
    problems, text = check(ficha)
    assert_problem(problems, "El número de actividad 2 está repetido", s.line_of(text, "- n: 2", 2))


def test_activity_number_must_be_positive_integer():
    ficha = s.linear()
    ficha["activities"][1]["n"] = "dos"
    problems, text = check(ficha)
    assert_problem(problems, "número 'n' entero positivo", s.line_of(text, "- n: dos"))


# -- starts ---------------------------------------------------------------------------------------


def test_duplicate_start_key():
    ficha = s.multi_start()
    ficha["starts"][1]["key"] = "mesa"
    problems, text = check(ficha)
    assert_problem(
        problems, "La clave de inicio 'mesa' está repetida", s.line_of(text, "key: mesa", 2)
    )


def test_start_key_must_be_a_slug():
    ficha = s.linear()
    ficha["starts"][0]["key"] = "Baja Uno"
    problems, text = check(ficha)
    assert_problem(problems, "'key' en minúsculas", s.line_of(text, "key: Baja Uno"))


def test_start_needs_label():
    ficha = s.linear()
    del ficha["starts"][0]["label"]
    problems, text = check(ficha)
    assert_problem(problems, "El inicio 'baja' necesita un 'label'", s.line_of(text, "- key: baja"))


# -- what follows an activity ---------------------------------------------------------------------


def test_exactly_one_of_next_decision_parallel():
    ficha = s.decision()
    ficha["activities"][1]["next"] = 3
    del ficha["activities"][2]["next"]
    problems, text = check(ficha)
    assert_problem(
        problems,
        "La actividad 2 debe tener exactamente uno de next, decision o "
        "parallel (tiene: next, decision)",
        s.line_of(text, "- n: 2"),
    )
    assert_problem(problems, "(tiene: ninguno)", s.line_of(text, "- n: 3"))


@pytest.mark.parametrize(
    ("mutate", "needle", "fragment"),
    [
        (
            lambda f: f["activities"][0].update(next=99),
            "next: 99",
            "La actividad 99 no existe (referida desde la actividad 1)",
        ),
        (
            lambda f: f["activities"][1]["decision"]["branches"][0].update(next=42),
            "next: 42",
            "La actividad 42 no existe (referida desde la actividad 2)",
        ),
        (
            lambda f: f["starts"][0].update(activity=7),
            "activity: 7",
            "La actividad 7 no existe (referida desde el inicio 'baja')",
        ),
        (
            lambda f: f["activities"][0].update(next="fin"),
            "next: fin",
            "La actividad 'fin' no existe",
        ),
    ],
)
def test_dangling_targets(mutate, needle, fragment):
    ficha = s.decision()
    mutate(ficha)
    problems, text = check(ficha)
    assert_problem(problems, fragment, s.line_of(text, needle))


def test_dangling_parallel_branch_and_join():
    ficha = s.parallel()
    ficha["activities"][0]["parallel"] = {"branches": [2, 33], "join": 55}
    problems, text = check(ficha)
    assert_problem(problems, "La actividad 33 no existe", s.line_of(text, "- 33"))
    assert_problem(problems, "La actividad 55 no existe", s.line_of(text, "join: 55"))


def test_unreachable_activity():
    ficha = s.linear()
    ficha["activities"].append(s.act(7, next="end"))
    problems, text = check(ficha)
    assert_problem(
        problems, "La actividad 7 no es alcanzable desde ningún inicio", s.line_of(text, "- n: 7")
    )


def test_no_end():
    ficha = s.linear()
    ficha["activities"][1]["next"] = 1
    problems, text = check(ficha)
    assert_problem(problems, "Ningún camino llega al fin", s.line_of(text, "activities:"))


def test_cycle_without_exit():
    ficha = s.decision()
    ficha["activities"][2]["next"] = 3  # 3 loops on itself forever
    problems, text = check(ficha)
    assert_problem(
        problems, "Desde la actividad 3 no se puede llegar al fin", s.line_of(text, "- n: 3")
    )


def test_unknown_role():
    ficha = s.linear()
    ficha["activities"][1]["roles"] = ["jefe-ogtie", "jefe-inexistente"]
    problems, text = check(ficha)
    assert_problem(
        problems,
        "Rol desconocido 'jefe-inexistente' en la actividad 2",
        s.line_of(text, "- jefe-inexistente"),
    )


# -- decisions ------------------------------------------------------------------------------------


def test_decision_needs_two_branches():
    ficha = s.decision(branches=[("si", "Sí", 3)])
    problems, text = check(ficha)
    assert_problem(problems, "al menos dos ramas", s.line_of(text, "decision:"))


def test_decision_branch_needs_title():
    ficha = s.decision()
    del ficha["activities"][1]["decision"]["branches"][1]["title"]
    problems, text = check(ficha)
    assert_problem(
        problems,
        "La rama 2 de la decisión de la actividad 2 necesita 'title'",
        s.line_of(text, "const: 'no'"),
    )


def test_decision_needs_field_and_question():
    ficha = s.decision(field="2 malo")
    del ficha["activities"][1]["decision"]["question"]
    problems, text = check(ficha)
    line = s.line_of(text, "decision:")
    assert_problem(problems, "necesita un 'field'", line)
    assert_problem(problems, "necesita una 'question'", line)


def test_decision_consts_unique():
    ficha = s.decision(branches=[("si", "Sí", 3), ("si", "Claro", "end")])
    problems, text = check(ficha)
    assert_problem(
        problems,
        "La opción 'si' de la decisión de la actividad 2 está repetida",
        s.line_of(text, "const: si", 2),
    )


def test_decision_const_must_be_text():
    # `const: no` unquoted is YAML 1.1 for False: the validator asks for quotes.
    ficha = s.decision(branches=[("si", "Sí", 3), (False, "No", "end")])
    problems, text = check(ficha)
    assert_problem(
        problems,
        "La opción False de la decisión de la actividad 2 debe ser texto",
        s.line_of(text, "const: false"),
    )


def test_decision_field_cannot_be_start():
    ficha = s.decision(field="start")
    problems, text = check(ficha)
    assert_problem(problems, "no puede llamarse 'start'", s.line_of(text, "field: start"))


# -- parallel splits ------------------------------------------------------------------------------


def test_parallel_needs_two_branches_and_join():
    ficha = s.parallel()
    ficha["activities"][0]["parallel"] = {"branches": [2]}
    problems, text = check(ficha)
    line = s.line_of(text, "parallel:")
    assert_problem(problems, "al menos dos ramas", line)
    assert_problem(problems, "necesita una 'join'", line)


def test_parallel_branch_escapes_to_end():
    ficha = s.parallel()
    ficha["activities"][2]["next"] = "end"  # activity 4, in branch 2, ends instead of joining
    problems, text = check(ficha)
    line = s.line_of(text, "- 2")
    assert_problem(
        problems,
        "La rama 2 del paralelo de la actividad 1 llega al fin sin pasar por la unión 5",
        line,
    )
    assert_problem(
        problems, "La rama 2 del paralelo de la actividad 1 nunca llega a la unión 5", line
    )


def test_parallel_branch_reaches_other_branch():
    ficha = s.parallel()
    ficha["activities"][3]["next"] = 4  # activity 3 jumps into branch 2's activity 4
    problems, text = check(ficha)
    assert_problem(
        problems,
        "La rama 3 del paralelo de la actividad 1 alcanza actividades de la rama 2 (4)",
        s.line_of(text, "- 3"),
    )


def test_parallel_branch_loops_back_before_split():
    ficha = s.parallel()
    ficha["activities"][3] = s.act(
        3, role="resp-bd",
        decision={"field": "ok", "question": "¿Ok?", "branches": [
            {"const": "si", "title": "Sí", "next": 5},
            {"const": "no", "title": "No", "next": 1},
        ]},
    )  # fmt: skip
    problems, text = check(ficha)
    assert_problem(
        problems,
        "La rama 3 del paralelo de la actividad 1 vuelve a la actividad 1",
        s.line_of(text, "- 3"),
    )


def test_parallel_splits_share_a_join():
    ficha = s.parallel()
    ficha["activities"][4] = s.act(5, parallel={"branches": [6, 7], "join": 8})
    ficha["activities"] += [s.act(6, next=8), s.act(7, next=8), s.act(8, next="end")]
    ok, _ = check(ficha)
    assert ok == []  # nested-in-sequence splits with different joins are fine
    ficha["activities"][4]["parallel"]["join"] = 6
    ficha["activities"][4]["parallel"]["branches"] = [7, 8]
    ficha["activities"][5:] = [s.act(6, next="end"), s.act(7, next=6), s.act(8, next=6)]
    ficha["activities"][0]["parallel"]["join"] = 5
    ok, _ = check(ficha)
    assert ok == []
    ficha["activities"][0]["parallel"]["join"] = 6
    ficha["activities"][1]["next"] = 6
    ficha["activities"][2]["next"] = 6
    ficha["activities"][3]["next"] = 6
    problems, text = check(ficha)
    assert_problem(problems, "usan la misma unión 6", s.line_of(text, "join: 6", 2))


def test_join_cannot_be_a_branch():
    ficha = s.parallel()
    ficha["activities"][0]["parallel"]["join"] = 2
    problems, text = check(ficha)
    assert_problem(
        problems, "no puede ser la propia actividad ni una de sus ramas", s.line_of(text, "join: 2")
    )


# -- forms ----------------------------------------------------------------------------------------


def _with_property(prop):
    ficha = s.linear()
    ficha["activities"][0]["form"]["properties"]["campo"] = prop
    return ficha


def test_form_not_json_schema():
    problems, text = check(_with_property({"type": "strin", "title": "Campo"}))
    assert_problem(
        problems,
        "Actividad 1: El formulario no es un JSON Schema válido",
        s.line_of(text, "type: strin", exact=True),
    )


@pytest.mark.parametrize(
    ("prop", "needle", "fragment"),
    [
        (
            {"type": "string", "title": "Sitio", "format": "uri"},
            "format: uri",
            "Formato no admitido para el campo 'campo': 'uri'",
        ),
        ({"type": "string"}, "campo:", "El campo 'campo' necesita un 'title'"),
        (
            {"type": "string", "title": "X", "pattern": "^a$"},
            "pattern:",
            "Clave no admitida en el campo 'campo' de tipo string: 'pattern'",
        ),
        (
            {"type": "string", "title": "X", "oneOf": [{"const": "a"}]},
            "- const: a",
            "Cada opción de 'campo' debe tener exactamente 'const' y 'title'",
        ),
        ({"type": "array", "title": "Lista"}, "campo:", "La lista 'campo' necesita 'items'"),
        (
            {
                "type": "array",
                "title": "Lista",
                "items": {"type": "object", "properties": {"x": {"type": "integer"}}},
            },
            "x:",
            "El campo 'x' necesita un 'title'",
        ),
    ],
)
def test_form_outside_subset(prop, needle, fragment):
    problems, text = check(_with_property(prop))
    assert_problem(problems, fragment, s.line_of(text, needle))


def test_form_nested_object_not_allowed():
    problems, text = check(_with_property({"type": "object", "title": "X"}))
    assert_problem(
        problems,
        "Tipo no admitido para el campo 'campo': 'object'",
        s.line_of(text, "type: object", 2),
    )


def test_form_required_names_a_property():
    ficha = s.linear()
    ficha["activities"][0]["form"]["required"] = ["oficio", "fecha"]
    problems, text = check(ficha)
    assert_problem(
        problems, "El campo requerido 'fecha' no está en 'properties'", s.line_of(text, "- fecha")
    )


def test_form_field_names_are_identifiers():
    problems, text = check(_with_property({"type": "string", "title": "X"}) | {})
    assert problems == []
    ficha = s.linear()
    ficha["activities"][0]["form"]["properties"]["n° oficio"] = {"type": "string", "title": "X"}
    problems, text = check(ficha)
    assert_problem(problems, "Nombre de campo inválido 'n° oficio'", s.line_of(text, "n° oficio:"))


def test_every_subset_kind_is_accepted():
    ficha = s.linear()
    ficha["activities"][0]["form"]["properties"] = {
        "corto": {"type": "string", "title": "Corto", "maxLength": 20},
        "largo": {"type": "string", "title": "Largo", "format": "textarea", "description": "Ayuda"},
        "numero": {"type": "number", "title": "Número", "minimum": 0},
        "entero": {"type": "integer", "title": "Entero", "maximum": 9},
        "si_no": {"type": "boolean", "title": "¿Sí?"},
        "fecha": {"type": "string", "title": "Fecha", "format": "date"},
        "momento": {"type": "string", "title": "Momento", "format": "date-time"},
        "opcion": {"type": "string", "title": "Opción",
                   "oneOf": [{"const": "a", "title": "A"}, {"const": "b", "title": "B"}]},
        "archivo": {"type": "string", "title": "Archivo", "format": "file"},
        "lista": {"type": "array", "title": "Lista", "items": {
            "type": "object", "required": ["item"],
            "properties": {"item": {"type": "string", "title": "Ítem"}}}},
    }  # fmt: skip
    ficha["activities"][0]["form"]["required"] = ["corto"]
    problems, _ = check(ficha)
    assert problems == []


# -- effects --------------------------------------------------------------------------------------


def test_invalid_effects():
    ficha = s.linear()
    ficha["activities"][0]["effects"] = [
        {"document": "Oficio"},
        {"ticket": "reopen"},
        {"notify": ["jefe-ogtie", "nadie"]},
        {"sonido": "x"},
    ]
    problems, text = check(ficha)
    assert_problem(
        problems,
        "Efecto 'ticket' inválido en la actividad 1: 'reopen'",
        s.line_of(text, "ticket: reopen"),
    )
    assert_problem(
        problems, "Rol desconocido 'nadie' en el efecto 'notify'", s.line_of(text, "- notify:")
    )
    assert_problem(problems, "Efecto inválido en la actividad 1", s.line_of(text, "sonido:"))
    assert len(problems) == 3


# -- inventory ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("process", "code", "needle", "fragment"),
    [
        (
            {"level1": "S04.09", "level2": None},
            "S04.02.00.03",
            "level1: S04.09",
            "El proceso de nivel 1 'S04.09' no existe",
        ),
        (
            {"level1": "S04.01", "level2": None},
            "S04.02.00.03",
            "code: S04.02.00.03",
            "El procedimiento S04.02.00.03 no figura bajo el proceso S04.01",
        ),
        (
            {"level1": "S04.03", "level2": "S04.03.07"},
            "S04.03.01.01",
            "level2: S04.03.07",
            "El proceso de nivel 2 'S04.03.07' no existe bajo S04.03",
        ),
        (
            {"level1": "S04.03", "level2": None},
            "S04.03.01.01",
            "process:",
            "Falta 'process.level2'",
        ),
        (
            {"level1": "S04.03", "level2": "S04.03.02"},
            "S04.03.01.01",
            "code: S04.03.01.01",
            "no figura bajo el proceso S04.03.02",
        ),
    ],
)
def test_inventory(process, code, needle, fragment):
    ficha = s.linear()
    ficha["process"] = process
    ficha["code"] = code
    problems, text = check(ficha)
    assert_problem(problems, fragment, s.line_of(text, needle))


def test_level2_procedure_is_valid():
    ficha = s.linear()
    ficha["process"] = {"level1": "S04.03", "level2": "S04.03.01"}
    ficha["code"] = "S04.03.01.01"
    problems, _ = check(ficha)
    assert problems == []


# -- a directory ----------------------------------------------------------------------------------


def _write(directory, name, ficha):
    (directory / name).write_text(s.dump(ficha), encoding="utf-8")


def test_check_directory(tmp_path):
    inv = Path(settings.BASE_DIR) / "procedures" / "_inventario.yaml"
    (tmp_path / "_inventario.yaml").write_text(inv.read_text(encoding="utf-8"), encoding="utf-8")
    _write(tmp_path, "S04.02.00.03.yaml", s.linear())
    valid, problems = check_directory(tmp_path)
    assert [f.code for f in valid] == ["S04.02.00.03"] and problems == []

    _write(tmp_path, "S04.02.00.02.yaml", s.linear())  # same code, wrong file name
    (tmp_path / "S04.02.00.01.yaml").write_text("code: [\n", encoding="utf-8")
    valid, problems = check_directory(tmp_path)
    messages = [str(p) for p in problems]
    assert any("S04.02.00.01.yaml:" in m and "YAML inválido" in m for m in messages)
    assert any(
        m.endswith(
            "S04.02.00.02.yaml:1: El archivo debe llamarse S04.02.00.03.yaml como su código."
        )
        for m in messages
    )
    assert any("El código S04.02.00.03 ya está en" in m for m in messages)
    assert valid == []  # the second file with the code is flagged too


def test_check_directory_without_inventory(tmp_path):
    _write(tmp_path, "S04.02.00.03.yaml", s.linear())
    _, problems = check_directory(tmp_path)
    assert [p.message for p in problems] == ["Falta el inventario de procesos."]


def test_real_fichas_are_valid():
    valid, problems = check_directory(settings.MAPRO_PROCEDURES_DIR)
    assert [str(p) for p in problems] == []
    assert len(valid) == len(ficha_paths(settings.MAPRO_PROCEDURES_DIR))


# -- multi-instance activities (each) ------------------------------------------------------------


def test_each_list_must_be_an_array_field_of_an_earlier_activity():
    ficha = s.multi()
    ficha["activities"][1]["each"]["list"] = "respuesta"  # its own form, and not a list
    problems, text = check(ficha)
    assert_problem(problems, "La lista 'respuesta' de la actividad 2", s.line_of(text, "list:"))
    ficha = s.multi()
    ficha["activities"][1]["each"]["list"] = "sistemas"  # nowhere
    problems, _ = check(ficha)
    assert any("La lista 'sistemas'" in p.message for p in problems)


def test_each_list_from_a_later_activity_is_refused():
    ficha = s.multi()
    ficha["activities"][0]["form"]["properties"].pop("unidades")
    ficha["activities"][2]["each"] = {"holders": True}
    ficha["activities"][2]["form"] = s.multi()["activities"][0]["form"]
    problems, _ = check(ficha)
    assert any("La lista 'unidades' de la actividad 2" in p.message for p in problems)


def test_each_unit_must_be_a_unit_field_of_the_items():
    ficha = s.multi()
    ficha["activities"][1]["each"]["unit"] = "nota"
    problems, text = check(ficha)
    assert_problem(
        problems,
        "'nota' de la lista 'unidades' debe ser 'format: unit'",
        s.line_of(text, "unit: nota"),
    )
    ficha["activities"][1]["each"]["unit"] = "codigo"
    problems, _ = check(ficha)
    assert any("'unit: codigo'" in p.message for p in problems)


@pytest.mark.parametrize(
    ("each", "fragment"),
    [
        ({"list": "unidades", "holders": True}, "exactamente uno de 'list' o 'holders'"),
        ({}, "exactamente uno de 'list' o 'holders'"),
        ({"holders": "sí"}, "'holders' solo admite el valor true"),
        ({"holders": True, "join": "any"}, "'join' debe ser uno de: all, first"),
        ({"holders": True, "cada": 1}, "Clave desconocida 'cada'"),
        ({"holders": True, "unit": "unidad"}, "'unit' solo se usa con 'list'"),
    ],
)
def test_each_shape(each, fragment):
    ficha = s.multi()
    ficha["activities"][2]["each"] = each
    problems, _ = check(ficha)
    assert any(fragment in p.message for p in problems), [str(p) for p in problems]


def test_each_with_a_decision_is_refused():
    ficha = s.multi()
    third = ficha["activities"][2]
    del third["next"]
    third["decision"] = {
        "field": "ok",
        "question": "¿Conforme?",
        "branches": [
            {"const": "si", "title": "Sí", "next": "end"},
            {"const": "no", "title": "No", "next": 1},
        ],
    }
    problems, _ = check(ficha)
    assert any("no puede decidir ni abrir un paralelo" in p.message for p in problems)


# --- routing by unit: unit_from and ask_unit -------------------------------------------------

UNIT_FIELD = {"type": "string", "format": "unit", "title": "Unidad consultada"}


def routed(required: bool = True, **third: object) -> dict:
    """1 (asks ``unidad``) → 2 (decision: si → 3, no → end); 3 ("U.O.", unit_from) → end."""
    ficha = s.decision()
    ficha["activities"][0]["form"] = {
        "type": "object",
        "required": ["unidad"] if required else [],
        "properties": {"unidad": dict(UNIT_FIELD)},
    }
    ficha["activities"][2].update(unit="U.O.", unit_from="unidad", role=None)
    ficha["activities"][2]["roles"] = ["director-uo"]
    del ficha["activities"][2]["role"]
    ficha["activities"][2].update(third)
    return ficha


def test_unit_from_a_required_unit_field_answered_before_is_valid():
    problems, _ = check(routed())
    assert problems == []


def test_unit_from_needs_a_requesting_unit_activity():
    problems, text = check(routed(unit="OGTIE"))
    assert_problem(
        problems, "tiene 'unit_from' pero su unidad es fija", s.line_of(text, "unit_from")
    )


def test_unit_from_needs_a_required_unit_field():
    problems, text = check(routed(required=False))
    assert_problem(problems, "ninguna otra actividad lo pide", s.line_of(text, "unit_from"))
    problems, text = check(routed(unit_from="otro"))
    assert_problem(problems, "del campo 'otro'", s.line_of(text, "unit_from"))


def test_unit_from_must_be_answered_on_every_path():
    """A second start reaching 3 without passing 1 leaves the unit unknown there."""
    ficha = routed()
    ficha["starts"].append({"key": "directo", "label": "Directo", "activity": 2})
    problems, text = check(ficha)
    assert_problem(problems, "se llega a ella sin haberlo respondido", s.line_of(text, "unit_from"))


def test_ask_unit_needs_a_requesting_unit_activity():
    ficha = s.linear()
    ficha["starts"][0]["ask_unit"] = "Unidad solicitante"
    problems, text = check(ficha)
    assert_problem(problems, "pide la unidad solicitante", s.line_of(text, "ask_unit"))
    ficha["activities"][1]["unit"] = "U.O."
    problems, _ = check(ficha)
    assert problems == []
    ficha["starts"][0]["ask_unit"] = ""
    problems, text = check(ficha)
    assert_problem(problems, "debe ser el texto", s.line_of(text, "ask_unit"))
