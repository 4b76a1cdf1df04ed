"""Fichas as data: loading (with line numbers), validation, BPMN compilation and hashing."""

#: An activity ``unit`` meaning "a unit the instance decides": its requesting unit, or the unit
#: a ``unit_from`` field names (docs/ficha-format.md, "Routing by unit"; ``routing.py``).
REQUESTING_UNIT = frozenset({"U.O.", "UO", ""})
