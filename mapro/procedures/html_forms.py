"""Task forms in HTML: an activity's JSON Schema form as fields to render, and a POST as data.

The schema is the effective form of an activity (``ficha.compiler.form_schema``, the subset of
docs/ficha-format.md). This module knows nothing about requests or models:

- :func:`build_fields` turns the schema, the submitted raw values and the field errors into
  :class:`FormField` objects that ``procedures/_form_fields.html`` renders (a label per field,
  help text, required marks, an input by type, errors beside the field);
- :func:`parse_submission` turns the POST (and uploaded files) into the JSON data the runtime
  validates (``mapro.procedures.forms``), typed as the schema says: integers, numbers, booleans,
  dates as ISO text, lists of objects. Uploaded files are not stored here: they stay pending
  until the data is valid, then :meth:`Submission.store_files` saves them and puts the stored
  names in the data;
- :func:`html_errors` maps the runtime's error keys (``lista.0.campo``) back to input names;
- :func:`describe_data` shows completed data in Spanish (titles, option labels, Sí/No).

Input names: a top-level field is named as its property (``oficio``); a list field ``sistemas``
sends ``sistemas-TOTAL`` (how many rows the form shows) and ``sistemas-<i>-<campo>`` per cell.
Rows left completely empty are dropped, so a form may always offer a blank row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Rows a list field shows when nothing was submitted yet (at least its ``minItems``).
DEFAULT_ROWS = 1
#: Most rows a list may show (the "Agregar fila" button stops there).
MAX_ROWS = 50
#: Largest accepted upload, in bytes.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Choices with at most this many options are radio buttons, more are a select.
RADIO_MAX_OPTIONS = 4

TRUE_VALUES = {"on", "true", "1", "si", "sí"}


@dataclass
class Option:
    value: str
    label: str
    selected: bool = False


@dataclass
class FormField:
    """One input (or a list of rows of inputs) ready for the template."""

    name: str
    html_name: str
    widget: str
    label: str
    help: str = ""
    required: bool = False
    value: str = ""
    errors: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    is_decision: bool = False
    in_row: bool = False
    columns: list[FormField] = field(default_factory=list)
    rows: list[list[FormField]] = field(default_factory=list)
    row_count: int = 0
    can_add_row: bool = False
    suggestions: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"campo-{self.html_name}"

    @property
    def help_id(self) -> str:
        return f"{self.id}-ayuda"

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def described_by(self) -> str:
        ids = []
        if self.help:
            ids.append(self.help_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def is_group(self) -> bool:
        """Rendered as a fieldset (radio group or list) rather than a single labelled input."""
        return self.widget in {"radio", "table"}

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(f.errors for row in self.rows for f in row)


def widget_for(prop: dict[str, Any], *, is_decision: bool = False, in_row: bool = False) -> str:
    """The input kind of a property of the form subset."""
    kind = prop.get("type")
    fmt = prop.get("format")
    if kind == "array":
        return "table"
    if kind == "boolean":
        return "checkbox"
    if kind == "integer":
        return "integer"
    if kind == "number":
        return "number"
    if "oneOf" in prop:
        if fmt == "unit":  # a unit field: the units as choices (task_forms), always a list
            return "select"
        if is_decision or (not in_row and len(prop["oneOf"]) <= RADIO_MAX_OPTIONS):
            return "radio"
        return "select"
    if fmt == "textarea":
        return "textarea"
    if fmt == "date":
        return "date"
    if fmt == "date-time":
        return "datetime"
    if fmt == "file":
        return "file"
    return "text"


def _initial(prop: dict[str, Any]) -> str:
    default = prop.get("default")
    if default is None:
        return ""
    if isinstance(default, bool):
        return "on" if default else ""
    return str(default)


def _raw(values: Mapping[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    if isinstance(value, list):  # a QueryDict copied with lists()
        value = value[-1] if value else ""
    return str(value)


def _field(
    name: str,
    html_name: str,
    prop: dict[str, Any],
    *,
    required: bool,
    values: Mapping[str, Any] | None,
    errors: Mapping[str, list[str]],
    is_decision: bool = False,
    in_row: bool = False,
) -> FormField:
    widget = widget_for(prop, is_decision=is_decision, in_row=in_row)
    if values is None:
        value = _initial(prop)
    else:
        value = _raw(values, html_name) or ""
        if widget == "checkbox":
            value = "on" if value.strip().lower() in TRUE_VALUES else ""
    attrs: dict[str, Any] = {}
    if "maxLength" in prop:
        attrs["maxlength"] = prop["maxLength"]
    if "minLength" in prop:
        attrs["minlength"] = prop["minLength"]
    if "minimum" in prop:
        attrs["min"] = prop["minimum"]
    if "maximum" in prop:
        attrs["max"] = prop["maximum"]
    options = [
        Option(str(o["const"]), str(o.get("title", o["const"])), str(o["const"]) == value)
        for o in prop.get("oneOf", [])
    ]
    return FormField(
        name=name,
        html_name=html_name,
        widget=widget,
        label=str(prop.get("title") or name),
        help=str(prop.get("description") or ""),
        required=required,
        value=value,
        errors=list(errors.get(html_name, [])),
        options=options,
        attrs=attrs,
        is_decision=is_decision,
        in_row=in_row,
        suggestions=[str(v) for v in prop.get("examples") or [] if not isinstance(v, dict)],
    )


def _as_raw(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else ""
    return "" if value is None else str(value)


def initial_values(schema: dict[str, Any]) -> dict[str, str]:
    """The raw input values of a fresh form: each field's ``default`` (a list's as rows).

    ``build_fields(schema, initial_values(schema))`` shows a new form prefilled with what the
    schema proposes (``task_forms`` puts there what earlier steps recorded).
    """
    values: dict[str, str] = {}
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        default = prop.get("default")
        if prop.get("type") == "array":
            sub_props = (prop.get("items") or {}).get("properties") or {}
            rows = default if isinstance(default, list) else []
            rows = [row for row in rows if isinstance(row, dict)][:MAX_ROWS]
            if rows:
                values[f"{name}-TOTAL"] = str(len(rows))
            for i, row in enumerate(rows):
                for sub in sub_props:
                    values[f"{name}-{i}-{sub}"] = _as_raw(row.get(sub))
            for sub, sub_prop in sub_props.items():  # a column's own default, on a fresh row
                if isinstance(sub_prop, dict) and "default" in sub_prop and not rows:
                    values[f"{name}-0-{sub}"] = _as_raw(sub_prop["default"])
            continue
        if default is not None:
            values[name] = _as_raw(default)
    return values


def row_count(
    name: str, prop: dict[str, Any], values: Mapping[str, Any] | None, extra: int = 0
) -> int:
    """How many rows list field ``name`` shows: what was submitted (plus ``extra``)."""
    minimum = max(DEFAULT_ROWS, int(prop.get("minItems") or 0))
    submitted = _raw(values, f"{name}-TOTAL") if values is not None else None
    count = int(submitted) if submitted and submitted.isdigit() else minimum
    return max(minimum, min(count + extra, MAX_ROWS, int(prop.get("maxItems") or MAX_ROWS)))


def build_fields(
    schema: dict[str, Any],
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    *,
    decision_field: str | None = None,
    add_row: str | None = None,
) -> list[FormField]:
    """The fields of ``schema`` to render, with ``values`` (raw, by input name) and ``errors``.

    ``values=None`` means a fresh form (schema defaults). ``add_row`` names a list field that
    gets one more row (the "Agregar fila" button).
    """
    errors = errors or {}
    required = set(schema.get("required", []))
    fields: list[FormField] = []
    for name, prop in (schema.get("properties") or {}).items():
        if prop.get("type") == "array":
            items = prop.get("items") or {}
            item_required = set(items.get("required", []))
            sub_props = items.get("properties") or {}
            count = row_count(name, prop, values, 1 if add_row == name else 0)
            table = _field(
                name, name, prop, required=name in required, values=values, errors=errors
            )
            table.columns = [
                _field(
                    sub,
                    f"{name}-__i__-{sub}",
                    sub_prop,
                    required=sub in item_required,
                    values={},
                    errors={},
                    in_row=True,
                )
                for sub, sub_prop in sub_props.items()
            ]
            table.rows = [
                [
                    _field(
                        sub,
                        f"{name}-{i}-{sub}",
                        sub_prop,
                        required=sub in item_required,
                        values=values,
                        errors=errors,
                        in_row=True,
                    )
                    for sub, sub_prop in sub_props.items()
                ]
                for i in range(count)
            ]
            table.row_count = count
            max_items = int(prop.get("maxItems") or MAX_ROWS)
            table.can_add_row = count < min(MAX_ROWS, max_items)
            fields.append(table)
            continue
        fields.append(
            _field(
                name,
                name,
                prop,
                required=name in required,
                values=values,
                errors=errors,
                is_decision=name == decision_field,
            )
        )
    return fields


# --- parsing a submission --------------------------------------------------------------------


@dataclass
class Submission:
    """A parsed POST: the typed ``data``, the raw values to show again, and pending uploads.

    ``row_map[lista]`` gives, for each row kept in ``data[lista]``, the form row it came from
    (empty rows are dropped), so errors find their inputs again. ``errors`` holds what could
    not even be parsed (an upload too large).
    """

    data: dict[str, Any]
    raw: dict[str, str]
    row_map: dict[str, list[int]] = field(default_factory=dict)
    files: list[tuple[tuple[str | int, ...], Any]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def store_files(self, save: Callable[[Any], str]) -> list[str]:
        """Save each pending upload with ``save(upload) -> stored name``; put names in data."""
        stored: list[str] = []
        for path, upload in self.files:
            name = save(upload)
            stored.append(name)
            target: Any = self.data
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = name
        self.files = []
        return stored


def _number(text: str, *, integer: bool) -> int | float | str:
    """``"12"`` → 12, ``"3,5"`` → 3.5; anything else stays text (the validator names it)."""
    cleaned = text.strip().replace(" ", "")
    if integer:
        try:
            return int(cleaned)
        except ValueError:
            return text
    try:
        value = float(cleaned.replace(",", "."))
    except ValueError:
        return text
    if value != value or value in (float("inf"), float("-inf")):  # NaN / infinity
        return text
    if value.is_integer() and not any(c in cleaned for c in ".,eE"):
        return int(value)
    return value


def _parse_value(
    prop: dict[str, Any],
    html_name: str,
    post: Mapping[str, Any],
    files: Mapping[str, Any],
    path: tuple[str | int, ...],
    sub: Submission,
) -> tuple[bool, Any]:
    """(present, value) of one input; ``present`` False means "leave the key out"."""
    widget = widget_for(prop)
    if widget == "file":
        upload = files.get(html_name)
        if upload is None or not getattr(upload, "size", 0):
            return False, None
        if upload.size > MAX_UPLOAD_BYTES:
            sub.errors.setdefault(html_name, []).append(
                f"El archivo supera el tamaño máximo de {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        sub.files.append((path, upload))
        sub.raw[html_name] = str(upload.name)
        return True, str(upload.name)  # replaced by the stored name in store_files()
    text = _raw(post, html_name)
    text = "" if text is None else text
    if widget == "checkbox":
        checked = text.strip().lower() in TRUE_VALUES
        sub.raw[html_name] = "on" if checked else ""
        return True, checked
    sub.raw[html_name] = text
    # Browsers send CRLF in textareas; keep the text's own line breaks as LF.
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return False, None
    if widget in {"integer", "number"}:
        return True, _number(text, integer=widget == "integer")
    return True, text


def parse_submission(
    schema: dict[str, Any], post: Mapping[str, Any], files: Mapping[str, Any] | None = None
) -> Submission:
    """The typed data of a POSTed task form (see the module docstring for input names).

    Blank inputs are left out (so a required one is reported missing), a checkbox is always
    True or False, numbers are parsed (``,`` accepted as decimal mark), and a list keeps only
    its non-empty rows. Nothing here rejects a value: validation is the runtime's.
    """
    files = files or {}
    sub = Submission(data={}, raw={})
    for name, prop in (schema.get("properties") or {}).items():
        if prop.get("type") != "array":
            present, value = _parse_value(prop, name, post, files, (name,), sub)
            if present:
                sub.data[name] = value
            continue
        items = prop.get("items") or {}
        sub_props = items.get("properties") or {}
        count = row_count(name, prop, post)
        sub.raw[f"{name}-TOTAL"] = str(count)
        rows: list[dict[str, Any]] = []
        kept: list[int] = []
        for i in range(count):
            row: dict[str, Any] = {}
            filled = False
            pending_before = len(sub.files)
            for sub_name, sub_prop in sub_props.items():
                html_name = f"{name}-{i}-{sub_name}"
                path = (name, len(rows), sub_name)
                present, value = _parse_value(sub_prop, html_name, post, files, path, sub)
                if present:
                    row[sub_name] = value
                    filled = filled or value is not False
            if filled:
                rows.append(row)
                kept.append(i)
            else:
                del sub.files[pending_before:]
        sub.row_map[name] = kept
        if rows:
            sub.data[name] = rows
    return sub


def html_errors(errors: Mapping[str, list[str]], sub: Submission) -> dict[str, list[str]]:
    """Runtime error keys (``lista.0.campo``) as input names (``lista-3-campo``)."""
    mapped: dict[str, list[str]] = {}
    for key, messages in errors.items():
        parts = key.split(".")
        name = parts[0]
        if len(parts) >= 2 and name in sub.row_map and parts[1].isdigit():
            index = int(parts[1])
            rows = sub.row_map[name]
            form_row = rows[index] if index < len(rows) else index
            html = f"{name}-{form_row}-{parts[2]}" if len(parts) >= 3 else name
        else:
            html = key
        bucket = mapped.setdefault(html, [])
        bucket.extend(m for m in messages if m not in bucket)
    return mapped


# --- showing completed data ------------------------------------------------------------------


@dataclass
class DataItem:
    """One answer of a completed form, as a Spanish label and text (or rows of items)."""

    label: str
    text: str = ""
    rows: list[list[DataItem]] = field(default_factory=list)
    is_file: bool = False


def _local_date(value: str) -> str:
    """ISO ``2025-03-02`` → ``02/03/2025`` (and ``…T10:30`` → ``02/03/2025 10:30``)."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if "T" not in value.upper():
        return moment.strftime("%d/%m/%Y")
    return moment.strftime("%d/%m/%Y %H:%M")


def _display(prop: dict[str, Any], value: Any) -> str:
    if isinstance(value, bool):
        return "Sí" if value else "No"
    for option in prop.get("oneOf", []):
        if option.get("const") == value:
            return str(option.get("title", value))
    if prop.get("format") == "file" and isinstance(value, str):
        return value.rsplit("/", 1)[-1]
    if prop.get("format") in {"date", "date-time"} and isinstance(value, str):
        return _local_date(value)
    if value is None:
        return ""
    return str(value)


def describe_data(schema: dict[str, Any], data: Mapping[str, Any]) -> list[DataItem]:
    """The answers of ``data`` in the form's order, with titles; unknown keys at the end."""
    props = schema.get("properties") or {}
    items: list[DataItem] = []
    for name, prop in props.items():
        if name not in data:
            continue
        value = data[name]
        if prop.get("type") == "array" and isinstance(value, list):
            sub_props = (prop.get("items") or {}).get("properties") or {}
            rows = [
                [
                    DataItem(
                        str(sp.get("title") or sn),
                        _display(sp, row.get(sn)),
                        is_file=sp.get("format") == "file",
                    )
                    for sn, sp in sub_props.items()
                    if isinstance(row, dict) and sn in row
                ]
                for row in value
            ]
            items.append(DataItem(str(prop.get("title") or name), rows=rows))
        else:
            items.append(
                DataItem(
                    str(prop.get("title") or name),
                    _display(prop, value),
                    is_file=prop.get("format") == "file",
                )
            )
    for name, value in data.items():
        if name not in props and name != "start":
            items.append(DataItem(name, _display({}, value)))
    return items
