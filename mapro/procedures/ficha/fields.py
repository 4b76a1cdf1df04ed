"""One definition per field: the rules that keep a ficha's fields consistent across its steps.

A field of a ficha is the same datum wherever its name appears (docs/ficha-format.md, "Fields"):

- a field with a checked format (``dni``, ``email``, ``date``, ``date-time``, ``unit``) has the
  same type and format in every activity that asks it, so it is validated the same at every
  step — a DNI accepted at activity 1 is never refused at activity 9;
- a field named ``dni`` is ``format: dni``;
- ``choices_from: "<activity>.<field>"`` (or ``"<activity>.<list>.<field>"``) makes a text field
  offer, as its only choices, the values an earlier step recorded there (the VPN users created
  at activity 15 are the choices at activity 17, not names to retype): it must name a text
  field of an existing activity.

``choices_from`` is resolved per instance by ``mapro.procedures.choices``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

FieldProblem = tuple[tuple[str | int, ...], str]
"""(path inside the ficha, Spanish message)."""

#: Formats whose values are checked on submit: a field with one of them has one definition.
CHECKED_FORMATS = {"dni", "email", "date", "date-time", "unit"}


def parse_choices_from(value: Any) -> tuple[int, tuple[str, ...]] | None:
    """``"15.usuario_vpn"`` → ``(15, ("usuario_vpn",))``; None when malformed."""
    if not isinstance(value, str):
        return None
    head, _, rest = value.partition(".")
    parts = tuple(rest.split(".")) if rest else ()
    if not head.isdigit() or not 1 <= len(parts) <= 2 or not all(parts):
        return None
    return int(head), parts


def _props(act: dict[str, Any]) -> dict[str, Any]:
    form = act.get("form")
    props = form.get("properties") if isinstance(form, dict) else None
    return props if isinstance(props, dict) else {}


def walk_fields(
    props: dict[str, Any], path: tuple[str | int, ...]
) -> Iterator[tuple[str, dict[str, Any], tuple[str | int, ...]]]:
    """Every field of a form, list rows included: ``(name, property, path)``."""
    for name, prop in props.items():
        if not isinstance(prop, dict):
            continue
        where = (*path, name)
        yield name, prop, where
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, dict):
            inner = items.get("properties")
            if isinstance(inner, dict):
                yield from walk_fields(inner, (*where, "items", "properties"))


def source_field(acts: dict[int, dict[str, Any]], n: int, parts: tuple[str, ...]) -> Any:
    """The property ``parts`` names in activity ``n``'s form (None when there is none)."""
    prop: Any = _props(acts.get(n, {})).get(parts[0])
    if len(parts) == 2:
        items = prop.get("items") if isinstance(prop, dict) else None
        inner = items.get("properties") if isinstance(items, dict) else None
        prop = inner.get(parts[1]) if isinstance(inner, dict) else None
    return prop


def check_fields(acts: dict[int, tuple[Any, dict[str, Any]]]) -> list[FieldProblem]:
    """Problems of the ficha's fields taken together (module docstring)."""
    problems: list[FieldProblem] = []
    by_n = {n: act for n, (_, act) in acts.items()}
    first: dict[str, tuple[int, str | None, str | None]] = {}
    for n, (i, act) in sorted(acts.items()):
        base: tuple[str | int, ...] = ("activities", i, "form", "properties")
        for name, prop, where in walk_fields(_props(act), base):
            kind, fmt = prop.get("type"), prop.get("format")
            if name == "dni" and fmt != "dni":
                problems.append((where, "El campo 'dni' debe ser 'format: dni'."))
            seen = first.get(name)
            if seen is None:
                first[name] = (n, kind, fmt)
            elif (fmt in CHECKED_FORMATS or seen[2] in CHECKED_FORMATS) and (
                (kind, fmt) != seen[1:]
            ):
                problems.append(
                    (
                        where,
                        f"El campo '{name}' ya está definido en la actividad {seen[0]} como "
                        f"{seen[1]}/{seen[2]}; un campo tiene una sola definición "
                        f"(aquí {kind}/{fmt}). Use otro nombre si es otro dato.",
                    )
                )
            if "choices_from" in prop:
                problems += _check_choices_from(prop, where, n, by_n)
    return problems


def _check_choices_from(
    prop: dict[str, Any], where: tuple[str | int, ...], n: int, acts: dict[int, dict[str, Any]]
) -> list[FieldProblem]:
    path = (*where, "choices_from")
    parsed = parse_choices_from(prop["choices_from"])
    if parsed is None:
        return [(path, "'choices_from' es '<actividad>.<campo>' o '<actividad>.<lista>.<campo>'.")]
    source_n, parts = parsed
    if source_n == n or source_n not in acts:
        return [(path, f"'choices_from' debe nombrar otra actividad de la ficha ({source_n}).")]
    source = source_field(acts, source_n, parts)
    if not isinstance(source, dict) or source.get("type") != "string":
        return [
            (
                path,
                f"La actividad {source_n} no tiene el campo de texto '{'.'.join(parts)}' "
                "que 'choices_from' nombra.",
            )
        ]
    if prop.get("type") != "string" or "oneOf" in prop:
        return [(path, "'choices_from' solo va en un campo de texto sin 'oneOf'.")]
    return []
