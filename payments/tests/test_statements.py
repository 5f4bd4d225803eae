"""Importing bank statements: matching credits to invoices set-based (the SQL gives the states
`rules.invoice_state_for_paid` gives), duplicates, reversals, refusals that store nothing, single
bad entries stored as rejected; resolving unmatched credits by hand, only by the payee's staff."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from kernel.actors import Actor
from outbox.models import OutboxMessage
from payments import rules, services
from payments.constants import InvoiceKind, InvoiceState, PaymentSource
from payments.exceptions import (
    BankTransactionNotAssignable,
    BankTransactionNotFound,
    BankTransactionResolved,
    InvoiceNotFound,
    StatementAccountNotOurs,
    StatementMalformed,
    StatementNotXml,
    StatementRefused,
    StatementUnknownFormat,
    StatementUnsafe,
)
from payments.models import BankStatement, BankTransaction, Invoice, Payee, Payment
from payments.services import statements
from payments.tests.statements import build
from payments.tests.statements.build import IBAN, OTHER_IBAN, document, entry, tx
from requests_registry.tests.factories import AgencyFactory, CaseFactory, staff_of

from .factories import FeeServiceFactory, PayeeFactory

pytestmark = pytest.mark.django_db

RF = dict(
    enumerate(
        [
            "RF301036000000101",
            "RF461036000000201",
            "RF621036000000301",
            "RF781036000000401",
            "RF941036000000501",
            "RF131036000000601",
            "RF291036000000701",
            "RF451036000000801",
            "RF611036000000901",
            "RF771036000001001",
        ],
        start=1,
    )
)


@pytest.fixture
def payee(fee_service):
    payee = Payee.objects.get(agency=fee_service.agency)
    payee.iban = IBAN
    payee.save()
    return payee


@pytest.fixture
def invoices(fee_service, payee, system):
    """Invoices 1 to 10 of 4.27 EUR, for cases 1036-0000001 … 1036-0000010 (references RF[n])."""
    made = {}
    for n in range(1, 11):
        case = CaseFactory(service=fee_service, number=f"1036-{n:07d}")
        made[n] = services.invoice_issue(actor=system, case=case, kind=InvoiceKind.PREPAYMENT)
        assert made[n].reference == RF[n]
    return made


def import_file(source, *, actor=None, payee=None, name=None) -> BankStatement:
    data = build.path(source).read_bytes() if isinstance(source, str) else source
    return statements.bank_statement_import(
        actor=actor or Actor.system("tests"),
        file=io.BytesIO(data),
        file_name=name or (source if isinstance(source, str) else "test.xml"),
        payee=payee,
    )


def fresh(invoice) -> Invoice:
    return Invoice.objects.get(pk=invoice.pk)


def outcomes(statement) -> list[tuple[str, int, str]]:
    return list(statement.transactions.order_by("id").values_list("entry_reference", "tx_index", "outcome"))


# --- matching --------------------------------------------------------------------------------------


def test_a_statement_pays_in_full_in_part_and_too_much_and_leaves_the_rest(invoices, payee):
    statement = import_file("swedbank_camt053_v02.xml")

    assert (fresh(invoices[1]).state, fresh(invoices[1]).paid_amount) == (InvoiceState.PAID, Decimal("4.27"))
    assert (fresh(invoices[2]).state, fresh(invoices[2]).paid_amount) == (
        InvoiceState.PARTLY_PAID,
        Decimal("2.00"),
    )
    assert (fresh(invoices[3]).state, fresh(invoices[3]).paid_amount) == (
        InvoiceState.OVERPAID,
        Decimal("10.00"),
    )
    assert outcomes(statement) == [
        ("2026113000817201", 1, "paid"),
        ("2026113000817202", 1, "partly_paid"),
        ("2026113000817203", 1, "overpaid"),
        ("2026113000817204", 1, "unmatched"),
        ("2026113000817206", 1, "unmatched"),
    ]
    report = statement.report
    assert {k: report[k] for k in ("entries", "transactions", "matched", "partial", "over", "unmatched")} == {
        "entries": 6,
        "transactions": 5,
        "matched": 1,
        "partial": 1,
        "over": 1,
        "unmatched": 2,
    }
    assert (report["duplicates"], report["rejected"], report["debits_ignored"], report["reversed"]) == (
        0,
        0,
        1,
        0,
    )
    assert report["booked_amount"] == "16.27" and report["settled_invoices"] == 2
    assert statement.balance_check == "ok" and report["balances"][0]["check"] == "ok"
    assert (statement.payee, statement.kind, statement.message_id) == (payee, "camt053", "SWED20261130-0001")
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("1000.00"), Decimal("1014.43"))


def test_the_payments_are_recorded_with_the_bank_statement_key(invoices):
    statement = import_file("swedbank_camt053_v02.xml")

    payment = Payment.objects.get(invoice=invoices[1])
    assert (payment.source, payment.source_key) == (
        PaymentSource.BANK_STATEMENT,
        f"{IBAN}:2026113000817201:1",
    )
    assert (payment.amount, payment.paid_on, payment.payer_name) == (
        Decimal("4.27"),
        datetime.date(2026, 11, 30),
        "ANNA BĒRZIŅA",
    )
    row = statement.transactions.get(entry_reference="2026113000817201")
    assert (row.invoice_id, row.payment_id) == (invoices[1].pk, payment.pk)


def test_a_batch_entry_pays_each_invoice_its_own_amount(invoices):
    statement = import_file("seb_camt053_v08.xml")

    assert fresh(invoices[4]).state == fresh(invoices[5]).state == InvoiceState.PAID
    assert fresh(invoices[4]).paid_amount == Decimal("4.27")  # not the entry's 9.54
    assert outcomes(statement) == [
        ("UNLA2026113000000041", 1, "paid"),
        ("UNLA2026113000000041", 2, "paid"),
        ("UNLA2026113000000041", 3, "unmatched"),  # a valid RF reference of no invoice
        ("UNLA2026113000000042", 1, "rejected"),  # US dollars
    ]
    dollars = statement.transactions.get(entry_reference="UNLA2026113000000042")
    assert (dollars.problem, dollars.currency, dollars.invoice_id) == ("currency", "USD", None)
    assert fresh(invoices[6]).state == InvoiceState.ISSUED  # neither the dollars nor the pending entry
    assert (statement.report["not_booked"], statement.report["rejected"]) == (1, 1)


def test_a_camt054_notification_then_the_statement_with_the_same_entry(invoices):
    notification = import_file("luminor_camt054_v04.xml")
    statement = import_file(document([entry(ntry_ref="RIKO-20261130-5501", details=[tx("4.27", ref=RF[6])])]))

    assert notification.kind == "camt054" and notification.balance_check == "not_checked"
    assert fresh(invoices[6]).paid_amount == Decimal("4.27")
    assert (statement.report["duplicates"], statement.report["matched"]) == (1, 0)


def test_importing_the_same_file_twice_changes_nothing(invoices):
    import_file("swedbank_camt053_v02.xml")
    before = [(i.state, i.paid_amount) for i in Invoice.objects.order_by("pk")]
    payments = Payment.objects.count()

    again = import_file("swedbank_camt053_v02.xml")

    assert [(i.state, i.paid_amount) for i in Invoice.objects.order_by("pk")] == before
    assert Payment.objects.count() == payments
    assert again.transactions.count() == 0
    assert again.report["duplicates"] == 5
    assert again.report["matched"] == again.report["partial"] == again.report["over"] == 0


def test_two_payments_in_one_file_are_summed_and_each_gets_its_own_outcome(invoices):
    statement = import_file(
        document(
            [
                entry("2.00", svcr_ref="A", details=[tx("2.00", ref=RF[7])]),
                entry("2.27", svcr_ref="B", details=[tx("2.27", ref=RF[7])]),
                entry("1.00", svcr_ref="C", details=[tx("1.00", ref=RF[7])]),
            ]
        )
    )

    assert (fresh(invoices[7]).state, fresh(invoices[7]).paid_amount) == (
        InvoiceState.OVERPAID,
        Decimal("5.27"),
    )
    assert [o for _e, _i, o in outcomes(statement)] == ["partly_paid", "paid", "overpaid"]


def test_cancelled_invoices_and_other_payees_invoices_are_not_matched(invoices, system):
    services.invoice_cancel(actor=system, invoice=invoices[1])
    other_service = FeeServiceFactory(code="1040", agency=AgencyFactory(code="VSAA"))
    other_invoice = services.invoice_issue(
        actor=system, case=CaseFactory(service=other_service), kind=InvoiceKind.PREPAYMENT
    )

    statement = import_file(
        document(
            [
                entry(svcr_ref="A", details=[tx("4.27", ref=RF[1])]),
                entry(svcr_ref="B", details=[tx("4.27", ref=other_invoice.reference)]),
            ]
        )
    )

    assert [o for _e, _i, o in outcomes(statement)] == ["unmatched", "unmatched"]
    assert fresh(invoices[1]).state == InvoiceState.CANCELLED and fresh(invoices[1]).paid_amount == 0
    assert fresh(other_invoice).paid_amount == 0
    assert not Payment.objects.exists()


def test_settled_invoices_go_to_the_follow_up_in_the_same_transaction(invoices):
    OutboxMessage.objects.all().delete()

    import_file("swedbank_camt053_v02.xml")

    messages = list(OutboxMessage.objects.filter(task="payments.tasks.invoices_settled_follow_up"))
    assert [m.args for m in messages] == [[sorted([invoices[1].pk, invoices[3].pk])]]


def test_the_follow_up_moves_a_prepaid_case_waiting_for_payment_on(
    invoices, django_capture_on_commit_callbacks
):
    case = invoices[1].case
    case.status = "awaiting_payment"
    case.save(update_fields=["status"])

    with django_capture_on_commit_callbacks(execute=True):
        import_file("swedbank_camt053_v02.xml")

    case.refresh_from_db()
    assert case.status != "awaiting_payment"


def test_one_audit_event_with_the_report(invoices):
    staff = staff_of(invoices[1].payee.agency)

    statement = import_file("swedbank_camt053_v02.xml", actor=Actor(user=staff))

    event = AuditEvent.objects.get(action="bank_statement.import")
    assert (event.actor_id, event.object_id) == (staff.pk, str(statement.pk))
    assert event.data["report"]["matched"] == 1 and event.data["file"] == "swedbank_camt053_v02.xml"
    assert statement.imported_by == staff


# --- reversals ------------------------------------------------------------------------------------


def test_a_reversal_undoes_the_payment_and_one_with_nothing_to_reverse_stays_unmatched(invoices):
    import_file("swedbank_camt053_v02.xml")

    statement = import_file("swedbank_camt053_v04_reversal.xml")

    invoice = fresh(invoices[1])
    assert (invoice.state, invoice.paid_amount) == (InvoiceState.ISSUED, Decimal("0.00"))
    payment = Payment.objects.get(invoice=invoice)
    assert payment.reversed_at is not None
    assert outcomes(statement) == [("2026120100900101", 1, "reversed"), ("2026120100900102", 1, "unmatched")]
    reversal = statement.transactions.get(entry_reference="2026120100900101")
    assert (reversal.invoice_id, reversal.payment_id) == (invoice.pk, payment.pk)
    assert (statement.report["reversed"], statement.report["unmatched"]) == (1, 1)
    assert fresh(invoices[7]).paid_amount == 0


def test_a_reversal_in_the_same_file_and_two_reversals_take_two_payments(invoices):
    statement = import_file(
        document(
            [
                entry("2.00", svcr_ref="A", details=[tx("2.00", ref=RF[8])]),
                entry("2.00", svcr_ref="B", details=[tx("2.00", ref=RF[8])]),
                entry("2.27", svcr_ref="C", details=[tx("2.27", ref=RF[8])]),
                entry(
                    "2.00", direction="DBIT", reversal=True, svcr_ref="R1", details=[tx("2.00", ref=RF[8])]
                ),
                entry(
                    "2.00", direction="DBIT", reversal=True, svcr_ref="R2", details=[tx("2.00", ref=RF[8])]
                ),
                entry(
                    "2.00", direction="DBIT", reversal=True, svcr_ref="R3", details=[tx("2.00", ref=RF[8])]
                ),
            ]
        )
    )

    invoice = fresh(invoices[8])
    assert (invoice.state, invoice.paid_amount) == (InvoiceState.PARTLY_PAID, Decimal("2.27"))
    assert Payment.objects.filter(invoice=invoice, reversed_at__isnull=False).count() == 2
    assert [o for _e, _i, o in outcomes(statement)][3:] == ["reversed", "reversed", "unmatched"]
    assert statement.report["settled_invoices"] == 0  # paid in full, then taken back: not settled


def test_a_reversed_settled_invoice_is_not_handed_to_the_follow_up(invoices):
    OutboxMessage.objects.all().delete()

    import_file(
        document(
            [
                entry("4.27", svcr_ref="A", details=[tx("4.27", ref=RF[9])]),
                entry("4.27", direction="DBIT", reversal=True, svcr_ref="R", details=[tx("4.27", ref=RF[9])]),
            ]
        )
    )

    assert fresh(invoices[9]).state == InvoiceState.ISSUED
    assert not OutboxMessage.objects.filter(task="payments.tasks.invoices_settled_follow_up").exists()


def test_a_credit_marked_as_reversal_is_left_for_a_person(invoices):
    statement = import_file(document([entry(reversal=True, svcr_ref="A", details=[tx("4.27", ref=RF[1])])]))

    assert outcomes(statement) == [("A", 1, "unmatched")]
    assert fresh(invoices[1]).paid_amount == 0


# --- the SQL and the rule --------------------------------------------------------------------------

GRID = [
    # (invoice amount, paid before, payments in the file)
    ("4.27", "0", ["4.27"]),
    ("4.27", "0", ["4.26"]),
    ("4.27", "0", ["4.28"]),
    ("4.27", "0", ["2.00", "2.27"]),
    ("4.27", "2.00", ["2.27"]),
    ("4.27", "2.00", ["1.00"]),
    ("4.27", "2.00", ["3.00"]),
    ("0.30", "0", ["0.10", "0.20"]),  # 0.1 + 0.2: exact in cents, not in floating point
    ("0.30", "0.10", ["0.10", "0.10"]),
    ("0.30", "0", ["0.10", "0.10", "0.10", "0.01"]),
    ("1000.00", "999.99", ["0.01"]),
    ("1000.00", "0", ["999.99"]),
]


@pytest.mark.parametrize("due", ["past", "future"])
def test_the_sql_gives_the_states_the_rule_gives(due, fee_service, payee, system, monkeypatch):
    expected, entries = {}, []
    for n, (amount, before, payments) in enumerate(GRID, start=1):
        case = CaseFactory(service=fee_service, number=f"1036-{n:07d}")
        invoice = services.invoice_issue(actor=system, case=case, kind=InvoiceKind.PREPAYMENT)
        Invoice.objects.filter(pk=invoice.pk).update(amount=Decimal(amount))
        if Decimal(before):
            services.payment_record(
                actor=system,
                invoice=fresh(invoice),
                amount=Decimal(before),
                source=PaymentSource.MANUAL,
                source_key=f"before-{n}",
                paid_on=datetime.date(2026, 11, 1),
            )
        invoice = fresh(invoice)
        today = invoice.due_date + datetime.timedelta(days=1 if due == "past" else -1)
        total = Decimal(before) + sum(Decimal(p) for p in payments)
        expected[invoice.pk] = rules.invoice_state_for_paid(invoice, paid_amount=total, today=today)
        entries += [
            entry(p, svcr_ref=f"G{n}-{k}", details=[tx(p, ref=invoice.reference)])
            for k, p in enumerate(payments)
        ]
    monkeypatch.setattr(statements.timezone, "localdate", lambda *a: today)

    import_file(document(entries))

    assert dict(Invoice.objects.values_list("pk", "state")) == expected


@pytest.mark.parametrize("due", ["past", "future"])
def test_the_sql_of_reversals_gives_the_states_the_rule_gives(due, fee_service, payee, system, monkeypatch):
    expected, credits, reversals = {}, [], []
    cases = [(["4.27"], ["4.27"]), (["4.27", "1.00"], ["1.00"]), (["3.00", "1.27"], ["3.00"])]  # of 4.27
    for n, (paid, taken) in enumerate(cases, start=1):
        case = CaseFactory(service=fee_service, number=f"1036-{n:07d}")
        invoice = services.invoice_issue(actor=system, case=case, kind=InvoiceKind.PREPAYMENT)
        today = invoice.due_date + datetime.timedelta(days=1 if due == "past" else -1)
        total = sum(Decimal(p) for p in paid) - sum(Decimal(t) for t in taken)
        expected[invoice.pk] = rules.invoice_state_for_paid(invoice, paid_amount=total, today=today)
        credits += [
            entry(p, svcr_ref=f"C{n}-{k}", details=[tx(p, ref=invoice.reference)]) for k, p in enumerate(paid)
        ]
        reversals += [
            entry(
                t,
                direction="DBIT",
                reversal=True,
                svcr_ref=f"R{n}-{k}",
                details=[tx(t, ref=invoice.reference)],
            )
            for k, t in enumerate(taken)
        ]
    monkeypatch.setattr(statements.timezone, "localdate", lambda *a: today)
    import_file(document(credits, message_id="credits"))

    import_file(document(reversals, message_id="reversals"))

    assert dict(Invoice.objects.values_list("pk", "state")) == expected


# --- what is refused, and single bad entries -------------------------------------------------------


def assert_nothing_stored():
    assert not BankStatement.objects.exists()
    assert not BankTransaction.objects.exists()
    assert not Payment.objects.exists()
    assert not AuditEvent.objects.filter(action="bank_statement.import").exists()


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("bad_not_xml.csv", StatementNotXml),
        ("bad_external_entity.xml", StatementUnsafe),
        ("bad_billion_laughs.xml", StatementUnsafe),
        ("bad_unknown_namespace.xml", StatementUnknownFormat),
    ],
)
def test_an_unusable_file_is_refused_and_nothing_is_stored(invoices, name, error):
    with pytest.raises(error):
        import_file(name)

    assert_nothing_stored()


def test_a_statement_of_another_account_is_refused(invoices, payee):
    PayeeFactory(agency=AgencyFactory(code="VSAA"), iban=OTHER_IBAN)

    with pytest.raises(StatementAccountNotOurs):
        import_file("other_account_camt053_v02.xml", payee=payee)

    assert_nothing_stored()


def test_a_statement_of_no_payees_account_is_refused(invoices):
    with pytest.raises(StatementAccountNotOurs):
        import_file("other_account_camt053_v02.xml")

    assert_nothing_stored()


def test_an_error_after_some_entries_were_stored_stores_nothing(invoices):
    good = [entry(svcr_ref=f"A{n}", details=[tx("4.27", ref=RF[1])]) for n in range(3)]
    data = document(good)[:-40] + b"<Ntry><Amt>broken"

    with pytest.raises(StatementNotXml):
        import_file(data)

    assert_nothing_stored()
    assert fresh(invoices[1]).paid_amount == 0


def test_a_file_of_two_accounts_is_refused(invoices):
    PayeeFactory(agency=AgencyFactory(code="VSAA"), iban=OTHER_IBAN)
    data = document(
        statements=[
            build.statement([entry(svcr_ref="A", details=[tx("4.27", ref=RF[1])])]),
            build.statement([entry(svcr_ref="B")], iban=OTHER_IBAN),
        ]
    )

    with pytest.raises(StatementAccountNotOurs):
        import_file(data)

    assert_nothing_stored()


def test_a_file_without_a_statement_is_refused(invoices):
    with pytest.raises(StatementMalformed):
        import_file(document(statements=[]))

    assert_nothing_stored()


def test_single_bad_entries_are_stored_as_rejected_and_the_rest_imports(invoices):
    statement = import_file("bad_amounts_camt053_v02.xml")

    rows = list(
        statement.transactions.order_by("id").values_list("outcome", "problem", "amount", "amount_text")
    )
    assert rows == [
        ("rejected", "amount_precision", None, "4.275"),
        ("rejected", "amount_negative", None, "-4.27"),
        ("rejected", "amount_not_numeric", None, "4,27"),
        ("rejected", "currency", Decimal("50.00"), "50.00"),
        ("paid", "", Decimal("4.27"), "4.27"),
    ]
    assert fresh(invoices[8]).paid_amount == 0 and fresh(invoices[9]).state == InvoiceState.PAID
    assert (statement.report["rejected"], statement.balance_check) == (4, "not_checked")


def test_a_zero_credit_is_rejected(invoices):
    statement = import_file(document([entry("0.00", svcr_ref="Z", details=[tx("0.00", ref=RF[1])])]))

    assert list(statement.transactions.values_list("outcome", "problem")) == [
        ("rejected", "amount_out_of_range")
    ]


def test_the_refusals_are_statement_refused_errors():
    assert issubclass(StatementAccountNotOurs, StatementRefused) and StatementRefused.status == 422


# --- resolving by hand ------------------------------------------------------------------------------


@pytest.fixture
def imported(invoices):
    return import_file("swedbank_camt053_v02.xml")


@pytest.fixture
def finance(payee):
    return Actor(user=staff_of(payee.agency))


def unmatched(statement) -> BankTransaction:
    return statement.transactions.get(entry_reference="2026113000817204")  # 7.50, no reference


def test_an_unmatched_credit_is_assigned_to_an_invoice_by_the_payees_staff(imported, invoices, finance):
    row = unmatched(imported)

    statements.bank_transaction_assign(actor=finance, transaction=row, invoice=invoices[7])

    row.refresh_from_db()
    assert (row.outcome, row.invoice_id, row.resolved_by) == ("assigned", invoices[7].pk, finance.user)
    assert (fresh(invoices[7]).state, fresh(invoices[7]).paid_amount) == (
        InvoiceState.OVERPAID,
        Decimal("7.50"),
    )
    payment = Payment.objects.get(invoice=invoices[7])
    assert (payment.source, payment.source_key, payment.pk) == (
        PaymentSource.BANK_STATEMENT,
        f"{IBAN}:2026113000817204:1",
        row.payment_id,
    )
    assert AuditEvent.objects.filter(action="bank_transaction.assign", object_id=str(row.pk)).exists()


def test_another_agencys_staff_cannot_resolve(imported, invoices):
    stranger = Actor(user=staff_of(AgencyFactory(code="VSAA")))
    row = unmatched(imported)

    with pytest.raises(BankTransactionNotFound):
        statements.bank_transaction_assign(actor=stranger, transaction=row, invoice=invoices[7])
    with pytest.raises(BankTransactionNotFound):
        statements.bank_transaction_mark_not_ours(actor=stranger, transaction=row, note="x")

    row.refresh_from_db()
    assert row.outcome == "unmatched" and fresh(invoices[7]).paid_amount == 0


def test_an_invoice_of_another_payee_is_not_found(imported, finance, system):
    other_service = FeeServiceFactory(code="1040", agency=AgencyFactory(code="VSAA"))
    other = services.invoice_issue(
        actor=system, case=CaseFactory(service=other_service), kind=InvoiceKind.PREPAYMENT
    )

    with pytest.raises(InvoiceNotFound):
        statements.bank_transaction_assign(actor=finance, transaction=unmatched(imported), invoice=other)

    assert fresh(other).paid_amount == 0


def test_a_resolved_or_rejected_transaction_cannot_be_assigned(imported, invoices, finance):
    paid = imported.transactions.get(entry_reference="2026113000817201")
    rejected = import_file("seb_camt053_v08.xml").transactions.get(outcome="rejected")

    with pytest.raises(BankTransactionResolved):
        statements.bank_transaction_assign(actor=finance, transaction=paid, invoice=invoices[7])
    with pytest.raises(BankTransactionNotAssignable):
        statements.bank_transaction_assign(actor=finance, transaction=rejected, invoice=invoices[7])

    assert fresh(invoices[7]).paid_amount == 0


def test_a_transaction_is_marked_not_ours_with_a_note(imported, finance):
    row = unmatched(imported)

    statements.bank_transaction_mark_not_ours(actor=finance, transaction=row, note="Returned to the payer")

    row.refresh_from_db()
    assert (row.outcome, row.note, row.resolved_by) == ("not_ours", "Returned to the payer", finance.user)
    assert AuditEvent.objects.filter(
        action="bank_transaction.not_ours", reason="Returned to the payer"
    ).exists()
    with pytest.raises(BankTransactionResolved):
        statements.bank_transaction_mark_not_ours(actor=finance, transaction=row, note="again")


# --- the command -----------------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_report(invoices):
    out = io.StringIO()

    call_command(
        "import_bank_statement", str(build.path("swedbank_camt053_v02.xml")), "--payee", "PMLP", stdout=out
    )

    text = out.getvalue()
    assert "paid in full" in text and "  1\n" in text and "ok" in text
    assert fresh(invoices[1]).state == InvoiceState.PAID


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad_billion_laughs.xml"], "refused"),
        (["other_account_camt053_v02.xml"], "refused"),
        (["swedbank_camt053_v02.xml", "--payee", "NOPE"], "No payee"),
    ],
)
def test_the_command_exits_with_the_reason_for_a_refused_file(invoices, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_bank_statement", str(build.path(args[0])), *args[1:], stdout=io.StringIO())

    assert_nothing_stored()
