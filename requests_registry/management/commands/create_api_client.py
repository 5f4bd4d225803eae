"""`python manage.py create_api_client --agency VSAA [--name "VSAA back office"]`: prints the key once."""

from django.core.management.base import BaseCommand, CommandError

from api_clients import services as api_client_services
from catalogue import selectors as catalogue_selectors


class Command(BaseCommand):
    help = "Create an API client (a back-office system) of an agency and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="agency code, e.g. VSAA")
        parser.add_argument(
            "--name", default="", help="a name for the system (default: '<AGENCY> back office')"
        )

    def handle(self, *args, agency: str, name: str, **options):
        found = catalogue_selectors.agency_get_by_code(code=agency)
        if found is None:
            raise CommandError(f"No agency with the code {agency!r}.")
        credentials = api_client_services.api_client_create(
            agency=found, name=name or f"{found.code} back office"
        )
        client = credentials.client
        self.stdout.write(f"API client #{client.pk} {client.name!r} of {found.code} created.")
        self.stdout.write(f"Key (shown only now, keep it secret): {credentials.key}")
        self.stdout.write(f"Use it as the header:  Authorization: Bearer {credentials.key}")
