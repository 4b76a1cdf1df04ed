"""Settings, all from environment variables with safe defaults.

The embedded default (no variables set) is a SQLite file under ``var/`` and a Huey queue in
SQLite, which is what the one-command demo runs. Production sets ``DATABASE_URL``,
``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``EMAIL_URL`` and ``HTTPS=1``.
"""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MAPRO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def var_file(name: str) -> Path:
    """A file of the embedded defaults under var/, creating the directory first.

    SQLite (the database and Huey's queue) does not create a missing directory, and a fresh
    install with only ``SECRET_KEY`` set (docs/deploy.md) has no var/ yet. Called only for the
    defaults actually in use, so a deployment with its own database and Redis never writes here.
    """
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return VAR_DIR / name


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/ (never in git)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = var_file("secret_key")
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def _secrets_keys() -> list[str]:
    """Keys that seal one-time secrets (``mapro.iam.passwords``): never in the database.

    ``MAPRO_SECRETS_KEYS`` (comma separated) or the file named by ``MAPRO_SECRETS_KEY_FILE``
    (one key a line); the first key seals, every key listed opens (rotation: docs/deploy.md).
    Without either, one key generated once into ``var/secrets_key`` (development).
    """
    listed = env_list("MAPRO_SECRETS_KEYS", [])
    if listed:
        return listed
    named = os.environ.get("MAPRO_SECRETS_KEY_FILE")
    path = Path(named) if named else var_file("secrets_key")
    if not named and not path.exists():
        path.write_text(secrets.token_urlsafe(32) + "\n")
        path.chmod(0o600)
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


DEBUG = env_bool("DEBUG", False)
#: Send ``Server-Timing`` (server and SQL time, statement count) with every response
#: (``mapro.core.middleware.ServerTimingMiddleware``; for benchmarks and profiling).
SERVER_TIMING = env_bool("SERVER_TIMING", False)
SECRET_KEY = _secret_key()
SECRETS_KEYS = _secrets_keys()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "huey.contrib.djhuey",
    "mapro.core",
    "mapro.organization",
    "mapro.accounts",
    "mapro.audit",
    "mapro.procedures",
    "mapro.notifications",
    "mapro.directory",
    "mapro.schedules",
    "mapro.helpdesk",
    "mapro.iam",
    "mapro.hr",
    "mapro.datacenter",
    "mapro.incidents",
    "mapro.knowledge",
    "mapro.assets",
    "mapro.documents",
    "mapro.sgsi",
    "mapro.inventory",
    "mapro.systems",
    "mapro.govdigital",
    "mapro.statistics",
    "mapro.operations",
]

MIDDLEWARE = [
    # First, so that it times the whole request (off unless SERVER_TIMING=1; benchmarks).
    "mapro.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mapro.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Query parameters with NUL or other invalid characters: 400 naming them (issue 13).
    "mapro.core.input_guard.InvalidQueryMiddleware",
    "mapro.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that its process_exception sees a view's exception first.
    "mapro.core.middleware.MaproErrorMiddleware",
]

ROOT_URLCONF = "mapro.urls"
WSGI_APPLICATION = "mapro.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mapro" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mapro.organization.context_processors.roles",
                "mapro.notifications.views.navbar_unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default="" if os.environ.get("DATABASE_URL") else f"sqlite:///{var_file('mapro.sqlite3')}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # PostgreSQL: parameters bound by the server, and a statement run 5 times on a connection
    # is prepared, so PostgreSQL stops planning it anew (planning a join costs more than
    # running it: docs/benchmarks.md, section 1). Prepared statements live as long as the
    # connection, hence persistent connections, checked before each request reuses them.
    # DB_PREPARE_THRESHOLD=0 turns prepared statements off (psycopg's None; its 0 means "always").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": env_int("DB_PREPARE_THRESHOLD", 5) or None,
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 300)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # huey's RedisHuey, its storage made on first use (web workers load Redis only then).
    HUEY = {
        "huey_class": "mapro.core.queue.RedisHuey",
        "name": "mapro",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    # Nothing here speaks to Redis without REDIS_URL, yet ``huey.storage`` imports the client
    # whatever the backend (~7 MB in every web worker, issue #15): a None entry makes that
    # optional import fail the way a missing package does (huey then leaves RedisHuey unusable).
    sys.modules.setdefault("redis", None)  # type: ignore[arg-type]
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "mapro",
        "filename": str(var_file("huey.sqlite3")),
        "immediate": False,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: absolute lifetime in the cookie age, idle timeout in SessionTimeoutMiddleware.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Database sessions read by compiled SQL; with Redis also kept in the cache, so that a request
# reads no session row (mapro.accounts.sessions). Never in a process's own memory: another
# worker's logout would not reach it.
SESSION_ENGINE = "mapro.accounts.cached_sessions" if REDIS_URL else "mapro.accounts.sessions"

# Login throttling (per account and per client address), see mapro.accounts.throttling.
# Growing waits, never a hard lock: free failures per account+address, then 1 s, 2 s, 4 s… up to
# LOGIN_LOCKOUT_SECONDS; an address waits past that many distinct accounts failed from it, an
# account past that many distinct addresses; failures forgotten a window after the last one.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 60 * 60)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 4 * LOGIN_MAX_FAILURES)
LOGIN_MAX_ADDRESSES_PER_ACCOUNT = env_int("LOGIN_MAX_ADDRESSES_PER_ACCOUNT", 4 * LOGIN_MAX_FAILURES)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma separated).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
AUTHENTICATION_BACKENDS = ["mapro.accounts.backends.ThrottledModelBackend"]

HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Content-Security-Policy on every response (django-csp): scripts only from this site or with
# the request's nonce (the few inline scripts carry it; no inline event handlers); styles from
# this site plus inline ones (bpmn-js and htmx inject style elements and attributes); no
# framing, plugins or foreign form targets. Attachment downloads set their own, stricter one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es-pe", "Español (Perú)")]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "mapro" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "mapro" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"


def _email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL parsed: dj-email-url's schemes, plus ``smtp+tls://`` (STARTTLS, port 587 by
    default) and ``smtp+ssl://`` (implicit TLS, 465), which docs/deploy.md uses and
    dj-email-url lacks. An unknown scheme stops startup with a message naming it."""
    scheme = url.split(":", 1)[0].lower()
    aliases = {"smtp+tls": ("submission", 587, True, False), "smtp+ssl": ("smtp", 465, False, True)}
    if scheme in aliases:
        base, port, tls, ssl = aliases[scheme]
        parsed = dj_email_url.parse(base + url[len(scheme) :])
        parsed["EMAIL_PORT"] = urlsplit(url).port or port
        parsed["EMAIL_USE_TLS"], parsed["EMAIL_USE_SSL"] = tls, ssl
        return parsed
    if scheme not in dj_email_url.SCHEMES:
        valid = ", ".join(sorted([*aliases, *dj_email_url.SCHEMES]))
        raise ImproperlyConfigured(f"EMAIL_URL: esquema {scheme!r} desconocido (válidos: {valid}).")
    return dj_email_url.parse(url)


_email = _email_settings(os.environ.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mapro@mindef.gob.pe")
# Outbox delivery (mapro.notifications.conf lists the other knobs and their defaults).
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 10)
# The directory (LDAP / Active Directory): account operations and sign-in (mapro.directory.conf;
# docs/deploy.md, "Directorio"). Empty URL: no directory, steps recorded for manual completion.
DIRECTORY_URL = os.environ.get("MAPRO_LDAP_URL", "")
DIRECTORY_BIND_DN = os.environ.get("MAPRO_LDAP_BIND_DN", "")
DIRECTORY_BIND_PASSWORD = os.environ.get("MAPRO_LDAP_BIND_PASSWORD", "")
DIRECTORY_USERS_DN = os.environ.get("MAPRO_LDAP_USERS_DN", "")
DIRECTORY_SEARCH_DN = os.environ.get("MAPRO_LDAP_SEARCH_DN", "")
DIRECTORY_GROUPS_DN = os.environ.get("MAPRO_LDAP_GROUPS_DN", "")
DIRECTORY_CA_FILE = os.environ.get("MAPRO_LDAP_CA_FILE", "")
DIRECTORY_VPN_GROUP = os.environ.get("MAPRO_LDAP_VPN_GROUP", "VPN-Usuarios")
DIRECTORY_DEFAULT_GROUPS = env_list("MAPRO_LDAP_DEFAULT_GROUPS", [])
DIRECTORY_WHEN_DOWN = os.environ.get("MAPRO_LDAP_WHEN_DOWN", "wait")
DIRECTORY_LOGIN = env_bool("MAPRO_LDAP_LOGIN", False)
DIRECTORY_LEASE = env_int("MAPRO_LDAP_LEASE", 300)
# Tests only: a pause between two operations of a batch, room for the crash test's kill.
DIRECTORY_PAUSE_BETWEEN = float(os.environ.get("MAPRO_LDAP_PAUSE_BETWEEN", "0") or 0)
if DIRECTORY_URL and DIRECTORY_LOGIN:
    # Local password first, then the directory, behind one throttle (mapro.directory.backends).
    AUTHENTICATION_BACKENDS = ["mapro.directory.backends.DirectoryBackend"]
# Mail into tickets (mapro.helpdesk.mailin): the mailboxes read over IMAP, by kind.
HELPDESK_IMAP_URLS = {
    "helpdesk": os.environ.get("MAPRO_IMAP_HELPDESK_URL", ""),
    "phishing": os.environ.get("MAPRO_IMAP_PHISHING_URL", ""),
}
HELPDESK_MAIL_CATEGORY = os.environ.get("MAPRO_MAIL_CATEGORY", "por-clasificar")
HELPDESK_MAIL_MAX_BYTES = env_int("MAPRO_MAIL_MAX_BYTES", 25 * 1024 * 1024)
# Public address of the site, for links in mail (templates get it as ``site_url``).
MAPRO_SITE_URL = os.environ.get("MAPRO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mapro.accounts.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "mapro.core.api.schema.AutoSchema",
    "NON_FIELD_ERRORS_KEY": "__all__",
    "EXCEPTION_HANDLER": "mapro.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mapro API",
    "DESCRIPTION": "API pública v1 de mapro (MAPRO S04, OGTIE - MINDEF).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Applies the deferred @extend_schema first (mapro.core.api.openapi).
    "DEFAULT_GENERATOR_CLASS": "mapro.core.api.schema.SchemaGenerator",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # drf-spectacular's enum hook, then Spanish descriptions for the enums it generates.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mapro.core.api.schema.describe_generated_enums",
    ],
    "ENUM_NAME_OVERRIDES": {
        # The registers of issues 16-19 (fields named kind, status, state across the apps).
        "SgsiLevelEnum": "mapro.sgsi.choices.Level",
        "SgsiDocumentKindEnum": "mapro.sgsi.choices.DocumentKind",
        "SgsiDocumentStatusEnum": "mapro.sgsi.choices.DocumentStatus",
        "SgsiAssetStatusEnum": "mapro.sgsi.choices.AssetStatus",
        "QualityVerdictEnum": "mapro.systems.choices.Verdict",
        "SystemStateEnum": "mapro.systems.choices.SystemState",
        "PgdPeriodKindEnum": "mapro.govdigital.choices.PeriodKind",
        "CgdSessionKindEnum": "mapro.govdigital.choices.SessionKind",
        "PgdPlanStatusEnum": "mapro.govdigital.choices.PlanStatus",
        "PgdProjectStatusEnum": "mapro.govdigital.choices.ProjectStatus",
        "TicketStatusEnum": "mapro.helpdesk.choices.Status",
        "LeaverKindEnum": "mapro.hr.choices.LeaverKind",
        "ReconciliationDifferenceKindEnum": "mapro.hr.choices.DifferenceKind",
        "PhoneKindEnum": "mapro.assets.choices.PhoneKind",
        "CertDeviceKindEnum": "mapro.assets.choices.CertDeviceKind",
        "DeviceStatusEnum": "mapro.assets.choices.DeviceStatus",
        "BlockKindEnum": "mapro.assets.choices.BlockKind",
        "RestoreOutcomeEnum": "mapro.assets.choices.RestoreOutcome",
        "LeavingReasonEnum": "mapro.assets.choices.LeavingReason",
        # Fields of the same name (kind, origin, outcome, priority, status) across the apps.
        "TicketPriorityEnum": "mapro.helpdesk.choices.Priority",
        "TicketActionKindEnum": "mapro.helpdesk.choices.ActionKind",
        "TicketChannelEnum": "mapro.helpdesk.choices.Channel",
        "IncidentKindEnum": "mapro.incidents.choices.Kind",
        "IncidentOriginEnum": "mapro.incidents.choices.Origin",
        "IncidentLevelEnum": "mapro.incidents.choices.Level",
        "IncidentStatusEnum": "mapro.incidents.choices.Status",
        "IncidentPhaseEnum": "mapro.incidents.choices.Phase",
        "AccountKindEnum": "mapro.iam.choices.AccountKind",
        "AccountStatusEnum": "mapro.iam.choices.AccountStatus",
        "LeaverOriginEnum": "mapro.hr.choices.LeaverOrigin",
        "DifferenceStatusEnum": "mapro.hr.choices.DifferenceStatus",
        "VisitKindEnum": "mapro.datacenter.choices.VisitKind",
        "ContractorDocumentKindEnum": "mapro.datacenter.choices.DocumentKind",
        "DipecCheckKindEnum": "mapro.datacenter.choices.CheckKind",
        "DipecCheckOutcomeEnum": "mapro.datacenter.choices.CheckOutcome",
        "ArticleStatusEnum": "mapro.knowledge.choices.ArticleStatus",
        "DocumentStatusEnum": "mapro.documents.models.DocumentStatus",
        "ScheduleStatusEnum": "mapro.schedules.choices.ScheduleStatus",
        "SchedulePlanStateEnum": "mapro.schedules.choices.PlanState",
        "WorkItemStateEnum": "mapro.procedures.models.runtime.WorkItemState",
        "EquipmentKindEnum": "mapro.inventory.choices.EquipmentKind",
        "EquipmentStateEnum": "mapro.inventory.choices.EquipmentState",
        "MaintenanceKindEnum": "mapro.inventory.choices.MaintenanceKind",
        "MaintenanceExecutorEnum": "mapro.inventory.choices.MaintenanceExecutor",
        "MaintenanceOutcomeEnum": "mapro.inventory.choices.MaintenanceOutcome",
        "WarrantyDecisionEnum": "mapro.inventory.choices.WarrantyDecision",
        "PlatformActivityKindEnum": "mapro.inventory.choices.PlatformActivityKind",
        "RunKindEnum": "mapro.operations.choices.RunKind",
        "RunOutcomeEnum": "mapro.operations.choices.Outcome",
        "RunCorrectionStateEnum": "mapro.operations.choices.CorrectionState",
        "RunSourceEnum": "mapro.operations.choices.Source",
        "AnnualPlanStatusEnum": "mapro.schedules.choices.PlanStatus",
    },
}

# Root certificates a signed PDF must chain to for "Firma válida" (PEM or DER files, comma
# separated; e.g. the IOFE/RENIEC roots that issue Peruvian signing certificates). docs/deploy.md.
MAPRO_SIGNATURE_TRUST_ROOTS = env_list("MAPRO_SIGNATURE_TRUST_ROOTS", [])
MAPRO_DEMO_PASSWORD = os.environ.get("MAPRO_DEMO_PASSWORD", "demo")
MAPRO_PROCEDURES_DIR = Path(os.environ.get("MAPRO_PROCEDURES_DIR", BASE_DIR / "procedures"))

# Help desk: attachment size limit and how long after resolution a ticket may be reopened.
HELPDESK_MAX_ATTACHMENT_BYTES = env_int("HELPDESK_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
# Uploads stop while streaming (mapro.core.uploads): no file over MAX_UPLOAD_BYTES (the largest
# any form accepts) and no request declared over MAX_UPLOAD_REQUEST_BYTES is read to the end.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", max(HELPDESK_MAX_ATTACHMENT_BYTES, 10 * 1024 * 1024))
MAX_UPLOAD_REQUEST_BYTES = env_int("MAX_UPLOAD_REQUEST_BYTES", 5 * MAX_UPLOAD_BYTES + 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "mapro.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
HELPDESK_REOPEN_DAYS = env_int("HELPDESK_REOPEN_DAYS", 10)
# Resolved tickets the requester neither confirms nor reopens are closed after these business
# days (0: never); docs/decisions/helpdesk-core.md.
HELPDESK_AUTOCLOSE_DAYS = env_int("HELPDESK_AUTOCLOSE_DAYS", 3)

# HR leaver webhook (mapro.hr, docs/registers/hr.md): the shared HMAC-SHA256 secret comes only
# from the environment (never stored or logged; empty refuses every call) and how far the
# signed timestamp may be from now, either way.
# Signed checkpoints of the audit chain, outside the database (mapro.audit.checkpoints): the
# file they are appended to and the HMAC key (default: derived from SECRET_KEY).
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.jsonl")
)
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "")

HR_WEBHOOK_SECRET = os.environ.get("HR_WEBHOOK_SECRET", "")
HR_WEBHOOK_TOLERANCE_SECONDS = env_int("HR_WEBHOOK_TOLERANCE_SECONDS", 5 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[%(asctime)s] %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # SpiffWorkflow logs every task state change at INFO: far too much for a server log.
        "spiff": {"level": os.environ.get("SPIFF_LOG_LEVEL", "WARNING")},
        # WeasyPrint logs every rendering step at INFO; fontTools logs each font it subsets.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # run_huey adds its own handler to "huey" unless the logger already has one, and the
        # record then also reached the root's: every worker line was printed twice. One
        # handler here, and no propagation, prints it once.
        "huey": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
