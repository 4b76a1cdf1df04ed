"""Project-wide pytest fixtures."""

import pytest

# The browser fixture for the browser tests, and the count of skipped ones.
pytest_plugins = ["mapro.core.browser_testing"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, let the throwaway test database flush the append-only audit table.

    The audit trigger (audit migration 0003) rejects TRUNCATE unless the session sets
    ``mapro.allow_audit_truncate``; transactional tests flush with TRUNCATE. The setting is made
    a default of the test database only, never of a real one.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {name} SET mapro.allow_audit_truncate = 'on'")
                cursor.execute("SET mapro.allow_audit_truncate = 'on'")


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
