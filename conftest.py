"""Project-wide pytest fixtures."""

import os
from pathlib import Path

import pytest

# The browser fixture for the browser tests, and the count of skipped ones.
pytest_plugins = [
    "mapro.core.browser_testing",
    "mapro.directory.testing",
    "mapro.helpdesk.mailin.testing",
]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise reads every file under STATIC_ROOT (a stat, headers and the .gz/.br variants
    # of each of ~330 files after `make install`'s collectstatic) when its middleware is built,
    # and Django's test client builds the middleware chain once per client: ~86 ms for each
    # ``Client()``/``APIClient()``, half the permission matrix's time. In autorefresh mode it
    # looks a /static/ path up when one is requested instead; every other request is the same.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Argon2 is deliberately slow (about 0.1-0.7 s a user here) and tests create thousands of
    # users. Production uses Argon2 (mapro/core/tests/test_settings.py checks it); tests that
    # exercise the real hasher set PASSWORD_HASHERS themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_business_calendar():
    # The business calendar caches each year in the process; a rolled-back test's exceptions
    # must not leak into the next test.
    from mapro.schedules.calendar import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()


# A test that asks for none of these (nor the django_db mark) cannot open the test database:
# pytest-django refuses it any query.
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def pytest_collection_modifyitems(config, items):
    """Mark ``one_database`` the tests whose result cannot depend on the database.

    CI runs the suite on PostgreSQL and again on SQLite (``.ci/run``); the second run leaves
    these out (``-m "not one_database"``):
    - the browser tests (Chromium against the live server: the pages' behaviour, accessibility
      and layout; the views they call have their own tests on both databases) and the
      permission matrix, which marks its module (about 1,050 requests proving which role
      reaches which URL: Python rules and the same ORM scopes the app tests run on both);
    - the tests that open no database at all: the ficha compiler, validator and layout, the
      settings, deploy and worker-import checks (their subprocesses are given the
      ``DATABASE_URL`` and ``REDIS_URL`` they test, never the leg's). On the second database
      they ran the same code on the same input a second time (about 530 tests).
    """
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "browser" in names or not (
            names & _DATABASE_FIXTURES or item.get_closest_marker("django_db")
        ):
            item.add_marker(pytest.mark.one_database)


# --- One migrated template database per run, cloned by each xdist worker -------------------
#
# Migrating costs 10-15 s of CPU per database; with every worker migrating its own, a run paid
# it once per core. The first worker to take the lock migrates a template (PostgreSQL: a
# database; SQLite: a file), and every worker clones it: ``CREATE DATABASE ... TEMPLATE`` on
# PostgreSQL (a file copy in the server, about a second), SQLite's backup API into the worker's
# in-memory database. The controller (``pytest_unconfigure``) drops the template afterwards.
# Without xdist, pytest-django's usual set-up runs (``--reuse-db`` and friends work there).

_TEMPLATE_ENV = "MAPRO_TEST_TEMPLATE_DIR"
_PREBUILT_SQLITE_ENV = "MAPRO_TEST_SQLITE_TEMPLATE"


def pytest_configure(config):
    if getattr(config, "workerinput", None) is None and config.getoption("numprocesses", None):
        import tempfile

        # Inherited by the workers, which xdist starts after this hook.
        os.environ[_TEMPLATE_ENV] = tempfile.mkdtemp(prefix="mapro-test-template-")


def pytest_unconfigure(config):
    directory = os.environ.get(_TEMPLATE_ENV)
    if getattr(config, "workerinput", None) is not None or not directory:
        return
    import shutil

    name_file = Path(directory) / "postgresql-template"
    if name_file.exists():
        _drop_postgresql_database(name_file.read_text())
    shutil.rmtree(directory, ignore_errors=True)
    del os.environ[_TEMPLATE_ENV]


def _drop_postgresql_database(name: str) -> None:
    # Straight through psycopg: the controller's Django connections are blocked by pytest-django.
    import psycopg
    from django.db import connection

    params = {**connection.get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as raw:
        raw.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def _allow_audit_truncate(connection) -> None:
    """On PostgreSQL, let the throwaway test database flush the append-only audit table.

    The audit trigger (audit migration 0003) rejects TRUNCATE unless the session sets
    ``mapro.allow_audit_truncate``; transactional tests flush with TRUNCATE. The setting is made
    a default of the test database only, never of a real one (and a clone does not inherit it).
    """
    if connection.vendor == "postgresql":
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {name} SET mapro.allow_audit_truncate = 'on'")
            cursor.execute("SET mapro.allow_audit_truncate = 'on'")


def _clone_template(worker: str, directory: Path) -> None:
    import fcntl

    from django.conf import settings
    from django.db import connection

    original = connection.settings_dict["NAME"]
    is_sqlite = connection.vendor == "sqlite"
    template = (
        str(directory / "template.sqlite3")
        if is_sqlite
        else f"test_{original}_{directory.name.rsplit('-', 1)[-1]}".lower()
    )
    # A SQLite template built ahead of the run (scripts/test_template.py; CI builds it while the
    # PostgreSQL leg runs) is cloned as it is.
    prebuilt = os.environ.get(_PREBUILT_SQLITE_ENV)
    if is_sqlite and prebuilt and Path(prebuilt).is_file():
        template = prebuilt
    with open(directory / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = directory / "built"
        if not built.exists() and template != prebuilt:
            connection.settings_dict["TEST"]["NAME"] = template
            if not is_sqlite:  # the controller drops it at the end
                (directory / "postgresql-template").write_text(template)
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            connection.close()
            built.touch()
        if is_sqlite:
            import sqlite3

            connection.settings_dict["NAME"] = f"file:memorydb_{worker}?mode=memory&cache=shared"
            connection.ensure_connection()
            source = sqlite3.connect(template)
            source.backup(connection.connection)
            source.close()
        else:
            connection.settings_dict["NAME"] = template
            connection.creation._clone_test_db(worker, verbosity=0, keepdb=False)
            connection.settings_dict.update(connection.creation.get_test_db_clone_settings(worker))
            connection.close()
    settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = connection.settings_dict["NAME"]
    _allow_audit_truncate(connection)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """The test database: cloned from the run's template under xdist, else pytest-django's."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    directory = os.environ.get(_TEMPLATE_ENV)
    workerinput = getattr(request.config, "workerinput", None)
    if directory and workerinput is not None and django_db_use_migrations:
        with django_db_blocker.unblock():
            _clone_template(workerinput["workerid"], Path(directory))
        yield
        if connection.vendor == "postgresql":
            with django_db_blocker.unblock():
                connection.close()
                _drop_postgresql_database(connection.settings_dict["NAME"])
        return

    from pytest_django.fixtures import _disable_migrations

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        db_cfg = setup_databases(verbosity=0, interactive=False, keepdb=keepdb)
        _allow_audit_truncate(connection)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            if connection.vendor == "postgresql":  # even if a thread left a session open
                name = connection.settings_dict["NAME"]
                connection.close()
                _drop_postgresql_database(name)
            else:
                teardown_databases(db_cfg, verbosity=0)


# A weekday noon in Lima, far from midnight and from the ends of the month and year.
PINNED_NOW = "2026-06-17T12:00:00-05:00"


@pytest.fixture
def pinned_clock():
    """Today is ``PINNED_NOW`` (and the clock ticks from there), whenever the test runs.

    For tests whose data is "an hour ago" or "yesterday": run just after midnight, an hour ago
    is yesterday and such a test would fail. Not for browser tests: the browser keeps the real
    clock and would drop a session cookie that expires in the server's past.
    """
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime.fromisoformat(PINNED_NOW), tick=True) as traveller:
        yield traveller
