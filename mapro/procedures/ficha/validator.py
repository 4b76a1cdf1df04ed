"""Checking fichas against the rules of docs/ficha-format.md ("Rules the validator enforces").

``check_ficha`` returns every problem it finds (never stops at the first), each with the file,
the line and a Spanish message, so ``mapro procedures check`` can print them as ``file:line:
message``. Only a ficha with no problems may be compiled or published: the compiler trusts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..deadlines import check_deadline
from . import REQUESTING_UNIT
from .compiler import parallel_region, successors
from .fields import check_fields
from .loader import INVENTORY_FILE, Ficha, FichaLoadError, Path_, ficha_paths, load_ficha
from .multi import check_each
from .roles import ROLE_NAMES
from .schema import FIELD_NAME, check_form


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a ficha: where (file, 1-based line) and what, in Spanish."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


CODE_RE = re.compile(r"^S04\.\d{2}\.\d{2}\.\d{2}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
REQUIRED = ("code", "name", "version", "process", "owner", "objective", "starts", "activities")
TOP_KEYS = {
    *REQUIRED,
    "scope", "legal_basis", "acronyms", "definitions", "inputs", "products", "clients",
    "formats", "related_process", "changes",
}  # fmt: skip
ACTIVITY_KEYS = {"n", "name", "description", "unit", "roles", "form", "effects", "next",
                 "decision", "parallel", "deadline", "each", "unit_from"}  # fmt: skip
FLOW_KEYS = ("next", "decision", "parallel")
EFFECT_KINDS = {"document", "ticket", "register", "mail", "notify"}
TICKET_EFFECTS = {"create", "assign", "annotate", "close"}
#: An effect's optional second key: kept in the history only, on purpose; its value says why.
HISTORY_ONLY = "history_only"


class _Checker:
    def __init__(self, ficha: Ficha, source: str, inventory: dict[str, Any] | None):
        self.f = ficha
        self.source = source
        self.inventory = inventory
        self.problems: list[Problem] = []
        self.dangling = False  # some reference names no activity: skip the graph checks

    def add(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.source, self.f.line_of(path), message))

    # -- top level ------------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        f = self.f
        for path, line in f.duplicate_keys:
            self.problems.append(Problem(self.source, line, f"Clave repetida '{path[-1]}'."))
        for key in REQUIRED:
            if f.get(key) in (None, "", [], {}):
                self.add((), f"Falta el campo obligatorio '{key}'.")
        for key in f:
            if key not in TOP_KEYS:
                self.add((key,), f"Clave desconocida '{key}' en la ficha.")
        code = f.get("code")
        if code is not None and not (isinstance(code, str) and CODE_RE.match(code)):
            self.add(("code",), f"Código inválido {code!r}: se espera S04.NN.NN.NN.")
        for key in ("name", "owner", "objective"):
            if key in f and f[key] is not None and not isinstance(f[key], str):
                self.add((key,), f"'{key}' debe ser texto.")
        self.check_process()
        acts = self.check_activities()
        for path, message in check_fields(acts):
            self.add(path, message)
        self.check_starts(acts)
        if not self.dangling and acts:
            self.check_graph(acts)
        return self.problems

    def check_process(self) -> None:
        process = self.f.get("process")
        if process is None:
            return
        if not isinstance(process, dict):
            self.add(("process",), "'process' debe ser un mapeo con level1 y level2.")
            return
        level1, level2 = process.get("level1"), process.get("level2")
        if not level1:
            self.add(("process",), "Falta el campo obligatorio 'process.level1'.")
            return
        if self.inventory is None:
            return
        inv1 = {p["code"]: p for p in self.inventory.get("level1", [])}
        if level1 not in inv1:
            self.add(
                ("process", "level1"),
                f"El proceso de nivel 1 '{level1}' no existe en {INVENTORY_FILE}.",
            )
            return
        inv2 = {p["code"]: p for p in inv1[level1].get("level2", [])}
        if level2 is None:
            codes = {p["code"] for p in inv1[level1].get("procedures", [])}
            if inv2 and self.f.get("code") not in codes:
                self.add(
                    ("process",),
                    f"Falta 'process.level2': el proceso {level1} tiene "
                    f"procesos de nivel 2 ({', '.join(sorted(inv2))}).",
                )
                return
        elif level2 not in inv2:
            self.add(
                ("process", "level2"),
                f"El proceso de nivel 2 '{level2}' no existe bajo {level1} en {INVENTORY_FILE}.",
            )
            return
        else:
            codes = {p["code"] for p in inv2[level2].get("procedures", [])}
        code = self.f.get("code")
        if isinstance(code, str) and code not in codes:
            where = level2 or level1
            self.add(
                ("code",),
                f"El procedimiento {code} no figura bajo el proceso {where} en {INVENTORY_FILE}.",
            )

    # -- activities -----------------------------------------------------------------------------

    def check_activities(self) -> dict[int, tuple[int, dict[str, Any]]]:
        """Per-activity checks; returns {n: (index, activity)} of well-formed activities."""
        raw = self.f.get("activities")
        if raw is None:
            return {}
        if not isinstance(raw, list):
            self.add(("activities",), "'activities' debe ser una lista de actividades.")
            return {}
        acts: dict[int, tuple[int, dict[str, Any]]] = {}
        for i, act in enumerate(raw):
            where = ("activities", i)
            if not isinstance(act, dict):
                self.add(where, "Cada actividad debe ser un mapeo.")
                continue
            n = act.get("n")
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                self.add(
                    where, f"La actividad necesita un número 'n' entero positivo (tiene {n!r})."
                )
                continue
            if n in acts:
                self.add((*where, "n"), f"El número de actividad {n} está repetido.")
                continue
            acts[n] = (i, act)
        for n, (i, act) in acts.items():
            self.check_activity(n, act, ("activities", i), acts)
        return acts

    def check_activity(self, n: int, act: dict[str, Any], where: Path_, acts) -> None:
        for key in act:
            if key not in ACTIVITY_KEYS:
                self.add((*where, key), f"Clave desconocida '{key}' en la actividad {n}.")
        for key in ("name", "unit"):
            if not isinstance(act.get(key), str) or not act[key].strip():
                self.add(where, f"Falta el campo obligatorio '{key}' en la actividad {n}.")
        roles = act.get("roles")
        if not isinstance(roles, list) or not roles:
            self.add(where, f"La actividad {n} necesita al menos un rol en 'roles'.")
        else:
            for j, role in enumerate(roles):
                if role not in ROLE_NAMES:
                    self.add(
                        (*where, "roles", j),
                        f"Rol desconocido '{role}' en la actividad {n} (ver roles.md).",
                    )
        flows = [k for k in FLOW_KEYS if k in act]
        if len(flows) != 1:
            found = ", ".join(flows) if flows else "ninguno"
            self.add(
                where,
                f"La actividad {n} debe tener exactamente uno de next, decision o "
                f"parallel (tiene: {found}).",
            )
        if "next" in act:
            self.check_target(act["next"], (*where, "next"), n, acts)
        if "decision" in act:
            self.check_decision(n, act["decision"], (*where, "decision"), acts)
        if "parallel" in act:
            self.check_parallel(n, act["parallel"], (*where, "parallel"), acts)
        if "form" in act:
            for path, message in check_form(act["form"]):
                self.add((*where, "form", *path), f"Actividad {n}: {message}")
        if "effects" in act:
            self.check_effects(n, act["effects"], (*where, "effects"))
        if "deadline" in act:
            for path, message in check_deadline(act["deadline"], ROLE_NAMES):
                self.add((*where, "deadline", *path), f"Actividad {n}: {message}")

    def check_target(self, target: Any, path: Path_, n: Any, acts, *, allow_end=True) -> None:
        if allow_end and target == "end":
            return
        if isinstance(target, bool) or not isinstance(target, int) or target not in acts:
            self.dangling = True
            self.add(path, f"La actividad {target!r} no existe (referida desde la actividad {n}).")

    def check_decision(self, n: int, dec: Any, where: Path_, acts) -> None:
        if not isinstance(dec, dict):
            self.add(where, f"La decisión de la actividad {n} debe ser un mapeo.")
            return
        fld = dec.get("field")
        if not isinstance(fld, str) or not FIELD_NAME.match(fld):
            self.add(
                where,
                f"La decisión de la actividad {n} necesita un 'field' (nombre de "
                "campo: letras, dígitos y '_').",
            )
        elif fld == "start":
            self.add(
                (*where, "field"),
                f"El campo de decisión de la actividad {n} no puede "
                "llamarse 'start' (reservado para el inicio).",
            )
        if not isinstance(dec.get("question"), str) or not dec["question"].strip():
            self.add(where, f"La decisión de la actividad {n} necesita una 'question'.")
        branches = dec.get("branches")
        if not isinstance(branches, list) or len(branches) < 2:
            self.add(
                where, f"La decisión de la actividad {n} necesita al menos dos ramas en 'branches'."
            )
            return
        consts: set[Any] = set()
        for j, branch in enumerate(branches):
            bw = (*where, "branches", j)
            if not isinstance(branch, dict):
                self.add(bw, f"Cada rama de la decisión de la actividad {n} debe ser un mapeo.")
                continue
            for key in ("const", "title", "next"):
                if branch.get(key) in (None, ""):
                    self.add(
                        bw, f"La rama {j + 1} de la decisión de la actividad {n} necesita '{key}'."
                    )
            const = branch.get("const")
            if const is not None and not isinstance(const, str):
                self.add(
                    (*bw, "const"),
                    f"La opción {const!r} de la decisión de la actividad "
                    f'{n} debe ser texto (entre comillas, p. ej. "no").',
                )
            elif const is not None and const in consts:
                self.add(
                    (*bw, "const"),
                    f"La opción '{const}' de la decisión de la actividad {n} está repetida.",
                )
            consts.add(const)
            if branch.get("next") is not None:
                self.check_target(branch["next"], (*bw, "next"), n, acts)

    def check_parallel(self, n: int, par: Any, where: Path_, acts) -> None:
        if not isinstance(par, dict):
            self.add(where, f"El paralelo de la actividad {n} debe ser un mapeo.")
            return
        branches = par.get("branches")
        if not isinstance(branches, list) or len(branches) < 2:
            self.add(
                where, f"El paralelo de la actividad {n} necesita al menos dos ramas en 'branches'."
            )
        else:
            for j, b in enumerate(branches):
                self.check_target(b, (*where, "branches", j), n, acts, allow_end=False)
            if len(set(map(str, branches))) != len(branches):
                self.add((*where, "branches"), f"El paralelo de la actividad {n} repite ramas.")
        if "join" not in par:
            self.add(
                where,
                f"El paralelo de la actividad {n} necesita una 'join' (actividad "
                "que espera a todas las ramas).",
            )
        else:
            self.check_target(par["join"], (*where, "join"), n, acts, allow_end=False)
            if par["join"] == n or (isinstance(branches, list) and par["join"] in branches):
                self.add(
                    (*where, "join"),
                    f"La unión del paralelo de la actividad {n} no puede "
                    "ser la propia actividad ni una de sus ramas.",
                )

    def check_effects(self, n: int, effects: Any, where: Path_) -> None:
        if not isinstance(effects, list):
            self.add(where, f"'effects' de la actividad {n} debe ser una lista.")
            return
        for j, eff in enumerate(effects):
            ew = (*where, j)
            keys = [k for k in eff if k != HISTORY_ONLY] if isinstance(eff, dict) else []
            if not isinstance(eff, dict) or len(keys) != 1 or keys[0] not in EFFECT_KINDS:
                kinds = ", ".join(sorted(EFFECT_KINDS))
                self.add(
                    ew,
                    f"Efecto inválido en la actividad {n}: debe ser un mapeo con una "
                    f"sola clave entre {kinds} (y, si acaso, '{HISTORY_ONLY}').",
                )
                continue
            if HISTORY_ONLY in eff and (
                not isinstance(eff[HISTORY_ONLY], str) or not eff[HISTORY_ONLY].strip()
            ):
                self.add(
                    (*ew, HISTORY_ONLY),
                    f"'{HISTORY_ONLY}' de un efecto de la actividad {n} debe decir por qué el "
                    "efecto queda solo en el historial.",
                )
            kind, value = keys[0], eff[keys[0]]
            if kind == "ticket" and value not in TICKET_EFFECTS:
                self.add(
                    ew,
                    f"Efecto 'ticket' inválido en la actividad {n}: {value!r} (se "
                    f"espera {', '.join(sorted(TICKET_EFFECTS))}).",
                )
            elif kind == "notify":
                roles = value if isinstance(value, list) else [value]
                for role in roles:
                    if role not in ROLE_NAMES:
                        self.add(
                            ew,
                            f"Rol desconocido '{role}' en el efecto 'notify' de la actividad {n}.",
                        )
            elif kind != "notify" and (not isinstance(value, str) or not value.strip()):
                self.add(ew, f"El efecto '{kind}' de la actividad {n} debe ser un texto.")

    # -- starts ---------------------------------------------------------------------------------

    def check_starts(self, acts) -> None:
        starts = self.f.get("starts")
        if starts is None:
            return
        if not isinstance(starts, list):
            self.add(("starts",), "'starts' debe ser una lista de formas de inicio.")
            return
        keys: set[Any] = set()
        for i, start in enumerate(starts):
            where = ("starts", i)
            if not isinstance(start, dict):
                self.add(where, "Cada inicio debe ser un mapeo con key, label y activity.")
                continue
            key = start.get("key")
            if not isinstance(key, str) or not SLUG_RE.match(key):
                self.add(
                    where,
                    f"El inicio necesita una 'key' en minúsculas, dígitos, '-' o '_' "
                    f"(tiene {key!r}).",
                )
            elif key in keys:
                self.add((*where, "key"), f"La clave de inicio '{key}' está repetida.")
            keys.add(key)
            if not isinstance(start.get("label"), str) or not start["label"].strip():
                self.add(where, f"El inicio '{key}' necesita un 'label'.")
            if "ask_unit" in start and (
                not isinstance(start["ask_unit"], str) or not start["ask_unit"].strip()
            ):
                self.add(
                    (*where, "ask_unit"),
                    f"'ask_unit' del inicio '{key}' debe ser el texto con que se pide la unidad "
                    "de organización solicitante.",
                )
            if "activity" not in start:
                self.add(where, f"El inicio '{key}' necesita 'activity'.")
            else:
                target = start["activity"]
                if isinstance(target, bool) or not isinstance(target, int) or target not in acts:
                    self.dangling = True
                    self.add(
                        (*where, "activity"),
                        f"La actividad {target!r} no existe (referida desde el inicio '{key}').",
                    )

    # -- graph ----------------------------------------------------------------------------------

    def check_graph(self, acts: dict[int, tuple[int, dict[str, Any]]]) -> None:
        if any(len([k for k in FLOW_KEYS if k in a]) != 1 for _, a in acts.values()):
            return
        graph = {n: a for n, (_, a) in acts.items()}
        if not all(self._well_formed_flow(a) for a in graph.values()):
            return
        starts = [
            s["activity"]
            for s in self.f.get("starts") or []
            if isinstance(s, dict) and s.get("activity") in graph
        ]
        reached: set[Any] = set()
        todo = list(starts)
        while todo:
            n = todo.pop()
            if n in reached:
                continue
            reached.add(n)
            if n in graph:
                todo.extend(successors(graph[n]))
        for n, (i, _) in acts.items():
            if n not in reached:
                self.add(
                    ("activities", i), f"La actividad {n} no es alcanzable desde ningún inicio."
                )
        if not any("end" in successors(a) for a in graph.values()):
            self.add(
                ("activities",), "Ningún camino llega al fin: ninguna actividad tiene 'next: end'."
            )
        else:
            reaches_end = self._reaching_end(graph)
            for n in sorted(reached & set(graph) - reaches_end):
                self.add(
                    ("activities", acts[n][0]),
                    f"Desde la actividad {n} no se puede llegar al fin (ciclo sin salida).",
                )
        self.check_splits(graph, acts)
        self.check_multi_instance(graph, acts)
        self.check_routing(graph, acts, starts)

    def check_multi_instance(self, graph, acts) -> None:
        """``each``: a list field answered in an earlier activity (see ``multi.check_each``)."""
        for n, act in graph.items():
            if "each" not in act:
                continue
            before = {m for m in graph if m != n and n in self._reachable(graph, m)}
            for path, message in check_each(n, act, graph, before):
                self.add(("activities", acts[n][0], "each", *path), message)

    @staticmethod
    def _reachable(graph: dict[int, dict[str, Any]], start: int) -> set[Any]:
        seen: set[Any] = set()
        todo = list(successors(graph[start]))
        while todo:
            m = todo.pop()
            if m in seen:
                continue
            seen.add(m)
            if m in graph:
                todo.extend(successors(graph[m]))
        return seen

    def check_routing(self, graph, acts, starts: list[Any]) -> None:
        """``unit_from`` and ``ask_unit`` (docs/ficha-format.md, "Routing by unit").

        A ``unit_from`` field is a ``format: unit`` field that some activity asks as required,
        and on every path from a start to the activity such an activity comes first, so the
        unit is known when the task opens. ``ask_unit`` on a start whose flow reaches no
        activity of the requesting unit would ask for nothing.
        """
        for n, act in graph.items():
            if "unit_from" not in act:
                continue
            where = ("activities", acts[n][0], "unit_from")
            field = act["unit_from"]
            if str(act.get("unit") or "") not in REQUESTING_UNIT:
                self.add(
                    where,
                    f"La actividad {n} tiene 'unit_from' pero su unidad es fija "
                    f"({act.get('unit')}); use 'unit: U.O.'.",
                )
                continue
            if not isinstance(field, str) or not FIELD_NAME.match(field):
                self.add(where, f"'unit_from' de la actividad {n} debe nombrar un campo.")
                continue
            askers = {m for m, other in graph.items() if _asks_unit_field(other, field)}
            if not askers - {n}:
                self.add(
                    where,
                    f"La actividad {n} toma su unidad del campo '{field}', pero ninguna otra "
                    "actividad lo pide como obligatorio con 'format: unit'.",
                )
                continue
            unanswered = self._reached_without(graph, starts, n, askers - {n})
            if unanswered:
                self.add(
                    where,
                    f"La actividad {n} toma su unidad del campo '{field}', pero se llega a "
                    f"ella sin haberlo respondido (camino desde el inicio en la actividad "
                    f"{unanswered}).",
                )
        for i, start in enumerate(self.f.get("starts") or []):
            if not isinstance(start, dict) or not start.get("ask_unit"):
                continue
            first: Any = start.get("activity")
            if first not in graph:
                continue
            reached = self._reachable_from(graph, first)
            if not any(
                str(graph[m].get("unit") or "") in REQUESTING_UNIT
                and "unit_from" not in graph[m]
                and not (graph[m].get("each") or {}).get("unit")
                for m in reached
                if m in graph
            ):
                self.add(
                    ("starts", i, "ask_unit"),
                    f"El inicio '{start.get('key')}' pide la unidad solicitante, pero ninguna "
                    "actividad de su flujo es de la 'U.O.' solicitante.",
                )

    @staticmethod
    def _reachable_from(graph: dict[int, dict[str, Any]], first: int) -> set[Any]:
        reached: set[Any] = set()
        todo = [first]
        while todo:
            m = todo.pop()
            if m in reached:
                continue
            reached.add(m)
            if m in graph:
                todo.extend(successors(graph[m]))
        return reached

    @staticmethod
    def _reached_without(
        graph: dict[int, dict[str, Any]], starts: list[Any], target: int, askers: set[int]
    ) -> Any:
        """The start activity of a path reaching ``target`` through no activity of
        ``askers`` (None when every path passes one)."""
        for first in starts:
            seen: set[Any] = set()
            todo = [first]
            while todo:
                m = todo.pop()
                if m in seen or m == "end":
                    continue
                seen.add(m)
                if m == target:
                    return first
                if m in askers or m not in graph:
                    continue
                todo.extend(successors(graph[m]))
        return None

    @staticmethod
    def _well_formed_flow(act: dict[str, Any]) -> bool:
        if "decision" in act:
            dec = act["decision"]
            return (
                isinstance(dec, dict)
                and isinstance(dec.get("branches"), list)
                and all(isinstance(b, dict) for b in dec["branches"])
            )
        if "parallel" in act:
            par = act["parallel"]
            return isinstance(par, dict) and isinstance(par.get("branches"), list) and "join" in par
        return True

    @staticmethod
    def _reaching_end(graph: dict[int, dict[str, Any]]) -> set[int]:
        """Activities from which some path reaches ``end`` (parallel splits: via their join)."""
        preds: dict[Any, set[int]] = {}
        for n, act in graph.items():
            nexts = successors(act)
            if act.get("parallel"):
                nexts = [act["parallel"]["join"]]  # a split finishes when its join does
            for m in nexts:
                preds.setdefault(m, set()).add(n)
        done: set[int] = set()
        todo = list(preds.get("end", ()))
        while todo:
            n = todo.pop()
            if n in done:
                continue
            done.add(n)
            todo.extend(preds.get(n, ()))
        return done

    def check_splits(self, graph, acts) -> None:
        joins: dict[Any, int] = {}
        for n, act in graph.items():
            par = act.get("parallel")
            if not par:
                continue
            where = ("activities", acts[n][0], "parallel")
            join = par["join"]
            if join in joins:
                self.add(
                    (*where, "join"),
                    f"Los paralelos de las actividades {joins[join]} y {n} "
                    f"usan la misma unión {join}.",
                )
            joins.setdefault(join, n)
            regions = {b: parallel_region(graph, b, join) for b in par["branches"]}
            for j, (branch, region) in enumerate(regions.items()):
                bw = (*where, "branches", j)
                label = f"La rama {branch} del paralelo de la actividad {n}"
                if "end" in region:
                    self.add(bw, f"{label} llega al fin sin pasar por la unión {join}.")
                if n in region:
                    self.add(bw, f"{label} vuelve a la actividad {n} antes de la unión {join}.")
                if not any(join in successors(graph[m]) for m in region if m in graph):
                    self.add(bw, f"{label} nunca llega a la unión {join}.")
                for other, other_region in regions.items():
                    shared = sorted(m for m in region & other_region if m != "end")
                    if other != branch and shared:
                        self.add(
                            bw,
                            f"{label} alcanza actividades de la rama {other} "
                            f"({', '.join(map(str, shared))}).",
                        )


def _asks_unit_field(act: dict[str, Any], field: str) -> bool:
    """True when the activity's form asks ``field`` as a required ``format: unit`` field."""
    form = act.get("form")
    if not isinstance(form, dict):
        return False
    prop = (form.get("properties") or {}).get(field)
    return (
        isinstance(prop, dict)
        and prop.get("format") == "unit"
        and field in (form.get("required") or [])
    )


def default_inventory() -> dict[str, Any] | None:
    """The inventory of the configured procedures directory (``MAPRO_PROCEDURES_DIR``)."""
    from django.conf import settings

    path = Path(settings.MAPRO_PROCEDURES_DIR) / INVENTORY_FILE
    return dict(load_ficha(path)) if path.exists() else None


def check_ficha(
    ficha: dict[str, Any], *, source: str | None = None, inventory: dict[str, Any] | None = None
) -> list[Problem]:
    """Every problem of one ficha (empty when it is valid).

    ``source`` names the file in the problems (default: where the ficha was loaded from);
    ``inventory`` is the Inventario de procesos (default: the configured directory's).
    A plain dict (without line numbers) reports every problem at line 1.
    """
    if not isinstance(ficha, Ficha):
        ficha = Ficha(ficha)
    source = source or ficha.source or "<ficha>"
    if inventory is None:
        inventory = default_inventory()
    return sorted(_Checker(ficha, source, inventory).run(), key=lambda p: p.line)


def check_directory(directory: str | Path) -> tuple[list[Ficha], list[Problem]]:
    """Load and check every ficha of ``directory``: (valid fichas, all problems).

    Besides each ficha's rules: the inventory must load, a file is named after its code, and no
    two files share a code.
    """
    directory = Path(directory)
    problems: list[Problem] = []
    inventory = None
    inv_path = directory / INVENTORY_FILE
    if inv_path.exists():
        try:
            inventory = dict(load_ficha(inv_path))
        except FichaLoadError as exc:
            problems.append(Problem(exc.source, exc.line, exc.message))
    else:
        problems.append(Problem(str(inv_path), 1, "Falta el inventario de procesos."))
    valid: list[Ficha] = []
    seen: dict[str, str] = {}
    for path in ficha_paths(directory):
        try:
            ficha = load_ficha(path)
        except FichaLoadError as exc:
            problems.append(Problem(exc.source, exc.line, exc.message))
            continue
        found = check_ficha(ficha, source=str(path), inventory=inventory)
        code = ficha.get("code")
        if isinstance(code, str) and code != path.stem:
            found.append(
                Problem(
                    str(path),
                    ficha.line_of(("code",)),
                    f"El archivo debe llamarse {code}.yaml como su código.",
                )
            )
        if isinstance(code, str) and code in seen:
            found.append(
                Problem(
                    str(path),
                    ficha.line_of(("code",)),
                    f"El código {code} ya está en {seen[code]}.",
                )
            )
        if isinstance(code, str):
            seen.setdefault(code, str(path))
        problems += found
        if not found:
            valid.append(ficha)
    return valid, problems
