"""Production mode: `check --deploy` is clean, and a missing required variable stops start-up clearly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DATABASE_URL": "postgres://portal@db.example.lv:5432/pspp",
    "REDIS_URL": "redis://cache.example.lv:6379/1",
    "CELERY_BROKER_URL": "redis://cache.example.lv:6379/2",
    "ALLOWED_HOSTS": "example.lv",
    "OIDC_RP_CLIENT_ID": "portal",
    "OIDC_RP_CLIENT_SECRET": "client-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://id.example.lv/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://id.example.lv/token",
    "OIDC_OP_USER_ENDPOINT": "https://id.example.lv/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://id.example.lv/jwks",
    "DEMO_LOGIN_ENABLED": "0",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter with only these variables (and PATH/HOME) set."""
    clean = {"PATH": os.environ.get("PATH", os.defpath)}
    if "HOME" in os.environ:  # passed on if set; no made-up fallback (a shared /tmp) if not
        clean["HOME"] = os.environ["HOME"]
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(64), **overrides}
    return {name: value for name, value in env.items() if value is not None}


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS", "REDIS_URL"]
)
def test_a_missing_required_variable_stops_start_up_naming_it(missing):
    # given production mode without one required variable
    env = production_env(**{missing: None})
    # when the portal starts
    result = manage("check", **env)
    # then it stops, and says which variable to set
    assert result.returncode != 0
    assert "Production start-up stopped" in result.stderr
    assert missing in result.stderr
    assert "Traceback" in result.stderr  # ImproperlyConfigured, not a silent fallback


@pytest.mark.parametrize(
    "overrides, named",
    [
        ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "PostgreSQL"),
        ({"DEMO_LOGIN_ENABLED": "1"}, "DEMO_LOGIN_ENABLED"),
        ({"OIDC_RP_CLIENT_ID": None}, "OIDC_RP_CLIENT_ID"),
        ({"OIDC_OP_TOKEN_ENDPOINT": None}, "OIDC_OP_TOKEN_ENDPOINT"),
    ],
)
def test_unsafe_production_configurations_are_refused(overrides, named):
    result = manage("check", **production_env(**overrides))
    assert result.returncode != 0
    assert named in result.stderr


@pytest.mark.parametrize("debug", ["1", "true", "True", "yes", "on"])
def test_production_refuses_debug(debug):
    # given production mode with DEBUG switched on (tracebacks, settings and SQL shown to anyone)
    result = manage("check", **production_env(DEBUG=debug))
    # then it stops at start-up, saying so
    assert result.returncode != 0
    assert "Production start-up stopped: DEBUG must be off" in result.stderr
    assert "Traceback" in result.stderr  # ImproperlyConfigured


@pytest.mark.parametrize("debug", ["0", "false", "off", ""])
def test_production_starts_with_debug_off(debug):
    result = manage("check", **production_env(DEBUG=debug))
    assert result.returncode == 0, result.stderr


def test_production_has_no_default_secret_key():
    result = manage("check", **production_env(SECRET_KEY=None))
    assert "dev-only-insecure-key" not in result.stdout + result.stderr
    assert result.returncode != 0


def test_development_needs_no_variables_at_all():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_production_redirects_to_https_but_not_the_health_check():
    # given the portal in production mode behind a load balancer that checks /healthz over plain HTTP
    script = (
        "from django.test import Client; c = Client(HTTP_HOST='example.lv');"
        "print(c.get('/').status_code, c.get('/healthz').status_code)"
    )
    # the database here is a closed port: the health check must answer 503, not redirect or crash
    env = production_env(DATABASE_URL="postgres://portal@127.0.0.1:1/pspp", REDIS_URL="redis://127.0.0.1:1/1")
    result = manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    home, health = result.stdout.strip().splitlines()[-1].split()
    assert home == "301"
    assert health == "503"


def test_the_idle_timeout_is_configurable_from_the_environment():
    script = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    assert manage("shell", "-c", script).stdout.strip().splitlines()[-1] == "900"
    result = manage("shell", "-c", script, SESSION_IDLE_TIMEOUT_MINUTES="5")
    assert result.stdout.strip().splitlines()[-1] == "300"
