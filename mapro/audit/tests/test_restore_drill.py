"""The restore drill (issue 13, fault tests): a backup restored into a new database is whole.

``pg_dump`` of the test database, restored with ``pg_restore`` into a new database: every table
has the same number of rows, and ``mapro audit verify``, run in its own process against the copy,
finds the chain intact and matching the signed checkpoint written before the dump (so a backup
cut short or rewritten would be caught, not only a broken link). docs/deploy.md describes the
same drill for operators.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from mapro.audit.checkpoints import write_checkpoint
from mapro.core.testing import make_user

from .helpers import add_events, postgres_only

pytestmark = [*postgres_only, pytest.mark.django_db(transaction=True)]
PG_DUMP = shutil.which("pg_dump") or "pg_dump"
PG_RESTORE = shutil.which("pg_restore") or "pg_restore"


def _url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _counts(conninfo: str, tables: list[str]) -> dict[str, int]:
    with psycopg.connect(conninfo) as raw:
        return {
            table: raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump no está instalado")
def test_a_restored_backup_has_every_row_and_an_intact_verified_chain(settings, tmp_path: Path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    make_user("jefe-ogtie")
    make_user("personal")
    add_events(5)
    assert write_checkpoint() is not None

    source = connection.settings_dict["NAME"]
    target = f"{source[:50]}_restaurada"
    dump = tmp_path / "respaldo.dump"
    env = {**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""}
    subprocess.run(  # noqa: S603 - our own arguments
        [PG_DUMP, "--format=custom", "--no-owner", "--file", str(dump), "--dbname", _url(source)],
        env=env,
        check=True,
        timeout=120,
    )
    with psycopg.connect(_url("postgres"), autocommit=True) as raw:
        raw.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        raw.execute(f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(  # noqa: S603 - our own arguments
            [PG_RESTORE, "--no-owner", "--exit-on-error", "--dbname", _url(target), str(dump)],
            env=env,
            check=True,
            timeout=120,
        )
        tables = connection.introspection.table_names()
        assert _counts(_url(target), tables) == _counts(_url(source), tables)

        verified = subprocess.run(
            [sys.executable, "-m", "mapro.cli", "audit", "verify"],
            env={
                **env,
                "DATABASE_URL": _url(target),
                "AUDIT_CHECKPOINT_FILE": str(settings.AUDIT_CHECKPOINT_FILE),
                "SECRET_KEY": settings.SECRET_KEY,
                "AUDIT_CHECKPOINT_KEY": settings.AUDIT_CHECKPOINT_KEY,
                "MAPRO_VAR_DIR": str(tmp_path / "var"),
            },
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert verified.returncode == 0, verified.stderr
        assert "Cadena de auditoría íntegra" in verified.stdout
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as raw:
            raw.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
