"""`python manage.py import_bank_statement FILE [--payee AGENCY_CODE]`: import a camt.053 statement or
camt.054 notification, match its credits to invoices and print the report. A refused file (not XML,
a DTD or entity, an unknown format, an account that is not a payee's — or not the named agency's)
stores nothing and exits with status 1 and the reason."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from kernel.actors import Actor
from payments.exceptions import StatementRefused
from payments.services import statements

REPORT_LINES = [
    ("entries", "entries in the file"),
    ("transactions", "credit transactions and reversals"),
    ("matched", "paid in full"),
    ("partial", "paid in part"),
    ("over", "overpaid"),
    ("unmatched", "not matched"),
    ("reversed", "payments reversed"),
    ("rejected", "rejected"),
    ("duplicates", "imported before (skipped)"),
    ("debits_ignored", "debits (ignored)"),
    ("not_booked", "entries not booked yet (ignored)"),
    ("settled_invoices", "invoices settled now"),
    ("booked_amount", "booked on invoices (EUR)"),
]


class Command(BaseCommand):
    help = "Import a bank statement (camt.053) or notification (camt.054) and match its credits to invoices."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the XML file")
        parser.add_argument(
            "--payee",
            metavar="AGENCY_CODE",
            help="the agency whose account it must be, e.g. PMLP (default: any payee's)",
        )

    def handle(self, *args, file: str, payee: str | None, **options):
        found = None
        if payee:
            found = statements.payee_get_by_agency_code(code=payee)
            if found is None:
                raise CommandError(f"No payee (bank account) is known for the agency {payee!r}.")
        try:
            with open(file, "rb") as source:
                statement = statements.bank_statement_import(
                    actor=Actor.system("import_bank_statement"),
                    file=source,
                    file_name=os.path.basename(file),
                    payee=found,
                )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except StatementRefused as error:
            raise CommandError(f"The file was refused, nothing was imported: {error.message}") from None
        report = statement.report
        self.stdout.write(
            f"Statement #{statement.pk} ({statement.get_kind_display()}, {statement.statement_id}) "
            f"of account {statement.account_iban} ({statement.payee}) imported."
        )
        width = max(len(label) for _key, label in REPORT_LINES)
        for key, label in REPORT_LINES:
            self.stdout.write(f"  {label:<{width}}  {report.get(key, 0)}")
        for balance in report.get("balances", []):
            self.stdout.write(
                f"  balances of {balance['statement_id'] or '?'}: opening {balance['opening'] or '-'}, "
                f"credits {balance['credits']}, debits {balance['debits']}, closing {balance['closing'] or '-'}: "
                f"{balance['check']}"
            )
        if statement.balance_check == "mismatch":
            self.stderr.write(
                self.style.WARNING(
                    "The balances do not agree: check the statement with the bank (the entries were imported)."
                )
            )
