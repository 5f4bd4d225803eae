import pytest

from portal.celery import app as celery_app


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.CELERY_BROKER_URL:
        return
    skip = pytest.mark.skip(reason="needs a real broker: set CELERY_BROKER_URL")
    for item in items:
        if "worker" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Tasks run eagerly in-process, except in tests marked `worker`, which use a real worker."""
    eager = "worker" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker_thread(transactional_db):
    """A real Celery worker (a thread of this process) consuming from the configured broker."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10, pool="solo") as worker:
        yield worker
