"""The return targets a task offers without parsing the workflow equal the engine's own.

``rewind.return_options`` (the API's ``return_targets`` and the task page's "Devolver" panel)
reads the numbers stored on the item when it opened (``WorkItem.return_to``);
``rewind.return_targets`` walks the task tree of the loaded workflow. Walking several fichas —
a parallel split and its join, a loop run several times, multi-instance activities, and returns
that reset the workflow — every open item must offer the same activities both ways.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.exceptions import InvalidInput
from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.actions import do_complete_task, do_start_instance, form_schema_for
from mapro.procedures.engine import runner
from mapro.procedures.exceptions import EngineError
from mapro.procedures.ficha.samples import sample_form_data
from mapro.procedures.models import Instance, WorkItem, WorkItemState
from mapro.procedures.rewind import do_return_task, return_options, return_targets
from mapro.procedures.testing import publish_ficha

from .runtime_helpers import fresh

pytestmark = pytest.mark.django_db

T01_ROLES = (
    "personal",
    "operador-mesa",
    "jefe-ogtie",
    "coord-innovacion",
    "coord-infraestructura",
    "director-uo",
)


def _open(instance_pk: int) -> list[WorkItem]:
    return list(
        WorkItem.objects.select_related("instance__procedure_version")
        .filter(instance_id=instance_pk, state=WorkItemState.OPEN)
        .order_by("n", "id")
    )


class Walk:
    """Complete the open items of one instance, rotating among them, comparing as it goes."""

    def __init__(self, user: Any, instance: Instance, choices: dict[int, dict[str, str]]):
        self.user, self.instance, self.choices = user, instance, choices
        self.compared = 0
        self.most_open = 0
        self.non_empty = 0

    def compare(self) -> list[WorkItem]:
        items = _open(self.instance.pk)
        self.most_open = max(self.most_open, len(items))
        for item in items:
            assert item.return_to is not None, f"activity {item.n} opened without return_to"
            offered = [(o.n, o.name) for o in return_options(item)]
            engine = [(t.n, t.name) for t in return_targets(item)]
            assert offered == engine, f"activity {item.n}: {offered} != {engine}"
            self.compared += 1
            self.non_empty += bool(offered)
        return items

    def step(self, turn: int) -> bool:
        """Complete one open item (the turn-th, rotating); False when none can be completed."""
        items = self.compare()
        ficha = self.instance.procedure_version.ficha
        for k in range(len(items)):
            item = items[(turn + k) % len(items)]
            data = sample_form_data(form_schema_for(ficha, item.n), self.choices.get(item.n))
            try:
                do_complete_task(item.pk, data, actor=fresh(self.user))
            except (InvalidInput, EngineError):  # the sample data does not fit: try another
                continue
            return True
        return False

    def go_back(self) -> bool:
        """Return the latest open item to its earliest target (a reset of the workflow)."""
        for item in reversed(self.compare()):
            if item.return_to:
                do_return_task(item.pk, item.return_to[0], "Dato equivocado", actor=self.user)
                return True
        return False


def _walk(code: str, choices: dict[int, dict[str, str]], steps: int, back_at: int) -> Walk:
    version = publish_ficha(code)
    ficha = version.ficha
    roles = sorted({r for act in ficha["activities"] for r in act.get("roles", [])})
    user = make_user(roles=tuple(roles), unit=ensure_unit("OGTIE", "OGTIE"))
    instance = do_start_instance(
        code, start=ficha["starts"][0]["key"], data={}, unit=None, actor=fresh(user)
    )
    walk = Walk(user, Instance.objects.get(pk=instance.pk), choices)
    for turn in range(steps):
        if turn == back_at:
            walk.go_back()
        elif not walk.step(turn):
            break
    walk.compare()
    return walk


@pytest.mark.parametrize(
    ("code", "choices", "steps", "parallel"),
    [
        # The loop 4 → 5 → 10 ("observaciones") → 4, run several times.
        (
            "S04.01.00.03",
            {5: {"evento_inesperado": "no"}, 10: {"aceptacion": "observaciones"}},
            16,
            1,
        ),
        # Multi-instance activities (3 and 8) around a parallel split (6 ∥ 7).
        ("S04.02.00.03", {}, 16, 2),
    ],
)
def test_stored_return_targets_equal_the_engines_over_real_fichas(code, choices, steps, parallel):
    walk = _walk(code, choices, steps=steps, back_at=steps - 5)
    assert walk.compared >= 8, walk.compared
    assert walk.non_empty >= 4
    assert walk.most_open >= parallel


def test_stored_return_targets_equal_the_engines_across_a_parallel_join(people, t01):
    """T.01: 1 → 2 → 3 → (4 ∥ 5) → 6; a branch offers only its own path, 6 the join's."""
    user = make_user(roles=T01_ROLES)
    instance = do_start_instance("T.01", start="solicitud", data={}, actor=fresh(user))
    walk = Walk(user, Instance.objects.get(pk=instance.pk), {2: {"procede": "si"}})
    seen: dict[int, list[int]] = {}
    for turn in range(8):
        for item in walk.compare():
            seen[item.n] = list(item.return_to)
        if not walk.step(turn):
            break
    assert walk.most_open == 2
    assert seen[4] == [1, 2, 3] and seen[5] == [1, 2, 3]
    assert seen[6][:3] == [1, 2, 3] and len(set(seen[6]) & {4, 5}) == 1  # one branch's path


def test_the_api_and_the_page_offer_the_stored_targets_without_parsing_the_state(
    people, t01, client, monkeypatch
):
    """``GET /api/v1/tasks/{id}/`` and the "Devolver" fragment name the targets from the item;
    the workflow is never loaded (the loader would fail the test)."""
    user = make_user(roles=T01_ROLES)
    instance = do_start_instance("T.01", start="solicitud", data={}, actor=fresh(user))
    walk = Walk(user, Instance.objects.get(pk=instance.pk), {2: {"procede": "si"}})
    for turn in range(3):
        assert walk.step(turn)
    item = _open(instance.pk)[0]
    expected = [{"n": t.n, "name": t.name} for t in return_targets(item)]
    assert [t["n"] for t in expected] == [1, 2, 3]

    def no_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the workflow state was parsed")

    monkeypatch.setattr(runner, "load_workflow", no_parsing)
    client.force_login(user)
    response = client.get(f"/api/v1/tasks/{item.pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["return_targets"] == expected
    page = client.get(f"/tareas/{item.pk}/devolver/actividades/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    html = page.content.decode()
    for target in expected:
        assert f'<option value="{target["n"]}"' in html and target["name"] in html
