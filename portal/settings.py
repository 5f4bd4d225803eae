"""Settings for every environment, read from the environment.

Development defaults need nothing installed: SQLite and Celery eager. `DJANGO_ENV=production`
turns on the deploy checks' demands and refuses to start without the required variables.
"""

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
TESTING = "pytest" in sys.modules

if PRODUCTION:
    _missing = [
        name for name in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS") if not env(name)
    ]
    if _missing:
        raise ImproperlyConfigured(
            "Production start-up stopped: set the environment variable(s) "
            + ", ".join(_missing)
            + " (see README.md, Configuration)."
        )
    SECRET_KEY = env("SECRET_KEY")
else:
    SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-used-in-production-0123456789abcdef")

DEBUG = env_bool("DEBUG", not PRODUCTION and not TESTING)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "Production start-up stopped: DEBUG must be off in production (unset DEBUG or set DEBUG=0): "
        "it would show tracebacks, settings and SQL to anyone."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "mozilla_django_oidc",
    # ours, bottom layer first (see DESIGN.md)
    "kernel",
    "outbox",
    "audit",
    "api_clients",
    "catalogue",
    "eaccount",
    "delegation",
    "notifications",
    "knowledge_base",
    "requests_registry",
    "payments",
    "workplace",
    "access_rights",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (SECURE_CSP) on every answer, error pages and refusals included
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SessionRenewalMiddleware",  # after it: marks the session for saving on the way out
    "portal.middleware.LatvianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "delegation.middleware.ActingForMiddleware",
    # a body over MAX_UPLOAD_BYTES: 413 from its Content-Length, before anything reads it
    "portal.middleware.RequestSizeLimitMiddleware",
    "portal.input_guard.BadInputMiddleware",  # NUL bytes and absurd numbers: 400 before any view
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, so it is the first to see a view's exception: a DomainError becomes its error page
    "portal.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Inputs, options and textareas written in Python, the same HTML as Django's widget templates
FORM_RENDERER = "kernel.form_renderer.PlainWidgetsRenderer"

# Database: SQLite by default, PostgreSQL with DATABASE_URL=postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if PRODUCTION and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("Production start-up stopped: DATABASE_URL must point to PostgreSQL.")
USES_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "eaccount.User"

AUTHENTICATION_BACKENDS = [
    "eaccount.backends.PersonModelBackend",  # ModelBackend that loads the user's person too
    "guardian.backends.ObjectPermissionBackend",
]

# Cache: Redis when REDIS_URL (or CACHE_URL) is set, else in-process memory.
REDIS_URL = env("REDIS_URL") or env("CACHE_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "pspp"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("Production start-up stopped: set REDIS_URL for the shared cache.")

# Sessions: short idle timeout (people use public computers). A session is written when it changed,
# and to renew the idle timeout at most once a SESSION_RENEW_SECONDS (portal.middleware.
# SessionRenewalMiddleware), not on every request; read through the cache, kept in the database.
SESSION_IDLE_TIMEOUT_MINUTES = int(env("SESSION_IDLE_TIMEOUT_MINUTES", "15"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_RENEW_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGIN_URL = "eaccount:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Login: the demo eID page is on outside production unless switched off; OIDC when configured.
DEMO_LOGIN_ENABLED = env_bool("DEMO_LOGIN_ENABLED", not PRODUCTION)
if PRODUCTION and DEMO_LOGIN_ENABLED:
    raise ImproperlyConfigured("Production start-up stopped: DEMO_LOGIN_ENABLED must be off.")
LOGIN_FAILURE_RATE = env("LOGIN_FAILURE_RATE", "5/m")
DELEGATION_LOOKUP_RATE = env("DELEGATION_LOOKUP_RATE", "10/h")

OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
# the identity provider's end_session endpoint: logging out of the portal ends that session too, so
# the next person at a public computer is not let in by the provider without proving who they are
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT") or ""
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(0, "eaccount.oidc.AssuranceOIDCBackend")
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid profile")
    OIDC_PERSONAL_CODE_CLAIM = env("OIDC_PERSONAL_CODE_CLAIM", "serialNumber")
    OIDC_STORE_ID_TOKEN = True
    _missing_oidc = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
        )
        if not env(name)
    ]
    if OIDC_RP_SIGN_ALGO.startswith("RS") and not OIDC_OP_JWKS_ENDPOINT:
        _missing_oidc.append("OIDC_OP_JWKS_ENDPOINT")
    if PRODUCTION and _missing_oidc:
        raise ImproperlyConfigured(
            "Production start-up stopped: OIDC_RP_CLIENT_ID is set, so set also "
            + ", ".join(_missing_oidc)
            + "."
        )
if PRODUCTION and not (DEMO_LOGIN_ENABLED or OIDC_ENABLED):
    raise ImproperlyConfigured(
        "Production start-up stopped: set OIDC_RP_CLIENT_ID and the OIDC_OP_* endpoints."
    )

# Celery: eager in-process unless a broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL
# A task is acknowledged once it has run, given back if its pool process dies, one at a time per process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A whole worker killed (SIGKILL, out of memory, its host lost) acknowledges nothing and gives nothing
# back: Redis hands its tasks out again when they have been unacknowledged for BROKER_VISIBILITY_TIMEOUT,
# and would do so to a task still running too. So every task ends (time limit < visibility timeout):
#   SMTP_TIMEOUT 10 s < soft limit 30 s < hard limit 35 s < visibility timeout 45 s
# and workers look for such tasks every BROKER_RESTORE_INTERVAL: they run again within 50 s of the kill.
# No task is sent with a countdown or an ETA (retries go through the outbox, relayed by beat): a worker
# holds such a task unacknowledged until it is due, so one due after the visibility timeout runs twice.
BROKER_VISIBILITY_TIMEOUT = 45
BROKER_RESTORE_INTERVAL = 5
CELERY_TASK_TIME_LIMIT = 35
CELERY_TASK_SOFT_TIME_LIMIT = 30
CELERY_TIMEZONE = "Europe/Riga"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Handing a task to the broker (outbox.services.relay_one) waits at most about a second for a broker
# that is away, and does not retry: the outbox keeps the task and beat sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 0,
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    # look for unacknowledged tasks past it every BROKER_RESTORE_INTERVAL (kombu: every 10th 10 s tick)
    "unacked_restore_interval": BROKER_RESTORE_INTERVAL,
    "unacked_restore_throttle": 1,
    # the lock of that look-up, should a worker be killed holding it (kombu: 5 minutes)
    "unacked_mutex_expire": 2 * BROKER_RESTORE_INTERVAL,
}
CELERY_BEAT_SCHEDULE = {
    # tasks the broker did not take when they were enqueued (the outbox), and old sent ones forgotten
    "outbox-relay-pending": {"task": "outbox.tasks.outbox_relay_pending", "schedule": 60.0},
    # notices whose task the broker lost (a worker killed as it took the task): sent again
    "case-notifications-resend-missing": {
        "task": "requests_registry.tasks.case_notifications_resend_missing",
        "schedule": 30.0,
    },
    # record the end of fixed-term staff roles in the audit trail (idempotent)
    "staff-roles-record-expired": {"task": "eaccount.tasks.staff_roles_record_expired", "schedule": 300.0},
    # files of applications checked but never submitted
    "drafts-purge-stale": {"task": "requests_registry.tasks.drafts_purge_stale", "schedule": 3600.0},
    # Idempotency-Key records past their time (IDEMPOTENCY_KEY_TTL_HOURS)
    "idempotency-records-purge": {
        "task": "api_clients.tasks.idempotency_records_purge",
        "schedule": 3600.0,
    },
    # notifications due by next_attempt_at: retries with backoff, the morning's SMS, tasks the broker lost
    "notifications-redeliver-due": {
        "task": "notifications.tasks.notifications_redeliver_due",
        "schedule": 30.0,
    },
    # services' satisfaction thresholds: the agency's admins told once per crossing
    "satisfaction-thresholds-evaluate": {
        "task": "requests_registry.tasks.satisfaction_thresholds_evaluate",
        "schedule": 900.0,
    },
    # delivered notifications' texts past NOTIFICATIONS_RETENTION_DAYS
    "notifications-purge-delivered": {
        "task": "notifications.tasks.notifications_purge_delivered",
        "schedule": 86400.0,
    },
    # proactive reminders and offers: the agencies' rules scanned set-based, the claimed notices sent
    "proactive-rules-run": {"task": "requests_registry.tasks.proactive_rules_run", "schedule": 900.0},
    "invoices-mark-overdue": {"task": "payments.tasks.invoices_mark_overdue", "schedule": 3600.0},
    "payment-sessions-expire": {"task": "payments.tasks.payment_sessions_expire", "schedule": 600.0},
    # knowledge base articles whose review date has come: their owners told once per article and date
    "kb-articles-review-due-notify": {
        "task": "knowledge_base.tasks.articles_review_due_notify",
        "schedule": 3600.0,
    },
    # late cases and unresolved consultations escalated to their supervisors, once per case and deadline
    "workplace-escalations-raise": {"task": "workplace.tasks.escalations_raise", "schedule": 900.0},
    # fixed-term staff roles ending in 14 and 3 days: holder and admins warned once per threshold
    "access-rights-expiry-warn": {
        "task": "access_rights.tasks.staff_roles_expiry_warn",
        "schedule": crontab(hour=7, minute=0),
    },
    # roles unused for 90 days: each admin told the count once per ISO week (Annex 2 note 4)
    "access-rights-inactive-review": {
        "task": "access_rights.tasks.staff_roles_inactive_review",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
}
if PRODUCTION and not CELERY_BROKER_URL:
    raise ImproperlyConfigured("Production start-up stopped: set CELERY_BROKER_URL.")

# Internationalisation: Latvian first, English too.
LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Riga"
USE_TZ = True
# our date formats (Latvian 30.11.2026., English 30 Nov 2026) before Django's own
FORMAT_MODULE_PATH = "portal.formats"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploads: a request whose body (files and all) is over MAX_UPLOAD_BYTES is refused with 413 from its
# Content-Length, before any of it is read (portal.middleware.RequestSizeLimitMiddleware). The largest
# file we take is 10 MB (a case's result document, the pilot e-forms' largest file field); 12 MB leaves
# room for the form's other fields and the multipart framing. Form fields other than files and API
# bodies are held in memory and capped lower, by Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_UPLOAD_BYTES = int(env("MAX_UPLOAD_BYTES", str(12 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = min(int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440))), MAX_UPLOAD_BYTES)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Mail: the console in development, SMTP (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS) in production. Each wait on the SMTP server (connecting, every reply) ends after
# SMTP_TIMEOUT seconds, well inside a task's time limit: a hung server fails the send, it does not hang
# the task (not EMAIL_TIMEOUT: Django refuses the old EMAIL_* settings beside MAILERS).
SMTP_TIMEOUT = 10
_mail_backend = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_mail_options = {}
if _mail_backend.endswith(".smtp.EmailBackend"):
    _mail_options = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": int(env("EMAIL_PORT", "25")),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": SMTP_TIMEOUT,
    }
    if env("EMAIL_HOST_USER"):
        _mail_options |= {"username": env("EMAIL_HOST_USER"), "password": env("EMAIL_HOST_PASSWORD", "")}
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portals@example.lv")

# Notifications (notifications.services): SMS through an adapter (notifications.sms). The file backend
# writes each SMS to SMS_FILE_PATH; the HTTP gateway posts to SMS_GATEWAY_URL and answers within
# SMS_GATEWAY_TIMEOUT (< a task's soft time limit), its signed delivery receipts checked with
# SMS_RECEIPT_SECRET (no secret: every receipt is refused).
SMS_BACKEND = env(
    "SMS_BACKEND",
    "notifications.sms.HttpGatewaySmsBackend"
    if env("SMS_GATEWAY_URL")
    else "notifications.sms.FileSmsBackend",
)
SMS_FILE_PATH = Path(env("SMS_FILE_PATH", str(Path(tempfile.gettempdir()) / "pspp-sms")))
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", "")
SMS_RECEIPT_SECRET = env("SMS_RECEIPT_SECRET", "")
SMS_GATEWAY_TIMEOUT = 10
# no SMS from 22:00 to 08:00 Riga time: kept for the morning
NOTIFICATIONS_SMS_QUIET_HOURS = (22, 8)
NOTIFICATIONS_RETENTION_DAYS = int(env("NOTIFICATIONS_RETENTION_DAYS", "30"))
NOTIFICATIONS_AGENCY_RATE_PER_MINUTE = int(env("NOTIFICATIONS_AGENCY_RATE_PER_MINUTE", "600"))
NOTIFICATIONS_RETRY_HOURS = int(env("NOTIFICATIONS_RETRY_HOURS", "24"))
# the Celery queue of the delivery tasks ("": the default queue)
NOTIFICATIONS_QUEUE = env("NOTIFICATIONS_QUEUE", "")
# the portal's own address, for links that leave it (an e-mail's opt-out link); "" keeps them relative
PORTAL_BASE_URL = env(
    "PORTAL_BASE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else ""
)

# Payments: the gateway the payer pays through online ("sandbox": a page of the portal plays the
# bank, no money moves); its notifications are signed with PAYMENTS_SANDBOX_SECRET (default: derived
# from SECRET_KEY).
PAYMENTS_GATEWAY = env("PAYMENTS_GATEWAY", "sandbox")
PAYMENTS_SANDBOX_SECRET = env("PAYMENTS_SANDBOX_SECRET", "")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only: the schema advertises what the API takes, and clients generated from it send JSON
    "DEFAULT_PARSER_CLASSES": ["portal.parsers.JsonOnlyParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "portal.api.problem_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PSPP — service delivery and management platform API",
    "DESCRIPTION": "Service catalogue, request registry and payments of the Latvian public service platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: no CDN (closed networks, privacy)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # no badge image from validator.swagger.io: the docs page loads nothing from other sites
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "requests_registry.constants.CaseStatus",
        "ChannelEnum": "kernel.constants.Channel",
        "ReceivedChannelEnum": "requests_registry.api.serializers.RECEIVED_CHANNELS",
        "ReceivedStatusEnum": "requests_registry.api.serializers.RECEIVED_STATUSES",
    },
}

# Case API (requests_registry.api): how long an Idempotency-Key is kept, after how many seconds an
# unfinished request's key may be taken over by a retry, how long a process caches a checked API key.
IDEMPOTENCY_KEY_TTL_HOURS = int(env("IDEMPOTENCY_KEY_TTL_HOURS", "24"))
IDEMPOTENCY_LOCK_SECONDS = int(env("IDEMPOTENCY_LOCK_SECONDS", "60"))
API_CLIENT_CACHE_SECONDS = int(env("API_CLIENT_CACHE_SECONDS", "30"))

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# django-ratelimit counts in the shared cache; the in-memory cache is fine on one dev process.
RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the portal append the visitor's address to X-Forwarded-For;
# the audit trail and the failed-login limit use that address. 0: the direct peer (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers' health checks come over plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django.middleware.csp): our own origin only, no inline script or style (the
# templates have none: scripts and styles are static files), no plugins, no framing, forms post only
# to us (and to the identity provider's logout, which the logout form's redirect goes to). A nonce
# appears in style-src only on a page whose template asks for one ({% csp_nonce_attr %}: the admin's
# change list), so the header on our own pages has none.
_form_action = [CSP.SELF]
if OIDC_OP_LOGOUT_ENDPOINT:
    _logout = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    _form_action.append(f"{_logout.scheme}://{_logout.netloc}")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": _form_action,
    "frame-ancestors": [CSP.NONE],
}
# The API docs (Swagger UI, served from our static files) draw their icons as data: images in their
# stylesheet; their view (portal.urls) has this policy instead, nothing else differs.
SECURE_CSP_API_DOCS = {**SECURE_CSP, "img-src": [CSP.SELF, "data:"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
