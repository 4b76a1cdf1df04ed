"""Every audit action the code records has a Spanish label, and the pages show it (not the code)
with dates as on every other page (dd/mm/aaaa hh:mm, Lima time)."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

import mapro
from mapro.audit.labels import ACTION_LABELS, action_label, object_type_label

from .helpers import add_event

ROOT = Path(mapro.__file__).parent


def _recorded_actions() -> dict[str, str]:
    """Every action a ``record_event(action=...)`` of the code can record → where it is.

    A literal, both branches of ``a if cond else b``, a module-level constant, and an f-string
    as a pattern (``task.deadline_{kind}`` → ``task\\.deadline_.+``, matched against the labels).
    """
    found: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "record_event":
                continue
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            args = {k.arg: k.value for k in node.keywords}
            if "action" not in args:
                continue  # record_event(**kwargs) passes it through; its caller is scanned
            todo = [args["action"]]
            while todo:
                value = todo.pop()
                if isinstance(value, ast.Constant):
                    found[str(value.value)] = where
                elif isinstance(value, ast.IfExp):
                    todo += [value.body, value.orelse]
                elif isinstance(value, ast.Name) and value.id in constants:
                    found[str(constants[value.id])] = where
                elif isinstance(value, ast.JoinedStr):
                    pattern = "".join(
                        re.escape(part.value) if isinstance(part, ast.Constant) else ".+"
                        for part in value.values
                    )
                    found[f"re:{pattern}"] = where
                else:
                    pytest.fail(f"{where}: action {ast.unparse(value)} cannot be read")
    return found


def test_the_scan_finds_the_actions_it_should():
    actions = _recorded_actions()
    assert len(actions) > 80
    assert {"session.login", "task.complete", "leaver_event.refuse", "document.draft"} <= set(
        actions
    )
    assert r"re:task\.deadline_.+" in actions


def test_every_recorded_action_has_a_spanish_label():
    missing = []
    for action, where in _recorded_actions().items():
        if action.startswith("re:"):
            if not any(re.fullmatch(action[3:], known) for known in ACTION_LABELS):
                missing.append((action, where))
        elif action not in ACTION_LABELS:
            missing.append((action, where))
    assert missing == [], "add them to mapro/audit/labels.py"


def test_labels_are_spanish_sentences_not_codes():
    for action, label in ACTION_LABELS.items():
        assert label[0].isupper(), action
        assert "_" not in label and "." not in label, action


def test_an_unknown_action_shows_its_code_and_object_types_their_model_name():
    assert action_label("session.login") == "Inicio de sesión"
    assert action_label("registro.importar") == "registro.importar"
    assert object_type_label("helpdesk.ticket") == "Ticket"
    assert object_type_label("nada.nada") == "nada.nada"
    assert object_type_label("") == ""


@pytest.mark.django_db
def test_the_audit_pages_show_labels_and_dates_as_elsewhere(client, make_user):
    lima = ZoneInfo("America/Lima")
    with time_machine.travel(datetime.datetime(2026, 3, 4, 9, 5, 7, tzinfo=lima), tick=False):
        event = add_event(action="task.complete", object_type="helpdesk.ticket", object_id="7")
    client.force_login(make_user("esp-seguridad-info"))
    html = client.get(reverse("audit:event_list")).content.decode()
    assert "Tarea completada" in html
    assert "<code>task.complete</code>" not in html
    assert "04/03/2026 09:05" in html
    assert "2026-03-04 09:05" not in html
    assert "Ticket #7" in html
    detail = client.get(reverse("audit:event_detail", args=[event.pk])).content.decode()
    assert f"Evento {event.pk}: Tarea completada" in detail
    assert "04/03/2026 09:05:07" in detail
