from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created


class KernelConfig(AppConfig):
    """The shared vocabulary every app uses; no models."""

    name = "kernel"
    verbose_name = "Kernel"

    def ready(self) -> None:
        from .collation import register_sqlite_collation

        # SQLite has no ICU: every new connection gets the Latvian collation PostgreSQL has (and
        # one opened before this ran, should there be any)
        connection_created.connect(register_sqlite_collation, dispatch_uid="kernel.collation.lv")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_collation(sender=type(connection), connection=connection)
