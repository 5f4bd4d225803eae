"""Checks across the apps: the layers, the tasks' safety settings, and that no page falls over."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from eaccount.tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
OUR_APPS = (
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
)


def test_apps_depend_one_way():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], cwd=BASE_DIR, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_every_task_of_ours_acknowledges_late_and_has_a_time_limit():
    import importlib
    import importlib.util

    from portal.celery import app

    for name in OUR_APPS:
        if importlib.util.find_spec(f"{name}.tasks"):
            importlib.import_module(f"{name}.tasks")
    ours = {name: task for name, task in app.tasks.items() if name.split(".")[0] in OUR_APPS}
    assert "eaccount.tasks.staff_roles_record_expired" in ours
    for name, task in ours.items():
        assert task.acks_late, f"{name} must acknowledge late (safe to re-run after a worker dies)"
        assert task.time_limit or app.conf.task_time_limit, f"{name} needs a time limit"
    # every periodic task beat would send exists
    for entry, schedule in app.conf.beat_schedule.items():
        assert schedule["task"] in app.tasks, f"beat entry {entry!r} names an unknown task {schedule['task']}"


def _plain_urls(resolver=None, prefix=""):
    """Every URL of the site that takes no argument, with its name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if any(char in route for char in "<(?[\\$^"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _plain_urls(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route


def site_pages():
    skip = ("admin/", "i18n/", "account/logout", "api/schema", "oidc/", "static/", "media/")
    return sorted({url for url in _plain_urls() if not url.lstrip("/").startswith(skip)})


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_no_page_answers_a_server_error(client, who):
    # given a visitor, logged in or not
    if who == "citizen":
        client.force_login(UserFactory())
    failures = []
    client.cookies["django_language"] = "en"
    # when they open every page of the site that needs no argument
    for url in site_pages():
        response = client.get(url)
        # then none answers 5xx, and every HTML page says its language
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        elif (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and b"<html lang=" not in response.content
        ):
            failures.append(f"{url}: no <html lang>")
    assert not failures, "\n".join(failures)
    assert len(site_pages()) > 5
