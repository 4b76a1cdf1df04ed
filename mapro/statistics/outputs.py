"""Tables and charts, defined once (``StatTable``) and rendered everywhere.

``table_data`` sums a measure of the consolidated rows by a row dimension (and a column
dimension), for the periods starting with a prefix ("2026" → every period of 2026);
``chart_spec`` is the chart as a Vega-Lite specification built with Altair; ``chart_svg`` is
it rendered for the web (inline SVG: no script, the CSP stays strict) and ``chart_png`` for
print (the publication's PDF and XLSX), both by vl-convert from the same specification.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .models import ConsolidatedRow, StatTable

#: Dimensions that are not schema fields: the organ that reported, and the period.
ORGAN, PERIOD = "organo", "periodo"
TOTAL = "Total"


@dataclass
class TableData:
    title: str
    row_title: str
    columns: list[str]
    rows: list[tuple[str, list[float]]] = field(default_factory=list)
    note: str = ""

    def records(self) -> list[dict[str, Any]]:
        """Long form (one record per cell): what the chart reads. The total column is left
        out when the table is split by columns (the chart shows the parts)."""
        split = self.columns != [TOTAL]
        return [
            {"fila": label, "columna": col, "valor": value}
            for label, values in self.rows
            for col, value in zip(self.columns, values, strict=True)
            if not (split and col == TOTAL)
        ]


def _title_of(table: StatTable, name: str) -> str:
    if name == ORGAN:
        return "Órgano"
    if name == PERIOD:
        return "Periodo"
    for f in table.dataset.schema.get("fields", []):
        if f["name"] == name:
            return str(f.get("title") or name)
    return name


def _dimension(row: ConsolidatedRow | dict[str, Any], name: str) -> str:
    if isinstance(row, dict):
        return str(row.get(name, ""))
    if name == ORGAN:
        return row.organization.code
    if name == PERIOD:
        return row.period
    value = row.values.get(name)
    return "" if value is None else str(value)


def table_data(table: StatTable, period_prefix: str) -> TableData:
    """The table's cells for the periods starting with ``period_prefix``."""
    rows = ConsolidatedRow.objects.filter(
        dataset=table.dataset, period__startswith=period_prefix
    ).select_related("organization")
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    columns: set[str] = set()
    for row in rows.iterator(chunk_size=5000):
        label = _dimension(row, table.row_field)
        col = _dimension(row, table.column_field) if table.column_field else TOTAL
        value = row.values.get(table.measure) or 0
        sums[label][col] += value
        columns.add(col)
    ordered = sorted(columns - {TOTAL})
    if table.column_field:
        ordered.append(TOTAL)
    else:
        ordered = [TOTAL]
    data = TableData(
        title=table.title,
        row_title=_title_of(table, table.row_field),
        columns=ordered,
        note=table.note,
    )
    for label in sorted(sums):
        values = [sums[label].get(c, 0.0) for c in ordered if c != TOTAL]
        total = sum(sums[label].values())
        data.rows.append((label, [*values, total] if table.column_field else [total]))
    return data


def chart_spec(table: StatTable, data: TableData) -> dict[str, Any]:
    """The Vega-Lite specification of the table's chart (Altair), data inlined."""
    # Imported here: Altair (and narwhals, jsonschema's Vega-Lite schema) weighs ~40 MB in
    # every web worker that loaded it, for the few pages that draw a chart (issue #15).
    import altair as alt

    records = data.records() or [{"fila": "", "columna": TOTAL, "valor": 0}]
    base = alt.Chart(alt.Data(values=records)).properties(title=data.title, width=520, height=260)
    x = alt.X("fila:N", title=data.row_title, sort=None)
    measure = _title_of(table, table.measure)
    y = alt.Y("valor:Q", title=measure)
    color = (
        alt.Color("columna:N", title=_title_of(table, table.column_field or ""))
        if (table.column_field)
        else alt.value("#1f4e79")
    )
    if table.chart == "lineas":
        chart = base.mark_line(point=True).encode(x=x, y=y, color=color)
    elif table.chart == "apiladas":
        chart = base.mark_bar().encode(x=x, y=alt.Y("sum(valor):Q", title=measure), color=color)
    else:
        extra = {"xOffset": alt.XOffset("columna:N")} if table.column_field else {}
        chart = base.mark_bar().encode(x=x, y=y, color=color, **extra)
    return chart.to_dict()


def chart_svg(spec: dict[str, Any]) -> str:
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(spec))


def chart_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(spec, scale=scale))


def format_number(value: float) -> str:
    """A figure as printed in Peru's statistics: thousands with spaces, decimals with comma."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")
