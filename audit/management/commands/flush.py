"""Django's `flush`, able to empty the audit trail on PostgreSQL: the one TRUNCATE the database lets
through (audit/migrations/0003_no_truncate_trigger.py).

It sets `pspp.audit_allow_truncate` for the flush's own transaction only. The trigger honours the
setting for the table's owner (or a superuser) alone, so this empties the trail of a development or
test database (pytest-django flushes after every transactional test) and never works for the
application's role in production, which does not own the table (README, "Database roles").
"""

from django.core.management.commands import flush
from django.db import connections, transaction

ALLOW_TRUNCATE_SETTING = "pspp.audit_allow_truncate"  # read by the trigger of migration 0003


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [ALLOW_TRUNCATE_SETTING])
            return super().handle(**options)
