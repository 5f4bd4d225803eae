from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """A transactional outbox for Celery tasks: the intent to run a task is written in the same
    transaction as the change that wants it, and handed to the broker after the commit (or later,
    by beat, if the broker was away). A request never fails, nor does work twice, for the broker."""

    name = "outbox"
    verbose_name = _("Task outbox")
