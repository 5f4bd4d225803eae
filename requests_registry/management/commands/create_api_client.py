"""`python manage.py create_api_client --agency VSAA [--name "VSAA back office"]`: prints the key once."""

from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Agency
from requests_registry import services_api


class Command(BaseCommand):
    help = "Create an API client (a back-office system) of an agency and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="agency code, e.g. VSAA")
        parser.add_argument(
            "--name", default="", help="a name for the system (default: '<AGENCY> back office')"
        )

    def handle(self, *args, agency: str, name: str, **options):
        found = Agency.objects.filter(code__iexact=agency.strip()).first()
        if found is None:
            raise CommandError(f"No agency with the code {agency!r}.")
        credentials = services_api.api_client_create(agency=found, name=name or f"{found.code} back office")
        client = credentials.client
        self.stdout.write(f"API client #{client.pk} {client.name!r} of {found.code} created.")
        self.stdout.write(f"Key (shown only now, keep it secret): {credentials.key}")
        self.stdout.write(f"Use it as the header:  Authorization: Bearer {credentials.key}")
