"""A ``{notify: …}`` to 1,000 role holders, against the same step without notifications.

Two synthetic chains of the same shape are published: ``B.01`` (no effects) and ``B.02``
(every activity ``{notify: [jefe-ogtie]}``). 1,000 active users hold jefe-ogtie, each with an
address and the default preference (each notice mailed at once). One operador-mesa completes
steps of both chains alternately, in the same run, so that both share the machine's noise;
each timed step is the whole ``do_complete_task`` (permission, form, engine, history, effects,
audit, commit). The notified step counts the 1,000 holders and stores one ``NotificationBatch``
(above ``NOTIFICATIONS_SYNC_LIMIT``); the worker writes the 1,000 notifications and their mails
afterwards (timed separately: it is not part of the step).

Target (issue 12): median(notify) / median(plain) ≤ 3.

Run: ``cd /work/main && .venv/bin/python bench/bench_notify.py [--db postgres] [--holders N]``.
"""

from __future__ import annotations

import argparse
import copy
import gc
import time
from typing import Any

import _common

ROLE = "jefe-ogtie"


def notify_ficha(length: int) -> dict[str, Any]:
    ficha = copy.deepcopy(_common.chain_ficha(length, code="B.02"))
    ficha["name"] = f"Cadena lineal de {length} pasos con avisos (benchmark)"
    for act in ficha["activities"]:
        act["effects"] = [{"notify": [ROLE]}]
    return ficha


def seed_holders(count: int) -> None:
    """``count`` users holding ROLE in OGTIE, with person and address (bulk, untimed)."""
    from django.contrib.auth import get_user_model

    from mapro.core.testing import ensure_role, ensure_unit
    from mapro.organization.models import Person, RoleAssignment

    unit = ensure_unit()
    role = ensure_role(ROLE)
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"jefe-{i:05d}", first_name="Jefe", last_name=str(i))
            for i in range(count)
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                user=user,
                first_name="Jefe",
                last_name=str(i),
                dni=f"{70_000_000 + i:08d}",
                unit=unit,
                email=f"jefe{i}@mindef.gob.pe",
            )
            for i, user in enumerate(users)
        ]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(person=person, role=role) for person in people]
    )


class Side:
    def __init__(self, code: str, user_pk: int, length: int) -> None:
        self.code = code
        self.user_pk = user_pk
        self.length = length
        self.instance: Any = None
        self.steps = 0
        self.item = 0
        self.actor: Any = None

    def _user(self) -> Any:
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(pk=self.user_pk)

    def prepare(self) -> None:
        from mapro.procedures.actions import do_start_instance
        from mapro.procedures.models import WorkItem, WorkItemState

        if self.instance is None or self.steps >= self.length:
            self.instance = do_start_instance(
                self.code, start="inicio", data={}, actor=self._user()
            )
            self.steps = 0
        self.item = (
            WorkItem.objects.filter(instance_id=self.instance.pk, state=WorkItemState.OPEN)
            .values_list("pk", flat=True)
            .get()
        )
        self.actor = self._user()

    def run(self) -> None:
        from mapro.procedures.actions import do_complete_task

        do_complete_task(self.item, {"nota": "Revisado."}, actor=self.actor)
        self.steps += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _common.add_db_argument(parser)
    parser.add_argument("--holders", type=int, default=1000)
    parser.add_argument("--iterations", type=int, default=40, help="timed steps per side")
    parser.add_argument("--length", type=int, default=10, help="activities per chain")
    args = parser.parse_args()
    env = _common.setup(args.db, args.log_level, name="notify")

    from django.conf import settings

    settings.NOTIFICATIONS_KICK_WORKER = False  # the worker's job is timed on its own below

    from mapro.core.testing import make_user
    from mapro.notifications.fanout import fan_out_notifications
    from mapro.notifications.models import Notification, NotificationBatch, OutboxMessage
    from mapro.procedures.models import EffectOutcome

    _common.publish(_common.chain_ficha(args.length, code="B.01"))
    _common.publish(notify_ficha(args.length))
    seed_holders(args.holders)
    operator = make_user("operador-mesa", username="operador-bench")
    plain, notified = Side("B.01", operator.pk, args.length), Side("B.02", operator.pk, args.length)
    times: dict[str, list[float]] = {"plain": [], "notify": []}
    for _warm in range(3):  # untimed warm-up of both paths (caches, prepared statements)
        for side in (plain, notified):
            side.prepare()
            side.run()
    gc.collect()
    gc.disable()
    try:
        for i in range(args.iterations):
            order = [("plain", plain), ("notify", notified)]
            for name, side in order if i % 2 == 0 else reversed(order):
                side.prepare()
                start = time.perf_counter()
                side.run()
                times[name].append(time.perf_counter() - start)
    finally:
        gc.enable()
    outcome = EffectOutcome.objects.filter(kind="notify").order_by("-id").first()
    per_step = outcome.detail["destinatarios"] if outcome is not None else 0
    # The worker's side for one notified step: expand its batch into 1,000 notifications and
    # write their 1,000 mails to the outbox (the earlier batches are set aside, untimed).
    newest = NotificationBatch.objects.order_by("-id").first()
    assert newest is not None
    NotificationBatch.objects.exclude(pk=newest.pk).update(expanded_at=newest.created_at)
    start = time.perf_counter()
    mailed = fan_out_notifications()
    fan_out = time.perf_counter() - start
    pending = Notification.objects.count()
    summary = {name: _common.summary_ms(values) for name, values in times.items()}
    ratio = summary["notify"]["median_ms"] / summary["plain"]["median_ms"]
    _common.print_table(
        ["side", "n", "median ms", "p95 ms", "mean ms"],
        [[name, s["n"], s["median_ms"], s["p95_ms"], s["mean_ms"]] for name, s in summary.items()],
    )
    print(f"holders: {args.holders}; notifications per notified step: {per_step}")
    print(f"ratio median(notify)/median(plain): {ratio:.2f} (target ≤ 3)")
    print(
        f"worker: {pending} notifications written, {mailed} mailed to the outbox in "
        f"{fan_out:.1f} s ({OutboxMessage.objects.count()} outbox rows)"
    )
    path = _common.write_results(
        f"notify_{env['database']}",
        {
            "environment": env,
            "holders": args.holders,
            "summary": summary,
            "ratio": round(ratio, 3),
            "notifications_per_step": per_step,
            "fan_out_seconds": round(fan_out, 2),
            "fan_out_mails": mailed,
        },
    )
    print(f"results: {path}")


if __name__ == "__main__":
    main()
