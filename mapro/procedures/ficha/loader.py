"""Loading fichas (``procedures/<code>.yaml``) as plain data that still knows its line numbers.

A loaded ficha is a :class:`Ficha`: a ``dict`` of the YAML content (JSON-able, so it can be stored
in a ``JSONField`` and hashed) that also carries, as attributes, the file it came from and the
line of every key and list item. The validator uses those lines to say *where* a ficha is wrong;
anything that only needs the data can treat the ficha as a plain dict.

YAML timestamps are kept as strings (``2024-05-01`` stays text) so the result is JSON-able.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[str | int, ...]
"""Where a value sits in a ficha: ``("activities", 3, "decision", "branches", 0, "next")``."""

INVENTORY_FILE = "_inventario.yaml"


class FichaLoadError(Exception):
    """The file is not readable YAML (or not a mapping); ``line`` is 1-based, 0 if unknown."""

    def __init__(self, source: str, line: int, message: str):
        self.source = source
        self.line = line
        self.message = message
        super().__init__(f"{source}:{line}: {message}")


class Ficha(dict[str, Any]):
    """The content of one ficha file, with ``source`` (its path) and ``lines`` (path → line).

    It is a real dict, so ``json.dumps(ficha)`` gives exactly the YAML content.
    """

    source: str
    lines: dict[Path_, int]
    duplicate_keys: list[tuple[Path_, int]]

    def __init__(self, data: dict[str, Any], *, source: str = "", lines=None, duplicates=None):
        super().__init__(data)
        self.source = source
        self.lines = dict(lines or {})
        self.duplicate_keys = list(duplicates or [])

    def line_of(self, path: Path_) -> int:
        """The line of ``path`` or of its nearest ancestor that has one (1 for the file)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    @property
    def code(self) -> str:
        return str(self.get("code", ""))


# libyaml's parser when PyYAML was built with it (Debian's and the wheels are): the same nodes,
# marks and errors, about ten times faster than the pure-Python one (a ficha took 0.5 s).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader whose timestamps stay strings (a ficha must be JSON-able)."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    _Loader.construct_yaml_str,  # type: ignore[type-var]
)


def _walk(node: Node, path: Path_, lines: dict[Path_, int], dups: list[tuple[Path_, int]]):
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
            child = (*path, key)
            if key in seen:
                dups.append((child, key_node.start_mark.line + 1))
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines, dups)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            child = (*path, i)
            lines[child] = item.start_mark.line + 1
            _walk(item, child, lines, dups)


def parse_ficha(text: str, *, source: str = "<texto>") -> Ficha:
    """Parse YAML text into a :class:`Ficha`; raise :class:`FichaLoadError` if it is not YAML."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise FichaLoadError(source, 1, "El archivo está vacío.")
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise FichaLoadError(source, line, f"YAML inválido: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise FichaLoadError(source, 0, f"YAML inválido: {exc}") from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise FichaLoadError(
            source,
            node.start_mark.line + 1,
            "La ficha debe ser un mapeo (clave: valor) en el nivel superior.",
        )
    lines: dict[Path_, int] = {(): node.start_mark.line + 1}
    dups: list[tuple[Path_, int]] = []
    _walk(node, (), lines, dups)
    return Ficha(data, source=source, lines=lines, duplicates=dups)


def load_ficha(path: str | Path) -> Ficha:
    """Load one ficha file. Raises :class:`FichaLoadError` (with file and line) on bad YAML."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FichaLoadError(str(path), 0, f"No se puede leer el archivo: {exc}") from exc
    return parse_ficha(text, source=str(path))


def ficha_paths(directory: str | Path) -> list[Path]:
    """The ficha files of ``directory``: ``*.yaml`` not starting with ``_``, sorted by name."""
    return sorted(p for p in Path(directory).glob("*.yaml") if not p.name.startswith("_"))


def load_all(directory: str | Path) -> list[Ficha]:
    """Load every ficha of ``directory`` (see :func:`ficha_paths`); the first bad file raises."""
    return [load_ficha(p) for p in ficha_paths(directory)]


def load_inventory(directory: str | Path) -> dict[str, Any] | None:
    """The ``_inventario.yaml`` of ``directory`` as plain data, or None when there is none."""
    path = Path(directory) / INVENTORY_FILE
    if not path.exists():
        return None
    return dict(load_ficha(path))
