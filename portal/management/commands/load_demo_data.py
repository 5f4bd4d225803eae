from django.core.management.base import BaseCommand

from catalogue.demo import load_pilot_catalogue
from eaccount.demo import load_demo_people
from knowledge_base.demo import load_demo_knowledge
from payments.demo import load_demo_invoices, load_demo_payees
from requests_registry.demo import load_demo_cases
from workplace.demo import load_demo_workplace


class Command(BaseCommand):
    help = "Load the pilot catalogue and the demo persons and logins (safe to run again)."

    def handle(self, *args, **options):
        counts = load_pilot_catalogue()
        people = load_demo_people()
        load_demo_knowledge(people)
        load_demo_cases(people)
        load_demo_payees()
        load_demo_invoices(people)
        load_demo_workplace()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['agencies']} agencies, {counts['services']} services, "
                f"{counts['life_events']} life events, {len(people)} demo persons."
            )
        )
