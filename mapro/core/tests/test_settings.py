"""Settings from the environment: production variables pass Django's deployment checks."""

import json
import os
import subprocess
import sys

PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "-production-secret-that-is-long-and-random-9f8e7d6c5b4a",
    "HTTPS": "1",
    "ALLOWED_HOSTS": "mapro.mindef.gob.pe",
    "DEBUG": "0",
    "MAPRO_SECRETS_KEYS": "s" * 20
    + "-clave-de-secretos-nueva,"
    + "t" * 20
    + "-clave-de-secretos-antigua",
}


def run_check(extra: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    env.pop("MAPRO_SECRETS_KEY_FILE", None)
    env.update({"MAPRO_VAR_DIR": str(tmp_path), **extra})
    return subprocess.run(
        [sys.executable, "-m", "mapro.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_variables_pass_deploy_check(tmp_path):
    result = run_check(PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr


def test_without_https_the_deploy_check_fails(tmp_path):
    result = run_check({**PRODUCTION, "HTTPS": "0"}, tmp_path)
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr or "security.W004" in result.stderr


def test_without_a_secrets_key_the_deploy_check_warns_and_a_short_one_is_an_error(tmp_path):
    unset = {k: v for k, v in PRODUCTION.items() if k != "MAPRO_SECRETS_KEYS"}
    result = run_check(unset, tmp_path)
    assert result.returncode != 0 and "iam.W001" in result.stderr
    result = run_check({**PRODUCTION, "MAPRO_SECRETS_KEYS": "corta"}, tmp_path)
    assert result.returncode != 0 and "iam.E001" in result.stderr
    keyfile = tmp_path / "keys"
    keyfile.write_text("k" * 40 + "\n")
    assert run_check({**unset, "MAPRO_SECRETS_KEY_FILE": str(keyfile)}, tmp_path).returncode == 0


def test_secret_key_is_generated_once_outside_git(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["MAPRO_VAR_DIR"] = str(tmp_path)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    cmd = [
        sys.executable,
        "-c",
        f"import django, os; os.environ.setdefault("
        f"'DJANGO_SETTINGS_MODULE','mapro.settings'); django.setup(); {code}",
    ]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) > 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_passwords_are_hashed_with_argon2_in_the_product():
    # Tests swap in a fast hasher (conftest.py); the product's own setting must stay Argon2.
    from mapro import settings as product_settings

    assert product_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def database_settings(extra: dict[str, str], tmp_path) -> list[object]:
    skip = ("DB_PREPARE_THRESHOLD", "CONN_MAX_AGE")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update({"MAPRO_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "mapro.settings"})
    env.update(extra)
    code = (
        "import json; from django.conf import settings; d = settings.DATABASES['default']; "
        "o = d.get('OPTIONS', {}); print(json.dumps([o.get('server_side_binding'), "
        "o.get('prepare_threshold'), d['CONN_MAX_AGE'], d.get('CONN_HEALTH_CHECKS')]))"
    )
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def test_postgresql_binds_on_the_server_prepares_and_keeps_connections(tmp_path):
    url = {"DATABASE_URL": "postgres://u:p@127.0.0.1:5432/mapro"}
    assert database_settings(url, tmp_path) == [True, 5, 300, True]
    off = database_settings({**url, "DB_PREPARE_THRESHOLD": "0", "CONN_MAX_AGE": "0"}, tmp_path)
    assert off == [True, None, 0, True]
    sqlite = database_settings({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, tmp_path)
    assert sqlite[0] is None and sqlite[2] == 0


def _fresh_install_env(var_dir, **extra: str) -> dict[str, str]:
    skip = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in skip and "SECRETS_KEY" not in k}
    env.update({"MAPRO_VAR_DIR": str(var_dir), "SECRET_KEY": PRODUCTION["SECRET_KEY"]})
    env.update({"MAPRO_SECRETS_KEYS": PRODUCTION["MAPRO_SECRETS_KEYS"], **extra})
    return env


def test_a_fresh_install_with_its_own_key_migrates_without_a_var_directory(tmp_path):
    """docs/deploy.md: set SECRET_KEY, run ``mapro migrate``. var/ does not exist yet; the
    embedded SQLite database and Huey queue need it (issue 11, item 8)."""
    var_dir = tmp_path / "var"
    result = subprocess.run(
        [sys.executable, "-m", "mapro.cli", "migrate", "contenttypes", "--no-input"],
        env=_fresh_install_env(var_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert {p.name for p in var_dir.iterdir()} >= {"mapro.sqlite3", "huey.sqlite3"}
    assert not (var_dir / "secret_key").exists()  # the key came from the environment
    assert not (var_dir / "secrets_key").exists()


def test_a_deployment_with_its_own_database_and_queue_writes_nothing_to_var(tmp_path):
    var_dir = tmp_path / "var"
    env = _fresh_install_env(
        var_dir,
        DATABASE_URL="postgres://mapro@127.0.0.1:1/nada",
        REDIS_URL="redis://127.0.0.1:1/0",
        DJANGO_SETTINGS_MODULE="mapro.settings",
    )
    code = "from django.conf import settings; print(settings.HUEY['huey_class'])"
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "mapro.core.queue.RedisHuey"
    assert not var_dir.exists()
