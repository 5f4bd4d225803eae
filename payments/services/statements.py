"""Bank statements: importing a camt.053 statement or camt.054 notification of a payee's account and
matching its credits to invoices, set-based; the finance staff resolving what did not match.

**The import** (`bank_statement_import`) is one transaction per file. Anything that makes the file
unusable — not XML, a DTD or entity, an unknown namespace, an account that is not a payee's (or not
the given payee's) — raises a `StatementRefused` and nothing is stored. Otherwise:

1. the parsed transactions are streamed into a temporary staging table (COPY on PostgreSQL, batched
   INSERTs on SQLite; the memory stays that of one entry). A bad single one — foreign currency,
   negative, three decimals, zero, no amount or booking date — is staged as `rejected` with its
   reason. A transaction imported before (same account, entry reference and index: the unique key
   of `BankTransaction`), or twice in the file, is taken out and counted as a duplicate; on
   PostgreSQL the imports of one account run one at a time (a transaction-level advisory lock), so
   "imported before" is exact;
2. a few SQL statements match the rest, the same SQL on PostgreSQL and SQLite (on PostgreSQL the
   invoices concerned are locked first, in id order): a credit whose reference is an invoice of the
   same payee that takes payments (`rules.invoice_accepts_payment`: not cancelled or refunded) gets
   a `Payment` (source `bank_statement`, key `<IBAN>:<entry ref>:<index>`, INSERT … SELECT … ON
   CONFLICT DO NOTHING); each invoice's `paid_amount` grows by the sum of its new payments and its
   state becomes what `rules.invoice_state_for_paid` says (the CASE of `_state_for_paid`, tested
   against the rule over a grid; money compared in whole cents); each credit's outcome is the
   invoice's state once the payments up to it (in file order) are counted: paid, partly paid or
   overpaid;
3. reversals (`CdtDbtInd` DBIT with `RvslInd` true: the bank took a credit back) undo the latest
   non-reversed bank-statement payment of that amount on the invoice of their reference, as
   `received.payment_reverse` does (paid amount down, state by the same rule; a cancelled or
   refunded invoice keeps its state); a reversal with nothing to reverse stays `unmatched`, and so
   does a credit marked as a reversal (a debit of ours that came back: a person looks at it);
4. the `BankTransaction` rows are written once, with their outcome, invoice and payment; one audit
   event with the report; the invoices that became settled (paid or overpaid) go to
   `received.settled_follow_up_enqueue` in the same transaction.

Everything else (no reference, an unknown one, an invoice of another payee, a cancelled or refunded
invoice) stays `unmatched` for the finance staff: `bank_transaction_assign` (to an invoice, by its
reference: `received.payment_record`) or `bank_transaction_mark_not_ours`.

The staff of the payee's agency (`eaccount.selectors.agency_ids_for_user`) may see and resolve a
payee's statements; for everyone else they are "not found". The reads and the predicates the pages
share with these services are at the end of this module.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import BinaryIO

from django.db import connection
from django.db import transaction as db_transaction
from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from eaccount.selectors import agency_ids_for_user
from kernel.actors import Actor

from .. import camt, rules
from ..constants import (
    BANK_TRANSACTION_OPEN_OUTCOMES,
    CURRENCY,
    SETTLED_STATES,
    BalanceCheck,
    BankStatementAuditAction,
    BankTransactionOutcome,
    BankTransactionProblem,
    InvoiceState,
    PaymentSource,
)
from ..exceptions import (
    BankStatementNotFound,
    BankTransactionNotAssignable,
    BankTransactionNotFound,
    BankTransactionResolved,
    InvoiceNotFound,
    StatementAccountNotOurs,
    StatementMalformed,
)
from ..models import BankStatement, BankTransaction, Invoice, Payee, Payment
from ..references import rf_compact, rf_is_valid
from .received import payment_record, settled_follow_up_enqueue

CHUNK = 2000
AMOUNT_STORABLE_MAX = Decimal("999999999999.99")  # BankTransaction.amount: 14 digits, 2 decimals
OUT = BankTransactionOutcome
S = InvoiceState

# --- the import ------------------------------------------------------------------------------------


def _payee_for_account(iban: str, payee: Payee | None) -> Payee:
    if payee is not None:
        if payee.iban != iban:
            raise StatementAccountNotOurs(
                _("The statement is of account %(iban)s, not of your agency's account %(ours)s.")
                % {"iban": iban, "ours": payee.iban}
            )
        return payee
    payees = list(Payee.objects.filter(iban=iban)[:2])
    if len(payees) != 1:
        raise StatementAccountNotOurs(
            _("Account %(iban)s is not the account of any payee.") % {"iban": iban}
            if not payees
            else _("Several payees share account %(iban)s: name the payee.") % {"iban": iban}
        )
    return payees[0]


def _stage_row(seq: int, item: camt.CamtItem) -> tuple:
    """The staged row of one item: a bad one (foreign currency, zero, …) already `rejected`."""
    problem = item.problem
    if not problem and item.currency != CURRENCY:
        problem = BankTransactionProblem.CURRENCY
    if not problem and not rules.payment_amount_valid(item.amount):
        problem = BankTransactionProblem.AMOUNT_OUT_OF_RANGE
    amount = item.amount if item.amount is not None and item.amount <= AMOUNT_STORABLE_MAX else None
    return (
        seq,
        item.account_iban,
        item.entry_reference,
        item.tx_index,
        item.is_credit,
        item.is_reversal,
        amount,
        item.amount_text,
        item.currency,
        item.booked_on,
        item.reference,
        item.remittance,
        item.debtor_name,
        str(OUT.REJECTED if problem else OUT.UNMATCHED),
        str(problem),
    )


def bank_statement_import(
    *, actor: Actor, file: BinaryIO, file_name: str, payee: Payee | None = None
) -> BankStatement:
    """Import one camt.053 or camt.054 file of `payee`'s account (of any payee's when not given) and
    match its credits; see the module. Raises a StatementRefused (nothing stored) for a file that
    cannot be used; returns the BankStatement with its `report`."""
    with db_transaction.atomic():
        events = iter(camt.read(file))
        first = next(events, None)
        if not isinstance(first, camt.CamtStatement):
            raise StatementMalformed(_("The file holds no statement."))
        statement = BankStatement.objects.create(
            payee=_payee_for_account(first.account_iban, payee),
            kind=first.kind,
            message_id=first.message_id,
            namespace=first.namespace,
            account_iban=first.account_iban,
            file_name=file_name[:255],
            imported_by=actor.user_or_none,
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # imports of one account one at a time: the duplicates are those already committed
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"bank-statement:{first.account_iban}"]
                )
            cursor.execute(_DROP_STAGE)
            cursor.execute(_CREATE_STAGE)
            ends, statement_ids, items = _stage(cursor, first, events)
            stored, settled = _match(cursor, statement)
            statement.report = _report(cursor, ends, items=items, stored=stored, settled=len(settled))
            cursor.execute(_DROP_STAGE)
        statement.statement_id = ", ".join(statement_ids)[:200]
        statement.opening_balance = ends[0].opening_balance if ends else None
        statement.closing_balance = ends[-1].closing_balance if ends else None
        statement.balance_check = _balance_check(ends)
        statement.save(
            update_fields=["report", "statement_id", "opening_balance", "closing_balance", "balance_check"]
        )
        audit.record(
            action=BankStatementAuditAction.STATEMENT_IMPORT,
            actor=actor,
            target=statement,
            data={"file": file_name[:255], "account": statement.account_iban, "report": statement.report},
        )
        if settled:
            settled_follow_up_enqueue(sorted(settled))
    return statement


def _stage(cursor, first: camt.CamtStatement, events) -> tuple[list, list[str], int]:
    """Stream the file's items into the staging table (COPY on PostgreSQL, batched INSERTs on
    SQLite); returns the statements' ends, their ids and how many items were read."""
    ends: list[camt.CamtStatementEnd] = []
    statement_ids = [first.statement_id]
    seq = 0

    def rows():
        nonlocal seq
        for event in events:
            if isinstance(event, camt.CamtItem):
                seq += 1
                yield _stage_row(seq, event)
            elif isinstance(event, camt.CamtStatement):
                if event.account_iban != first.account_iban:
                    raise StatementAccountNotOurs(
                        _("The file holds statements of more than one account: import them one by one.")
                    )
                statement_ids.append(event.statement_id)
            else:
                ends.append(event)

    if connection.vendor == "postgresql":
        with cursor.copy(f"COPY {_STAGE} ({', '.join(_STAGE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows():
                copy.write_row(row)
        cursor.execute(f"ANALYZE {_STAGE}")
    else:
        insert = f"INSERT INTO {_STAGE} ({', '.join(_STAGE_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_STAGE_COLUMNS))})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows():
            batch.append(row)
            if len(batch) >= CHUNK:
                cursor.executemany(insert, batch)
                batch = []
        if batch:
            cursor.executemany(insert, batch)
    return ends, statement_ids, seq


def _balance_check(ends: list[camt.CamtStatementEnd]) -> str:
    checks = {end.balance_check for end in ends}
    if BalanceCheck.MISMATCH in checks:
        return BalanceCheck.MISMATCH
    if checks == {BalanceCheck.OK}:
        return BalanceCheck.OK
    return BalanceCheck.NOT_CHECKED


def _report(cursor, ends, *, items: int, stored: int, settled: int) -> dict:
    counts: Counter[str] = Counter()
    booked = Decimal("0.00")
    cursor.execute(
        f"SELECT outcome, COUNT(*), SUM(CASE WHEN payment_id IS NOT NULL THEN amount ELSE 0 END) "  # noqa: S608  # nosec B608
        f"FROM {_STAGE} GROUP BY outcome"
    )
    for outcome, count, total in cursor.fetchall():
        counts[outcome] = count
        if outcome in (OUT.PAID, OUT.PARTLY_PAID, OUT.OVERPAID) and total is not None:
            booked += Decimal(str(total))
    return {
        "entries": sum(end.entries for end in ends),
        "transactions": items,
        "matched": counts[OUT.PAID],
        "partial": counts[OUT.PARTLY_PAID],
        "over": counts[OUT.OVERPAID],
        "unmatched": counts[OUT.UNMATCHED],
        "reversed": counts[OUT.REVERSED],
        "rejected": counts[OUT.REJECTED],
        "duplicates": items - stored,
        "debits_ignored": sum(end.debits_ignored for end in ends),
        "not_booked": sum(end.not_booked for end in ends),
        "settled_invoices": settled,
        "booked_amount": str(booked.quantize(Decimal("0.01"))),
        "balances": [end.as_report() for end in ends],
        "balance_check": _balance_check(ends),
    }


# --- matching, set-based ---------------------------------------------------------------------------
# The file's transactions are staged in a temporary table; the duplicates are taken out, the rest
# matched there (the invoice, the payment, the outcome), and then written once: the payments, the
# invoices' sums and states, and the BankTransaction rows (never updated after).

_BT = BankTransaction._meta.db_table
_INV = Invoice._meta.db_table
_PAY = Payment._meta.db_table
_STAGE = "payments_camt_stage"
_STAGE_COLUMNS = [
    "seq",
    "account_iban",
    "entry_reference",
    "tx_index",
    "is_credit",
    "is_reversal",
    "amount",
    "amount_text",
    "currency",
    "booked_on",
    "reference",
    "remittance",
    "debtor_name",
    "outcome",
    "problem",
]
_DROP_STAGE = f"DROP TABLE IF EXISTS {_STAGE}"
_CREATE_STAGE = f"""
CREATE TEMPORARY TABLE {_STAGE} (
    seq integer PRIMARY KEY, account_iban varchar(34) NOT NULL, entry_reference varchar(40) NOT NULL,
    tx_index integer NOT NULL, is_credit boolean NOT NULL, is_reversal boolean NOT NULL,
    amount numeric(14, 2), amount_text varchar(40) NOT NULL, currency varchar(3) NOT NULL, booked_on date,
    reference varchar(35) NOT NULL, remittance varchar(280) NOT NULL, debtor_name varchar(140) NOT NULL,
    outcome varchar(20) NOT NULL, problem varchar(30) NOT NULL, invoice_id bigint, payment_id bigint
)
"""


def _cents(expression: str) -> str:
    """Compare money in whole cents: exact on PostgreSQL's numeric and on SQLite's floating point."""
    return f"ROUND(({expression}) * 100)"


def _state_for_paid(paid: str) -> str:
    """`rules.invoice_state_for_paid` as a SQL CASE over the invoice's own columns (`amount`,
    `due_date`) and the paid amount `paid`; `%(today)s` is the day it is decided on."""
    return (
        f"CASE WHEN {_cents(paid)} >= {_cents('amount')} "
        f"THEN (CASE WHEN {_cents(paid)} = {_cents('amount')} THEN '{S.PAID}' ELSE '{S.OVERPAID}' END) "
        f"WHEN due_date < %(today)s THEN '{S.OVERDUE}' "
        f"WHEN {_cents(paid)} > 0 THEN '{S.PARTLY_PAID}' "
        f"ELSE '{S.ISSUED}' END"
    )


_NOT_PAYABLE = f"('{S.CANCELLED}', '{S.REFUNDED}')"
_SETTLED = "(" + ", ".join(f"'{state}'" for state in sorted(SETTLED_STATES)) + ")"
_KEY = "t.account_iban || ':' || t.entry_reference || ':' || CAST(t.tx_index AS TEXT)"
_CREDIT = f"t.outcome = '{OUT.UNMATCHED}' AND t.is_credit = %(true)s AND t.is_reversal = %(false)s"
_REVERSAL = (
    f"t.outcome = '{OUT.UNMATCHED}' AND t.is_credit = %(false)s AND t.is_reversal = %(true)s "
    "AND t.amount IS NOT NULL"
)
_MATCHED = f"('{OUT.PAID}', '{OUT.PARTLY_PAID}', '{OUT.OVERPAID}')"

# the same transaction twice in the file, or imported before: out (counted as duplicates)
_DROP_TWINS = f"""
DELETE FROM {_STAGE} WHERE seq IN (
    SELECT seq FROM (
        SELECT seq, ROW_NUMBER() OVER (PARTITION BY account_iban, entry_reference, tx_index ORDER BY seq) AS n
        FROM {_STAGE}
    ) twins WHERE n > 1
)
"""  # noqa: S608 - the names are ours, the values parameters
_DROP_IMPORTED = f"""
DELETE FROM {_STAGE} WHERE EXISTS (
    SELECT 1 FROM {_BT} b
    WHERE b.account_iban = {_STAGE}.account_iban AND b.entry_reference = {_STAGE}.entry_reference
      AND b.tx_index = {_STAGE}.tx_index
)
"""  # noqa: S608 - the names are ours, the values parameters

_LOCK_INVOICES = f"""
SELECT COUNT(*) FROM (
    SELECT i.id FROM {_INV} i
    WHERE i.payee_id = %(payee)s AND i.reference IN (
        SELECT t.reference FROM {_STAGE} t WHERE t.outcome = '{OUT.UNMATCHED}' AND t.reference <> '')
    ORDER BY i.id FOR UPDATE
) locked
"""  # noqa: S608 - the names are ours, the values parameters

# a credit is matched by its reference to an invoice of the payee that takes payments; its outcome is
# the invoice's state once the payments up to it (file order) are counted
_MATCH_CREDITS = f"""
UPDATE {_STAGE} AS t SET invoice_id = r.invoice_id, outcome = r.outcome
FROM (
    SELECT c.seq AS seq, c.invoice_id AS invoice_id,
           CASE WHEN {_cents("c.before + c.running")} < {_cents("c.amount")} THEN '{OUT.PARTLY_PAID}'
                WHEN {_cents("c.before + c.running")} = {_cents("c.amount")} THEN '{OUT.PAID}'
                ELSE '{OUT.OVERPAID}' END AS outcome
    FROM (
        SELECT t.seq, i.id AS invoice_id, i.amount AS amount, i.paid_amount AS before,
               SUM(t.amount) OVER (PARTITION BY i.id ORDER BY t.seq ROWS UNBOUNDED PRECEDING) AS running
        FROM {_STAGE} t
        JOIN {_INV} i ON i.reference = t.reference AND i.payee_id = %(payee)s AND i.state NOT IN {_NOT_PAYABLE}
        WHERE {_CREDIT} AND t.reference <> ''
    ) c
) r
WHERE t.seq = r.seq
"""  # noqa: S608 - the names are ours, the values parameters

_INSERT_PAYMENTS = f"""
INSERT INTO {_PAY} (invoice_id, amount, source, source_key, paid_on, payer_name, recorded_at, reversed_at)
SELECT t.invoice_id, t.amount, '{PaymentSource.BANK_STATEMENT}', {_KEY}, t.booked_on,
       SUBSTR(t.debtor_name, 1, 140), %(now)s, NULL
FROM {_STAGE} t
WHERE t.outcome IN {_MATCHED} AND t.invoice_id IS NOT NULL
ORDER BY t.seq
ON CONFLICT DO NOTHING
"""  # noqa: S608 - the names are ours, the values parameters

# the payment made of each credit now: a probe of the unique (source, source_key) index per credit (the
# id is checked in the select list, so that no plan scans the new ids, whose statistics are stale)
_LINK_PAYMENTS = f"""
UPDATE {_STAGE} AS t SET payment_id = (
    SELECT CASE WHEN p.id > %(floor)s THEN p.id END FROM {_PAY} p
    WHERE p.source = '{PaymentSource.BANK_STATEMENT}' AND p.source_key = {_KEY})
WHERE t.outcome IN {_MATCHED}
"""  # noqa: S608 - the names are ours, the values parameters

# a credit whose payment was there already (cannot be while the transactions' keys are unique and the
# account's imports one at a time; kept safe): unmatched, for a person
_UNLINK_UNPAID = f"""
UPDATE {_STAGE} AS t SET invoice_id = NULL, outcome = '{OUT.UNMATCHED}'
WHERE t.outcome IN {_MATCHED} AND t.payment_id IS NULL
"""  # noqa: S608 - the names are ours, the values parameters

_PAID_SUMS = f"""
SELECT t.invoice_id AS invoice_id, SUM(t.amount) AS total FROM {_STAGE} t
WHERE t.outcome IN {_MATCHED} GROUP BY t.invoice_id
"""  # noqa: S608 - the names are ours, the values parameters

_NEWLY_SETTLED = f"""
SELECT i.id FROM {_INV} i JOIN ({_PAID_SUMS}) s ON s.invoice_id = i.id
WHERE i.state NOT IN {_SETTLED} AND {_cents("i.paid_amount + s.total")} >= {_cents("i.amount")}
"""  # noqa: S608 - the names are ours, the values parameters

_APPLY_PAYMENTS = f"""
UPDATE {_INV} SET paid_amount = ROUND(paid_amount + s.total, 2),
                  state = {_state_for_paid("paid_amount + s.total")},
                  updated_at = %(now)s
FROM ({_PAID_SUMS}) s
WHERE {_INV}.id = s.invoice_id
"""  # noqa: S608 - the names are ours, the values parameters

# a reversal's invoice: the payee's invoice of its reference (a probe of the reference index)
_REVERSAL_INVOICES = f"""
UPDATE {_STAGE} AS t SET invoice_id = (
    SELECT i.id FROM {_INV} i WHERE i.reference = t.reference AND i.payee_id = %(payee)s)
WHERE {_REVERSAL} AND t.reference <> ''
"""  # noqa: S608 - the names are ours, the values parameters

# a reversal takes back the latest (recorded_at, id) non-reversed bank-statement payment of its amount
# on its invoice; two reversals of the same amount take two payments
_MATCH_REVERSALS = f"""
UPDATE {_STAGE} AS t SET payment_id = m.payment_id, outcome = '{OUT.REVERSED}'
FROM (
    SELECT r.seq AS seq, c.id AS payment_id
    FROM (
        SELECT t.seq, t.invoice_id, t.amount,
               ROW_NUMBER() OVER (PARTITION BY t.invoice_id, t.amount ORDER BY t.seq) AS n
        FROM {_STAGE} t WHERE {_REVERSAL} AND t.invoice_id IS NOT NULL
    ) r
    JOIN (
        SELECT p.id, p.invoice_id, p.amount,
               ROW_NUMBER() OVER (PARTITION BY p.invoice_id, p.amount
                                  ORDER BY p.recorded_at DESC, p.id DESC) AS n
        FROM {_PAY} p
        JOIN (SELECT DISTINCT t.invoice_id FROM {_STAGE} t WHERE {_REVERSAL} AND t.invoice_id IS NOT NULL) ri
          ON ri.invoice_id = p.invoice_id
        WHERE p.source = '{PaymentSource.BANK_STATEMENT}' AND p.reversed_at IS NULL
    ) c ON c.invoice_id = r.invoice_id AND c.amount = r.amount AND c.n = r.n
) m
WHERE t.seq = m.seq
"""  # noqa: S608 - the names are ours, the values parameters

# a reversal with nothing to reverse: unmatched, for a person
_UNLINK_REVERSALS = f"""
UPDATE {_STAGE} AS t SET invoice_id = NULL WHERE {_REVERSAL} AND t.invoice_id IS NOT NULL
"""  # noqa: S608 - the names are ours, the values parameters

_COUNT_REVERSALS = f"SELECT COUNT(*) FROM {_STAGE} t WHERE {_REVERSAL} AND t.reference <> ''"  # noqa: S608

_REVERSE_PAYMENTS = f"""
UPDATE {_PAY} SET reversed_at = %(now)s
WHERE reversed_at IS NULL AND id IN (
    SELECT t.payment_id FROM {_STAGE} t WHERE t.outcome = '{OUT.REVERSED}' AND t.payment_id IS NOT NULL)
"""  # noqa: S608 - the names are ours, the values parameters

_REVERSED_SUMS = f"""
SELECT t.invoice_id AS invoice_id, SUM(t.amount) AS total FROM {_STAGE} t
WHERE t.outcome = '{OUT.REVERSED}' GROUP BY t.invoice_id
"""  # noqa: S608 - the names are ours, the values parameters

_LEFT = "CASE WHEN paid_amount - s.total < 0 THEN 0 ELSE paid_amount - s.total END"
_APPLY_REVERSALS = f"""
UPDATE {_INV} SET paid_amount = ROUND({_LEFT}, 2),
                  state = {_state_for_paid(_LEFT)},
                  updated_at = %(now)s
FROM ({_REVERSED_SUMS}) s
WHERE {_INV}.id = s.invoice_id AND {_INV}.state NOT IN {_NOT_PAYABLE}
"""  # noqa: S608 - the names are ours, the values parameters

_UNSETTLED_BY_REVERSALS = f"""
SELECT i.id FROM {_INV} i WHERE i.state NOT IN {_SETTLED} AND i.id IN (
    SELECT t.invoice_id FROM {_STAGE} t WHERE t.outcome = '{OUT.REVERSED}')
"""  # noqa: S608 - the names are ours, the values parameters

_INSERT_TRANSACTIONS = f"""
INSERT INTO {_BT} (statement_id, payee_id, account_iban, entry_reference, tx_index, is_credit, is_reversal,
                   amount, amount_text, currency, booked_on, reference, remittance, debtor_name, outcome,
                   problem, invoice_id, payment_id, note)
SELECT %(statement)s, %(payee)s, t.account_iban, t.entry_reference, t.tx_index, t.is_credit, t.is_reversal,
       t.amount, t.amount_text, t.currency, t.booked_on, t.reference, t.remittance, t.debtor_name, t.outcome,
       t.problem, t.invoice_id, t.payment_id, ''
FROM {_STAGE} t ORDER BY t.seq
"""  # noqa: S608 - the names are ours, the values parameters


def _match(cursor, statement: BankStatement) -> tuple[int, set[int]]:
    """Match the staged transactions and write them (see the module); returns how many were new
    (not duplicates) and the ids of the invoices that became settled (paid or overpaid)."""
    ops = connection.ops
    params = {
        "statement": statement.pk,
        "payee": statement.payee_id,
        "true": True,
        "false": False,
        "now": ops.adapt_datetimefield_value(timezone.now()),
        "today": ops.adapt_datefield_value(timezone.localdate()),
    }

    def analyze(table: str) -> None:
        """Fresh statistics of the staging table after a bulk change (PostgreSQL never analyzes a
        temporary table by itself), so that its joins are planned for the rows it has."""
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")

    cursor.execute(_DROP_TWINS)
    cursor.execute(_DROP_IMPORTED)
    cursor.execute(f"SELECT COUNT(*) FROM {_STAGE}")  # noqa: S608  # nosec B608
    stored = cursor.fetchone()[0]
    if connection.features.has_select_for_update:
        cursor.execute(_LOCK_INVOICES, params)
    cursor.execute(_MATCH_CREDITS, params)
    analyze(_STAGE)
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_PAY}")  # noqa: S608  # nosec B608
    params["floor"] = cursor.fetchone()[0]
    cursor.execute(_INSERT_PAYMENTS, params)
    cursor.execute(_LINK_PAYMENTS, params)
    cursor.execute(_UNLINK_UNPAID, params)
    cursor.execute(_NEWLY_SETTLED, params)
    settled = {row[0] for row in cursor.fetchall()}
    cursor.execute(_APPLY_PAYMENTS, params)
    cursor.execute(_COUNT_REVERSALS, params)
    if cursor.fetchone()[0]:
        cursor.execute(_REVERSAL_INVOICES, params)
        cursor.execute(_MATCH_REVERSALS, params)
        cursor.execute(_UNLINK_REVERSALS, params)
        cursor.execute(_REVERSE_PAYMENTS, params)
        cursor.execute(_APPLY_REVERSALS, params)
        cursor.execute(_UNSETTLED_BY_REVERSALS, params)
        settled -= {row[0] for row in cursor.fetchall()}
    cursor.execute(_INSERT_TRANSACTIONS, params)
    return stored, settled


# --- resolving by hand -----------------------------------------------------------------------------


def _locked_transaction(*, actor: Actor, transaction_id: int) -> BankTransaction:
    locked = (
        BankTransaction.objects.select_for_update(of=("self",))
        .select_related("payee")
        .filter(pk=transaction_id)
        .first()
    )
    if locked is None or not finance_staff_of(user=actor.user, agency_id=locked.payee.agency_id):
        raise BankTransactionNotFound()
    return locked


@db_transaction.atomic
def bank_transaction_assign(
    *, actor: Actor, transaction: BankTransaction, invoice: Invoice
) -> BankTransaction:
    """An unmatched credit assigned by hand to `invoice` (of the same payee): the payment is recorded
    as any other (`received.payment_record`, source bank_statement, the transaction's key), the
    transaction marked assigned."""
    locked = _locked_transaction(actor=actor, transaction_id=transaction.pk)
    if locked.outcome not in BANK_TRANSACTION_OPEN_OUTCOMES:
        raise BankTransactionResolved()
    if not bank_transaction_assign_allowed(locked):
        raise BankTransactionNotAssignable()
    if invoice.payee_id != locked.payee_id:
        raise InvoiceNotFound()
    recorded = payment_record(
        actor=actor,
        invoice=invoice,
        amount=locked.amount,
        source=PaymentSource.BANK_STATEMENT,
        source_key=locked.source_key,
        paid_on=locked.booked_on,
        payer_name=locked.debtor_name,
    )
    locked.outcome = OUT.ASSIGNED
    locked.invoice = invoice
    locked.payment = recorded.payment
    locked.resolved_by = actor.user_or_none
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["outcome", "invoice", "payment", "resolved_by", "resolved_at"])
    audit.record(
        action=BankStatementAuditAction.TRANSACTION_ASSIGN,
        actor=actor,
        acting_for=invoice.payer,
        target=locked,
        data={"reference": invoice.reference, "amount": str(locked.amount), "key": locked.source_key},
    )
    transaction.outcome, transaction.invoice_id, transaction.payment_id = (
        locked.outcome,
        locked.invoice_id,
        locked.payment_id,
    )
    return locked


@db_transaction.atomic
def bank_transaction_mark_not_ours(
    *, actor: Actor, transaction: BankTransaction, note: str
) -> BankTransaction:
    """An unmatched or rejected transaction is not a payment of an invoice of ours (returned to the
    payer, another agency's, …): marked so, with the person's note."""
    locked = _locked_transaction(actor=actor, transaction_id=transaction.pk)
    if not bank_transaction_not_ours_allowed(locked):
        raise BankTransactionResolved()
    locked.outcome = OUT.NOT_OURS
    locked.note = note[:500]
    locked.resolved_by = actor.user_or_none
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["outcome", "note", "resolved_by", "resolved_at"])
    audit.record(
        action=BankStatementAuditAction.TRANSACTION_NOT_OURS,
        actor=actor,
        target=locked,
        reason=note[:500],
        data={"key": locked.source_key, "amount": locked.amount_text or str(locked.amount)},
    )
    transaction.outcome = locked.outcome
    return locked


# --- who may, and what may be done (the pages ask the same) ---------------------------------------
# (to move to payments/rules.py and payments/selectors.py, which this change may not edit)


def finance_staff_of(*, user, agency_id: int) -> bool:
    """The payee agency's staff (staff or admin) work with its statements; nobody else."""
    return user is not None and agency_id in agency_ids_for_user(user=user)


def bank_transaction_assign_allowed(tx: BankTransaction) -> bool:
    """An unmatched credit in euros with a valid amount (not a reversal) may be assigned to an invoice."""
    return (
        tx.outcome == OUT.UNMATCHED
        and tx.is_credit
        and not tx.is_reversal
        and tx.currency == CURRENCY
        and tx.booked_on is not None
        and rules.payment_amount_valid(tx.amount)
    )


def bank_transaction_not_ours_allowed(tx: BankTransaction) -> bool:
    return tx.outcome in BANK_TRANSACTION_OPEN_OUTCOMES


# --- reads -----------------------------------------------------------------------------------------


def finance_payees_for_user(*, user) -> QuerySet[Payee]:
    """The payees of the agencies the user works for (empty: not finance staff anywhere)."""
    return Payee.objects.filter(agency_id__in=sorted(agency_ids_for_user(user=user))).select_related("agency")


def payee_get_by_agency_code(*, code: str) -> Payee | None:
    return Payee.objects.filter(agency__code=code).first()


def bank_statement_list_for_user(*, user) -> QuerySet[BankStatement]:
    return (
        BankStatement.objects.filter(payee__agency_id__in=sorted(agency_ids_for_user(user=user)))
        .select_related("payee", "imported_by")
        .order_by("-imported_at", "-id")
    )


def bank_statement_get_for_user(*, user, statement_id) -> BankStatement:
    try:
        statement_id = int(statement_id)
    except (TypeError, ValueError):
        raise BankStatementNotFound() from None
    statement = bank_statement_list_for_user(user=user).filter(pk=statement_id).first()
    if statement is None:
        raise BankStatementNotFound()
    return statement


def bank_transaction_list_for_statement(*, statement: BankStatement) -> QuerySet[BankTransaction]:
    return BankTransaction.objects.filter(statement=statement).select_related("invoice").order_by("id")


def bank_transaction_list_open_for_user(*, user) -> QuerySet[BankTransaction]:
    """What waits for a person (unmatched and rejected), newest first."""
    return (
        BankTransaction.objects.filter(
            payee__agency_id__in=sorted(agency_ids_for_user(user=user)),
            outcome__in=sorted(BANK_TRANSACTION_OPEN_OUTCOMES),
        )
        .select_related("statement")
        .order_by("-id")
    )


def bank_transaction_get_for_user(*, user, transaction_id) -> BankTransaction:
    try:
        transaction_id = int(transaction_id)
    except (TypeError, ValueError):
        raise BankTransactionNotFound() from None
    found = (
        BankTransaction.objects.filter(
            pk=transaction_id, payee__agency_id__in=sorted(agency_ids_for_user(user=user))
        )
        .select_related("statement", "payee", "invoice", "resolved_by")
        .first()
    )
    if found is None:
        raise BankTransactionNotFound()
    return found


def invoice_get_by_reference_for_payee(*, payee_id: int, reference: str) -> Invoice:
    """The payee's invoice with this RF reference (any spacing and case); InvoiceNotFound else."""
    if not reference or not rf_is_valid(reference):
        raise InvoiceNotFound()
    invoice = Invoice.objects.filter(payee_id=payee_id, reference=rf_compact(reference)).first()
    if invoice is None:
        raise InvoiceNotFound()
    return invoice


def invoice_overpaid_list_for_user(*, user) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(
            payee__agency_id__in=sorted(agency_ids_for_user(user=user)), state=InvoiceState.OVERPAID
        )
        .annotate(
            excess=ExpressionWrapper(
                F("paid_amount") - F("amount"), output_field=DecimalField(max_digits=10, decimal_places=2)
            )
        )
        .select_related("case", "payer_person", "payer_organisation")
        .order_by("-updated_at", "-id")
    )


def invoice_get_overpaid_for_user(*, user, invoice_id) -> Invoice:
    """One invoice of the user's payees (any state: the service says whether it may be settled)."""
    try:
        invoice_id = int(invoice_id)
    except (TypeError, ValueError):
        raise InvoiceNotFound() from None
    invoice = Invoice.objects.filter(
        pk=invoice_id, payee__agency_id__in=sorted(agency_ids_for_user(user=user))
    ).first()
    if invoice is None:
        raise InvoiceNotFound()
    return invoice
