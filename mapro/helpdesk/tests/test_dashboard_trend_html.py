"""The dashboard's trend rows drawn in Python (``views.dashboard.trend_rows_html``, issue #15)
are what the template loop drew: the loop is kept here as the reference, compared byte for
byte over two weeks (every weekday's Spanish abbreviation), zeros and full bars."""

from __future__ import annotations

import datetime

from django.template import engines

from mapro.helpdesk.dashboard import Day
from mapro.helpdesk.views.dashboard import trend_rows_html

REFERENCE = """{% for d in days %}
    <tr><td>{{ d.day|date:"D d/m/Y" }}</td><td class="text-end">{{ d.created }}</td><td class="text-end">{{ d.closed }}</td><td><div class="hd-bar hd-bar-created" style="width: {{ d.created_share }}%"></div><div class="hd-bar hd-bar-closed" style="width: {{ d.closed_share }}%"></div></td></tr>
    {% endfor %}"""  # noqa: E501


def test_trend_rows_are_the_template_loop_byte_for_byte():
    first = datetime.date(2026, 2, 23)
    days = [
        Day(first + datetime.timedelta(days=i), i * 7, 14 - i, round(100 * i / 13), i % 3 * 50)
        for i in range(14)
    ]
    days.append(Day(datetime.date(2025, 12, 31), 12345, 0, 100, 0))
    expected = engines["django"].from_string(REFERENCE).render({"days": days})
    got = "".join(trend_rows_html(days))
    assert got == expected
    # Django's Spanish names, not Python's locale.
    assert "mié 25/02/2026" in got and "sáb 28/02/2026" in got


def test_no_days_no_rows():
    assert trend_rows_html([]) == []
