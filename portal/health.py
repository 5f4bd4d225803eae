"""The state of what the portal stands on: database, cache, broker."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        state = check()
    except Exception as exc:  # a health check reports failures, it does not raise them
        return {"status": "error", "error": exc.__class__.__name__}
    result = {"status": state, "ms": round((time.monotonic() - started) * 1000, 1)}
    return result


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return what was stored")
    return "ok"


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def health_report() -> tuple[dict, bool]:
    """The report, and whether the portal can serve (the database is the one thing it cannot do without)."""
    report = {"database": _timed(_database), "cache": _timed(_cache), "broker": _timed(_broker)}
    healthy = report["database"]["status"] == "ok"
    report["status"] = (
        "ok"
        if healthy and all(v["status"] != "error" for v in report.values())
        else ("degraded" if healthy else "error")
    )
    return report, healthy
