"""A worker killed in the middle of a batch of directory operations: each is applied once.

The worker is a real process (``mapro directory apply``) against the test database and the test
slapd, paused between operations so the kill lands mid-batch; SIGKILL leaves its claimed rows
"applying". Once their lease is over (made so here) the next worker claims them again and the
connector's read-before-write recognises what the dead one had already written. The slapd log
(``MAPRO_TEST_LDAP_LOG``, every operation at loglevel stats) proves that each entry was added
once and each group was modified once per member.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from mapro.directory.actions import enqueue_operation
from mapro.directory.choices import Operation, OperationStatus
from mapro.directory.delivery import apply_due_operations
from mapro.directory.models import DirectoryOperation

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

USERS = [f"lote{i:02d}" for i in range(8)]


def _worker_env(settings: Any) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "MAPRO_LDAP_URL": settings.DIRECTORY_URL,
        "MAPRO_LDAP_BIND_DN": settings.DIRECTORY_BIND_DN,
        "MAPRO_LDAP_BIND_PASSWORD": settings.DIRECTORY_BIND_PASSWORD,
        "MAPRO_LDAP_USERS_DN": settings.DIRECTORY_USERS_DN,
        "MAPRO_LDAP_SEARCH_DN": settings.DIRECTORY_SEARCH_DN,
        "MAPRO_LDAP_GROUPS_DN": settings.DIRECTORY_GROUPS_DN,
        "MAPRO_LDAP_PAUSE_BETWEEN": "0.4",
    }


def test_a_killed_worker_applies_each_operation_exactly_once(
    ldap_directory: Any, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("el worker de otro proceso necesita una base compartida (PostgreSQL)")
    with transaction.atomic():
        for i, name in enumerate(USERS):
            enqueue_operation(
                Operation.CREATE_USER,
                name,
                key=f"crash:{name}:create",
                attributes={"sn": name, "employeeNumber": f"{50000000 + i}"},
            )
            enqueue_operation(
                Operation.ADD_GROUPS, name, key=f"crash:{name}:vpn", groups=["VPN-Usuarios"]
            )
    log = os.environ.get("MAPRO_TEST_LDAP_LOG")
    log_start = Path(log).stat().st_size if log else 0
    worker = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, str(Path(django_settings.BASE_DIR) / "manage.py"), "directory", "apply"],
        env=_worker_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while DirectoryOperation.objects.filter(status=OperationStatus.DONE).count() < 5:
        assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
        assert time.monotonic() < deadline, "el worker no avanzó"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)

    stranded = DirectoryOperation.objects.filter(status=OperationStatus.APPLYING)
    assert stranded.exists(), "the kill left claimed operations behind"
    assert DirectoryOperation.objects.exclude(status=OperationStatus.DONE).count() > 0
    stranded.update(next_attempt_at=timezone.now())  # their lease is over
    apply_due_operations()

    ops = DirectoryOperation.objects.all()
    assert {o.status for o in ops} == {OperationStatus.DONE}
    members = {m.lower() for m in ldap_directory.members("VPN-Usuarios")}
    assert members == {f"cn={u},{ldap_directory.users_dn}".lower() for u in USERS}
    if log:
        time.sleep(0.2)  # slapd writes its log line after answering
        with open(log, encoding="utf-8", errors="replace") as handle:
            handle.seek(log_start)
            text = handle.read()
        for name in USERS:
            dn = f"CN={name},{ldap_directory.users_dn}"
            adds = re.findall(rf'ADD dn="{re.escape(dn)}"', text, flags=re.IGNORECASE)
            assert len(adds) == 1, (name, len(adds))
        group = f"cn=VPN-Usuarios,{ldap_directory.groups_dn}"
        mods = re.findall(rf'MOD dn="{re.escape(group)}"', text, flags=re.IGNORECASE)
        assert len(mods) == len(USERS)
