"""Walking a real ficha of ``procedures/`` through the public API v1, path by path.

The flow tests (``test_flow_<code>.py``) publish one ficha exactly as ``mapro procedures
publish`` would (the ficha and the inventory copied to a directory of their own, then
``do_publish_procedures``), and drive it only through ``/api/v1/``: start an instance, find the
open task of each activity, prove that users holding a wrong role get 403 completing it, then
complete it as a user holding one of its roles. After each step the walk asserts exactly which
activities are open; at the end, that the instance is completed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from mapro.core.testing import ensure_unit, make_user, seed_once
from mapro.procedures.ficha.loader import INVENTORY_FILE
from mapro.procedures.models import ProcedureVersion
from mapro.procedures.publishing import do_publish_procedures

API = "/api/v1"


def inbox_tasks(client: APIClient) -> list[dict[str, Any]]:
    """Every open task of ``GET /api/v1/tasks/``, following its ``Link: rel="next"`` pages."""
    tasks: list[dict[str, Any]] = []
    url: str | None = f"{API}/tasks/"
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.content
        tasks += response.json()
        link = response.headers.get("Link", "")
        url = link[1 : link.index(">")] if 'rel="next"' in link else None
    return tasks


def publish_ficha(code: str) -> ProcedureVersion:
    """Validate and publish ``procedures/<code>.yaml`` alone, through the publishing action.

    The first call in a process publishes; later ones on a clean database copy the rows it
    wrote (``seed_once``), as ``publish_all`` does.
    """

    def publish() -> int:
        source = Path(settings.BASE_DIR) / "procedures"
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(source / INVENTORY_FILE, Path(tmp) / INVENTORY_FILE)
            shutil.copy(source / f"{code}.yaml", Path(tmp) / f"{code}.yaml")
            created = do_publish_procedures(tmp, actor=None)
        assert [v.procedure.code for v in created] == [code]
        return created[0].pk

    return ProcedureVersion.objects.get(pk=seed_once(f"procedures.publish:{code}", publish))


def publish_all() -> None:
    """Publish every ficha of ``procedures/`` as ``mapro procedures publish`` does (idempotent).

    Publishing the 23 fichas writes 23 versions with their compiled BPMN and audit events: about
    a second a test. The first call in a process runs the action; later calls on a database
    where nothing is published yet copy the rows it wrote (``seed_once``); anywhere else the
    action runs again (publishing what is already published changes nothing).
    """
    seed_once("procedures.publish_all", lambda: bool(do_publish_procedures(actor=None)))


def open_numbers(instance: dict[str, Any]) -> list[int]:
    """The activity numbers of an instance's open tasks (as ``/api/v1/`` answers it), sorted."""
    return sorted(task["n"] for task in instance["tasks"])


class Cast:
    """One user per role code, all in OGTIE (the unit whose instances these walks concern).

    Unit-scoped roles (``director-uo``, ``personal``) are granted on OGTIE, the unit of every
    instance started here by an OGTIE role; ``outsider(role)`` gives the same role in another
    unit.
    """

    def __init__(self) -> None:
        self.sg = ensure_unit("SG", "Secretaría General")
        self.ogtie = ensure_unit("OGTIE", "OGTIE", parent=self.sg)
        self.otra = ensure_unit("DIGEP", "Dirección de Gestión Patrimonial", parent=self.sg)
        self._users: dict[str, Any] = {}
        self._outsiders: dict[str, Any] = {}
        # (procedure, activity, instance unit, username) already refused with 403 in this test.
        self.refused: set[tuple[str, int, str | None, str]] = set()

    def __getitem__(self, role: str) -> Any:
        if role not in self._users:
            self._users[role] = make_user(role, unit=self.ogtie)
        return self._users[role]

    def ensure(self, roles: Iterable[str]) -> None:
        """Give each of ``roles`` its holder, in that order, as ``cast[role]`` would.

        On a cast that has made nobody yet, the holders are made once per process and copied
        after that (``seed_once``, keyed by the cast's class, units and roles: the same rows),
        since ``make_user`` costs about 18 statements through the organization's actions and a
        walk needs ten or more holders. Anywhere else (or when the database is not as the first
        run found it) they are made one by one, as before.
        """
        roles = list(dict.fromkeys(roles))
        if self._users or self._outsiders:
            for role in roles:
                self[role]
            return
        kind = type(self)
        units = ",".join(str(unit.pk) for unit in (self.sg, self.ogtie, self.otra))
        key = f"procedures.cast:{kind.__module__}.{kind.__qualname__}:{units}:{','.join(roles)}"

        def make() -> dict[str, int]:
            for role in roles:
                self[role]
            return {role: user.pk for role, user in self._users.items()}

        ids = seed_once(key, make)
        if not self._users:  # copied: read the holders back, in the order they were made
            found = get_user_model().objects.in_bulk(list(ids.values()))
            self._users = {role: found[pk] for role, pk in ids.items()}

    def people(self) -> list[Any]:
        """Every user of the cast so far (role holders and outsiders)."""
        return [*self._users.values(), *self._outsiders.values()]

    def outsider(self, role: str) -> Any:
        if role not in self._outsiders:
            self._outsiders[role] = make_user(role, unit=self.otra)
        return self._outsiders[role]


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class Walk:
    """One instance of a published procedure, driven through the API."""

    def __init__(
        self,
        code: str,
        cast: Cast,
        *,
        starter: str,
        start: str | None = None,
        unit: str | None = None,
    ):
        """Start as the ``starter`` role's holder; ``unit`` names the requesting unit."""
        self.code = code
        self.cast = cast
        body: dict[str, Any] = {"data": {}}
        if start is not None:
            body["start"] = start
        if unit is not None:
            body["unit"] = unit
        response = client_for(cast[starter]).post(
            f"{API}/procedures/{code}/instances/", body, format="json"
        )
        assert response.status_code == 201, response.content
        self.id: int = response.json()["id"]
        self.unit: str | None = response.json()["unit"]
        self.completed: list[int] = []
        self.last_detail: dict[str, Any] | None = None

    @classmethod
    def of(cls, code: str, cast: Cast, instance_id: int) -> Walk:
        """A walk of an instance started elsewhere (by an effect, the API of another register)."""
        walk = cls.__new__(cls)
        walk.code, walk.cast, walk.id, walk.completed = code, cast, instance_id, []
        walk.last_detail = None
        walk.unit = walk.detail()["unit"]
        return walk

    def detail(self) -> dict[str, Any]:
        # jefe-ogtie holds a global OGTIE role: sees every instance.
        response = client_for(self.cast["jefe-ogtie"]).get(f"{API}/instances/{self.id}/")
        assert response.status_code == 200, response.content
        self.last_detail = response.json()
        return self.last_detail

    def known(self) -> dict[str, Any]:
        """The instance as the walk last read it or a completion answered it (read if never).

        For callers that drive every step through the walk (``run_path``, steppers): right
        after a completion it is the instance as it now is. A test that completes or changes
        anything outside the walk reads it again (``detail``), the default of ``complete``.
        """
        return self.detail() if self.last_detail is None else self.last_detail

    def wrong_to_prove(self, n: int, wrong: Iterable[Any]) -> list[Any]:
        """The ``wrong`` users not yet refused on activity ``n`` of this procedure and unit in
        this test, now counted as refused (their requests must be 403 next).

        A loop reopens an activity with the same roles (each step still checks the task's
        role codes): whether a role may complete it was proven at its first task.
        """
        todo = []
        for user in wrong:
            key = (self.code, n, self.unit, user.username)
            if key not in self.cast.refused:
                self.cast.refused.add(key)
                todo.append(user)
        return todo

    def open_activities(self) -> list[int]:
        return open_numbers(self.detail())

    def assert_open(self, *expected: int) -> None:
        assert self.open_activities() == sorted(expected), (
            f"{self.code}: tras {self.completed} se esperaban abiertas {sorted(expected)}"
        )

    def task_id(self, n: int, current: dict[str, Any] | None = None) -> int:
        """The open task of activity ``n`` (in ``current``, the instance as just read, if given)."""
        ids = [task["id"] for task in (current or self.detail())["tasks"] if task["n"] == n]
        assert len(ids) == 1, f"{self.code}: la actividad {n} no está abierta una sola vez"
        return int(ids[0])

    def complete(
        self,
        n: int,
        *,
        role: str,
        data: dict[str, Any],
        wrong: Iterable[Any] = (),
        roles: Iterable[str] | None = None,
        by: Any = None,
        current: dict[str, Any] | None = None,
    ) -> None:
        """Complete activity ``n`` as a ``role`` holder, after each ``wrong`` user got 403.

        With ``roles``, first assert that the task names exactly those role codes. ``by`` is
        the holder who completes it (default: the cast's holder of ``role``, in OGTIE).
        ``current`` is the instance as the caller just read it (saves reading it again; e.g.
        ``known()``). A ``wrong`` user already refused on this activity (same procedure and
        unit) in this test is not asked again (``wrong_to_prove``).
        """
        current = current or self.detail()
        task = self.task_id(n, current)
        url = f"{API}/tasks/{task}/complete/"
        if roles is not None:  # the instance's task rows carry the task's roles
            shown = next(row for row in current["tasks"] if row["id"] == task)
            assert shown["roles"] == list(roles)
        for user in self.wrong_to_prove(n, wrong):
            response = client_for(user).post(url, {"data": data}, format="json")
            assert response.status_code == 403, (
                f"{self.code} actividad {n}: {user.username} debía recibir 403, "
                f"recibió {response.status_code} {response.content!r}"
            )
        # No read here that a 403 left the task open: the 200 below proves it (a closed task
        # answers 409), and reading the instance after every refusal doubled a walk's cost.
        user = self.cast[role] if by is None else by
        assert task in {t["id"] for t in inbox_tasks(client_for(user))}, (
            f"{self.code}: la actividad {n} no está en la bandeja de {role}"
        )
        response = client_for(user).post(url, {"data": data}, format="json")
        assert response.status_code == 200, (
            f"{self.code} actividad {n} ({role}): {response.status_code} {response.content!r}"
        )
        # The completion answers with the instance as it now is (its open tasks and history):
        # the next check reads that instead of asking again.
        self.last_detail = response.json()
        self.completed.append(n)

    def complete_each(
        self,
        n: int,
        *,
        data: dict[str, Any],
        wrong: Iterable[Any] = (),
        current: dict[str, Any] | None = None,
    ) -> None:
        """Complete every task of multi-instance activity ``n`` (one per role holder), each as
        the person it is assigned to, after each ``wrong`` user got 403 on it; the activity
        stays open until the last one. ``current`` as in ``complete``."""
        tasks = [task for task in (current or self.detail())["tasks"] if task["n"] == n]
        assert tasks and all(task["item"] for task in tasks), f"{self.code}: {n} no es múltiple"
        people = {user.username: user for user in self.cast.people()}
        wrong = list(wrong)
        for i, task in enumerate(tasks):
            # The instance as read above, then as each completion answered it.
            assert self.last_detail is not None
            assert open_numbers(self.last_detail).count(n) == len(tasks) - i
            url = f"{API}/tasks/{task['id']}/complete/"
            # Each item's task is refused to the wrong users once per activity (the items
            # differ only in the person they are assigned to, who is never a wrong user).
            for user in self.wrong_to_prove(n, wrong):
                response = client_for(user).post(url, {"data": data}, format="json")
                assert response.status_code == 403, (user.username, response.content)
            user = people[task["item"]["user"]]
            assert task["id"] in {t["id"] for t in inbox_tasks(client_for(user))}
            response = client_for(user).post(url, {"data": data}, format="json")
            assert response.status_code == 200, (
                f"{self.code} actividad {n} ({user.username}): {response.status_code} "
                f"{response.content!r}"
            )
            self.last_detail = response.json()
            self.completed.append(n)

    def task_id_set(self) -> set[int]:
        return {int(task["id"]) for task in self.detail()["tasks"]}

    def assert_completed(self, path: list[int]) -> None:
        detail = self.detail()
        assert detail["status"] == "completed", detail["status"]
        assert detail["tasks"] == []
        assert [step["n"] for step in detail["history"]] == path


@dataclass(frozen=True)
class Act:
    """How to complete one activity in the walks: its roles, wrong roles, valid form data."""

    roles: tuple[str, ...]
    wrong: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)


#: A step of a path: (activity, extra form data such as the decision answer, open afterwards).
Step = tuple[int, dict[str, Any], list[int]]


def run_path(
    code: str,
    cast: Cast,
    acts: dict[int, Act],
    path: list[Step],
    *,
    first: list[int],
    rotate: int = 0,
    start: str | None = None,
) -> Walk:
    """Walk ``path`` from the start and assert the instance ends completed.

    The starter and each completer is a holder of one of the activity's roles (``rotate``
    picks which, so that different paths exercise different holders). At every activity the
    ``wrong`` roles of ``acts`` get 403 before the right one completes it.
    """
    # Every role has its holder before any task is opened.
    cast.ensure(role for act in acts.values() for role in act.roles)
    starter = acts[first[0]].roles[rotate % len(acts[first[0]].roles)]
    walk = Walk(code, cast, starter=starter, start=start)
    walk.assert_open(*first)
    for n, extra, open_after in path:
        act = acts[n]
        # The instance as the previous step's check read it (nothing changed it since).
        tasks = [task for task in walk.known()["tasks"] if task["n"] == n]
        if any(task["item"] for task in tasks):  # one task per role holder: each answers
            walk.complete_each(
                n,
                data={**act.data, **extra},
                wrong=[cast[r] for r in act.wrong],
                current=walk.known(),
            )
        else:
            walk.complete(
                n,
                role=act.roles[rotate % len(act.roles)],
                roles=act.roles,
                data={**act.data, **extra},
                wrong=[cast[r] for r in act.wrong],
                current=walk.known(),
            )
        # The instance as the completion answered it (the same serializer as GET /instances/).
        assert sorted(set(open_numbers(walk.known()))) == sorted(open_after), (
            f"{code}: tras {walk.completed} se esperaban abiertas {sorted(open_after)}"
        )
    walk.assert_completed(walk.completed)
    return walk
