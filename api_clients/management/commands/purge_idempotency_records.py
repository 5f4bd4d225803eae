"""`python manage.py purge_idempotency_records`: delete Idempotency-Key records past their time
(IDEMPOTENCY_KEY_TTL_HOURS). Safe to run at any time, e.g. hourly from cron or Celery beat."""

from django.core.management.base import BaseCommand

from api_clients import services as api_client_services


class Command(BaseCommand):
    help = "Delete the API's Idempotency-Key records older than IDEMPOTENCY_KEY_TTL_HOURS."

    def handle(self, *args, **options):
        deleted = api_client_services.idempotency_records_purge()
        self.stdout.write(f"{deleted} expired idempotency record(s) deleted.")
