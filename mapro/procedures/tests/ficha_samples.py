"""Small synthetic fichas for the definition tests: valid ones, and helpers to break them.

Each builder returns a fresh dict, so a test can introduce exactly one defect and check that the
validator names it (and the line where it sits, after ``dump`` to YAML and ``parse_ficha``).
"""

from __future__ import annotations

from typing import Any

import yaml

from mapro.procedures.ficha.loader import Ficha, parse_ficha


def act(n: int, role: str = "coord-innovacion", **flow: Any) -> dict[str, Any]:
    return {
        "n": n,
        "name": f"Actividad sintética {n}",
        "description": f"Descripción de la actividad {n}.",
        "unit": "OGTIE",
        "roles": [role],
        **flow,
    }


def base(code: str = "S04.02.00.03", **rest: Any) -> dict[str, Any]:
    """A ficha's header (code, name, process, owner, objective), any of it replaced by ``rest``,
    which also brings its starts and activities."""
    return {
        "code": code,
        "name": "Bajas de sistemas de información desarrollados en el MINDEF",
        "version": 1,
        "process": {"level1": "S04.02", "level2": None},
        "owner": "Jefe(a) de la OGTIE",
        "objective": "Probar el motor.",
        **rest,
    }


def linear() -> dict[str, Any]:
    """1 → 2 → end, with a form on 1."""
    first = act(1, next=2)
    first["form"] = {
        "type": "object",
        "required": ["oficio"],
        "properties": {"oficio": {"type": "string", "title": "N° de oficio", "maxLength": 100}},
    }
    return base(
        starts=[{"key": "baja", "label": "Necesidad de baja", "activity": 1}],
        activities=[first, act(2, role="jefe-ogtie", next="end")],
    )


def decision(
    field: str = "evento", branches: list[tuple[str, str, Any]] | None = None
) -> dict[str, Any]:
    """1 → 2 (decision: si → 3, no → end) ; 3 → end."""
    branches = branches or [("si", "Sí", 3), ("no", "No", "end")]
    return base(
        starts=[{"key": "baja", "label": "Necesidad de baja", "activity": 1}],
        activities=[
            act(1, next=2),
            act(
                2,
                role="jefe-ogtie",
                decision={
                    "field": field,
                    "question": "¿Se presenta un evento inesperado?",
                    "branches": [{"const": c, "title": t, "next": nx} for c, t, nx in branches],
                },
            ),
            act(3, role="resp-bd", next="end"),
        ],
    )


def loop_back() -> dict[str, Any]:
    """1 → 2 → 3 (decision: corregir → 2, conforme → end): a loop back to 2."""
    return base(
        starts=[{"key": "baja", "label": "Necesidad de baja", "activity": 1}],
        activities=[
            act(1, next=2),
            act(2, role="analista-programador", next=3),
            act(
                3,
                role="resp-calidad",
                decision={
                    "field": "resultado",
                    "question": "¿Conforme?",
                    "branches": [
                        {"const": "corregir", "title": "Corregir", "next": 2},
                        {"const": "conforme", "title": "Conforme", "next": "end"},
                    ],
                },
            ),
        ],
    )


def parallel() -> dict[str, Any]:
    """1 → split [2, 3] ; 2 → 4 → 5(join) ; 3 → 5(join) ; 5 → end."""
    return base(
        starts=[{"key": "baja", "label": "Necesidad de baja", "activity": 1}],
        activities=[
            act(1, parallel={"branches": [2, 3], "join": 5}),
            act(2, role="coord-infraestructura", next=4),
            act(4, role="coord-infraestructura", next=5),
            act(3, role="resp-bd", next=5),
            act(5, next="end"),
        ],
    )


def multi_start() -> dict[str, Any]:
    """Two starts (mesa → 1, correo → 2) meeting at 3 → end."""
    return base(
        starts=[
            {"key": "mesa", "label": "Llamada a la mesa de ayuda", "activity": 1},
            {"key": "correo", "label": "Correo electrónico", "activity": 2},
        ],
        activities=[
            act(1, role="operador-mesa", next=3),
            act(2, role="operador-mesa", next=3),
            act(3, role="resp-soporte", next="end"),
        ],
    )


def everything() -> dict[str, Any]:
    """Multi-start, a parallel split whose branch loops inside itself, and a loop to the start."""
    return base(
        starts=[
            {"key": "a", "label": "Inicio A", "activity": 1},
            {"key": "b", "label": "Inicio B", "activity": 2},
        ],
        activities=[
            act(1, next=3),
            act(2, role="jefe-ogtie", next=3),
            act(3, parallel={"branches": [4, 5], "join": 6}),
            act(4, role="resp-bd", next=6),
            act(
                5,
                decision={
                    "field": "listo",
                    "question": "¿Listo?",
                    "branches": [
                        {"const": "si", "title": "Sí", "next": 6},
                        {"const": "no", "title": "No", "next": 5},
                    ],
                },
            ),
            act(
                6,
                role="jefe-ogtie",
                decision={
                    "field": "fin",
                    "question": "¿Terminar?",
                    "branches": [
                        {"const": "si", "title": "Sí", "next": "end"},
                        {"const": "no", "title": "No", "next": 1},
                    ],
                },
            ),
        ],
    )


def multi() -> dict[str, Any]:
    """1 (answers the list ``unidades``) → 2 (one task per unit, director-uo) → 3 (one task per
    holder of coord-innovacion/coord-infraestructura, the first answer goes on) → end."""
    first = act(1, next=2)
    first["form"] = {
        "type": "object",
        "properties": {
            "unidades": {
                "type": "array",
                "title": "Unidades consultadas",
                "items": {
                    "type": "object",
                    "required": ["unidad"],
                    "properties": {
                        "unidad": {"type": "string", "format": "unit", "title": "Unidad"},
                        "nota": {"type": "string", "title": "Nota"},
                    },
                },
            }
        },
    }
    second = act(2, role="director-uo", next=3, each={"list": "unidades", "unit": "unidad"})
    second["unit"] = "U.O."
    second["form"] = {
        "type": "object",
        "required": ["respuesta"],
        "properties": {"respuesta": {"type": "string", "title": "Respuesta"}},
    }
    third = act(3, next="end", each={"holders": True, "join": "first"})
    third["roles"] = ["coord-innovacion", "coord-infraestructura"]
    return base(
        starts=[{"key": "baja", "label": "Necesidad de baja", "activity": 1}],
        activities=[first, second, third],
    )


SYNTHETIC = {
    "multi": multi,
    "linear": linear,
    "decision": decision,
    "loop_back": loop_back,
    "parallel": parallel,
    "multi_start": multi_start,
    "everything": everything,
}


def dump(ficha: dict[str, Any]) -> str:
    return yaml.safe_dump(ficha, sort_keys=False, allow_unicode=True, default_flow_style=False)


def as_loaded(ficha: dict[str, Any], source: str = "ficha.yaml") -> tuple[Ficha, str]:
    """The ficha as the loader returns it (with lines), and its YAML text."""
    text = dump(ficha)
    return parse_ficha(text, source=source), text


def line_of(text: str, needle: str, occurrence: int = 1, *, exact: bool = False) -> int:
    """1-based line of the ``occurrence``-th line of ``text`` containing ``needle``.

    With ``exact``, the line (stripped) must be ``needle`` itself.
    """
    seen = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if (line.strip() == needle) if exact else (needle in line):
            seen += 1
            if seen == occurrence:
                return i
    raise AssertionError(f"{needle!r} not in the YAML text")
