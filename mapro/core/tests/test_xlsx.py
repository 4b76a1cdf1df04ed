"""The shared XLSX export: reads back equal, escapes formulas, converts times to Lima."""

import datetime as dt

from django.utils import timezone

from mapro.core.xlsx import XLSX_CONTENT_TYPE, build_xlsx, read_xlsx, xlsx_response


def test_rows_read_back_equal_and_formulas_never_run() -> None:
    rows = [
        ["CTA-1", 3, dt.date(2026, 11, 2), None, True],
        ['=HYPERLINK("http://x")', -4.5, dt.date(2026, 1, 1), "@SUM(A1)", False],
    ]
    content = build_xlsx(["Cuenta", "N", "Fecha", "Nota", "Activa"], rows, sheet_title="Cuentas")
    headers, read = read_xlsx(content)
    assert headers == ["Cuenta", "N", "Fecha", "Nota", "Activa"]
    assert [r[0] for r in read] == ["CTA-1", '=HYPERLINK("http://x")']
    assert read[1][1] == -4.5 and read[1][3] == "@SUM(A1)" and read[0][4] is True
    assert read[0][2].date() == dt.date(2026, 11, 2)

    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(content)).worksheets[0]
    assert sheet.title == "Cuentas"
    assert sheet["A3"].data_type == "s" and sheet["A3"].value.startswith("'=")


def test_aware_times_are_written_in_lima_time() -> None:
    moment = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
    _, rows = read_xlsx(build_xlsx(["Hora"], [[moment]]))
    assert rows[0][0] == timezone.localtime(moment).replace(tzinfo=None)
    assert rows[0][0].hour == 10


def test_response_is_a_dated_attachment() -> None:
    response = xlsx_response("cuentas", ["A"], [["x"]])
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="cuentas-')
    assert disposition.endswith('.xlsx"')
    assert read_xlsx(response.content) == (["A"], [["x"]])


def test_empty_cells_at_the_end_of_a_row_read_back_as_none() -> None:
    _, rows = read_xlsx(build_xlsx(["A", "B", "C"], [["x", None, None], ["y", 1, None]]))
    assert rows == [["x", None, None], ["y", 1, None]]
