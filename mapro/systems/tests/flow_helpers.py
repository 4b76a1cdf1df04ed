"""Shared by the walks of S04.02.00.01 and S04.02.00.02 through API v1 (flow tests)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from mapro.procedures.testing import API, Cast, Walk, client_for, open_numbers
from mapro.systems.testing import sample

INFRA = ("resp-infraestructura", "resp-bd")
#: Roles that never hold a task of these procedures (and a unit's director from elsewhere).
POOL = (
    "jefe-ogtie",
    "coord-innovacion",
    "resp-analisis-sistemas",
    "analista-programador",
    "resp-calidad",
    "operador-mesa",
    "tecnico-especialista",
    "resp-infraestructura",
    "coord-infraestructura",
    "coord-ciberseguridad",
    "personal",
)


def wrong_for(cast: Cast, roles: tuple[str, ...]) -> list[Any]:
    """Two holders of roles the activity does not name (a unit's director out of the task's
    unit sees no task at all: 404, checked by the routing tests)."""
    others = [r for r in POOL if r not in roles][:2]
    return [cast[r] for r in others]


def upload(cast: Cast, system: str, name: str) -> int:
    """Upload a sample report as the programmer; its number (id)."""
    tool = "zap" if name.startswith("zap") else "sonarqube"
    response = client_for(cast["analista-programador"]).post(
        f"{API}/quality-reports/",
        {"system": system, "tool": tool, "file": SimpleUploadedFile(name, sample(name))},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


class Stepper:
    """Completes activities of one walk with the expected roles (right and wrong)."""

    def __init__(
        self, walk: Walk, roles: dict[int, tuple[str, ...]], data: dict[int, dict[str, Any]]
    ):
        self.walk, self.roles, self.data = walk, roles, data
        self.turn = 0

    def step(
        self, n: int, extra: dict[str, Any] | None = None, *, open_after: list[int] | None = None
    ) -> None:
        roles = self.roles[n]
        role = roles[self.turn % len(roles)]
        self.turn += 1
        self.walk.complete(
            n,
            role=role,
            roles=roles,
            data={**self.data.get(n, {}), **(extra or {})},
            wrong=wrong_for(self.walk.cast, roles),
            # Every step of these walks goes through the stepper: the instance as the last
            # completion answered it (a stale one would make this completion fail, not pass).
            current=self.walk.known(),
        )
        if open_after is not None:
            # The instance as the completion answered it (the serializer of GET /instances/).
            now_open = open_numbers(self.walk.known())
            assert sorted(set(now_open)) == sorted(open_after), (
                f"tras {self.walk.completed}: abiertas {now_open}"
            )

    def refuse(self, n: int, data: dict[str, Any]) -> dict[str, Any]:
        """Complete ``n`` with bad data as its first role: 400, the task stays open."""
        task = self.walk.task_id(n)
        response = client_for(self.walk.cast[self.roles[n][0]]).post(
            f"{API}/tasks/{task}/complete/",
            {"data": {**self.data.get(n, {}), **data}},
            format="json",
        )
        assert response.status_code == 400, response.content
        assert task in self.walk.task_id_set()
        return response.json()  # type: ignore[no-any-return]
