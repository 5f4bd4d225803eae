"""A streaming reader of ISO 20022 bank-to-customer cash-management messages: camt.053 (the end-of-day
statement, `BkToCstmrStmt/Stmt`) and camt.054 (the debit/credit notification,
`BkToCstmrDbtCdtNtfctn/Ntfctn`), namespace versions .001.02 to .001.08.

The file is untrusted: it is read with defusedxml's parser (`defusedxml.ElementTree.XMLParser`, the
one `defusedxml.ElementTree.iterparse` uses) refusing a DTD (`forbid_dtd=True`), entity declarations
(so no billion laughs) and external references. It is fed in 64 kB pieces to a parser *target* that
keeps only the fields read here, for the entry being read (its start and end handlers are set on
the defused parser's own expat parser, beside defusedxml's refusals, so no ElementTree wrapper runs
per element): no element tree is built at all, so the memory held does not grow with the file, and
a 100,000-entry statement is read in about 7 s where `iterparse` took about 19 s (it builds every
element, queues an event for each start and end, and the tree is walked again for the fields). Anything that makes the whole file unusable (not XML, a DTD or an
entity, an unknown namespace, a statement without an IBAN) raises a `StatementRefused` subclass; a
bad single entry is reported on its item (`problem`) and the rest is read.

`read(file)` yields, in document order:

- a `CamtStatement` per statement (or notification) before its first item: the account's IBAN, the
  message and statement ids, the opening and closing balances;
- a `CamtItem` per transaction of each booked credit entry (`CdtDbtInd` CRDT) and of each booked
  reversal (`RvslInd` true): one per `NtryDtls/TxDtls` with that transaction's amount (`TxDtls/Amt`,
  else `AmtDtls/TxAmt/Amt`; a batch entry of three transactions gives three items, never its total),
  or one with the entry's amount when the entry has no transaction details;
- a `CamtStatementEnd` after each statement: the counts of what was not yielded (debits that are not
  reversals, entries not booked) and the balance check.

**The balance check (camt.053).** The opening balance (`Bal` of type OPBD, else PRCD) plus the booked
credit entries' amounts minus the booked debit entries' amounts (each entry's own `Ntry/Amt`,
reversals included, entries of status other than BOOK left out) must equal the closing balance
(CLBD); balances are signed by their `CdtDbtInd`. The result is `ok`, `mismatch` (reported, not
fatal: the entries are still imported) or `not_checked` (no opening or closing balance — a camt.054
has none — or a booked entry whose amount cannot be read).

**The entry reference** that identifies an entry across files is `NtryRef`, else `AcctSvcrRef`. An
entry with neither gets a stable fallback: `~` and the first 24 hex digits of the SHA-256 of what the
entry says (booking and value dates, amount, currency, credit or debit, reversal, the bank's
transaction code and each transaction's references, remittance information, debtor name and
account), then `.` and the how-many-th entry with that digest this statement is (1, 2, …), so the
same file read again gives the same references and two identical entries in one file stay apart.

**The payment reference** of an item is the first `RmtInf/Strd/CdtrRefInf/Ref` (or `CdtrRef`) that is
a valid ISO 11649 RF reference; failing that, an RF reference written in the unstructured remittance
text (`RmtInf/Ustrd`, else the transaction's or the entry's additional information) with any spacing
and case (the groups after "RF" are read up to the first group without a digit; the longest that
passes the check digits wins); failing that, the structured reference as written (it matches no
invoice). Compact form (`RF…`, no spaces, capitals).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import XMLParser
from django.utils.translation import gettext as _

from .constants import BalanceCheck, BankStatementKind, BankTransactionProblem
from .exceptions import StatementMalformed, StatementNotXml, StatementUnknownFormat, StatementUnsafe
from .references import rf_compact, rf_is_valid

CAMT053 = BankStatementKind.CAMT053
CAMT054 = BankStatementKind.CAMT054
_NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
# namespace -> (kind, the message element, the statement element)
NAMESPACES: dict[str, tuple[str, str, str]] = {
    **{f"{_NS_PREFIX}camt.053.001.{v:02d}": (CAMT053, "BkToCstmrStmt", "Stmt") for v in range(2, 9)},
    **{
        f"{_NS_PREFIX}camt.054.001.{v:02d}": (CAMT054, "BkToCstmrDbtCdtNtfctn", "Ntfctn") for v in range(2, 9)
    },
}

BALANCE_OK = BalanceCheck.OK
BALANCE_MISMATCH = BalanceCheck.MISMATCH
BALANCE_NOT_CHECKED = BalanceCheck.NOT_CHECKED

# why one item cannot be booked (the service adds its own: currency, range)
PROBLEM_AMOUNT_NOT_NUMERIC = BankTransactionProblem.AMOUNT_NOT_NUMERIC
PROBLEM_AMOUNT_NEGATIVE = BankTransactionProblem.AMOUNT_NEGATIVE
PROBLEM_AMOUNT_PRECISION = BankTransactionProblem.AMOUNT_PRECISION
PROBLEM_AMOUNT_MISSING = BankTransactionProblem.AMOUNT_MISSING
PROBLEM_DATE_MISSING = BankTransactionProblem.DATE_MISSING

_DECIMAL = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
_CENT = Decimal("0.01")
# "RF" where a word starts, then two check digits (spaces allowed between)
_RF_START = re.compile(r"(?<![0-9A-Za-z])[Rr]\s*[Ff]\s*(?=[0-9]\s*[0-9])")
_RF_GROUPS = re.compile(r"[0-9A-Za-z]+")
REMITTANCE_MAX = 280


@dataclass(frozen=True, slots=True)
class CamtStatement:
    kind: str  # CAMT053 or CAMT054
    namespace: str
    message_id: str
    statement_id: str
    account_iban: str
    account_currency: str
    opening_balance: Decimal | None
    closing_balance: Decimal | None


@dataclass(frozen=True, slots=True)
class CamtItem:
    account_iban: str
    entry_reference: str
    tx_index: int  # the transaction's place within its entry, from 1
    amount: Decimal | None  # None when `problem` says the amount is unusable
    amount_text: str  # as written
    currency: str
    booked_on: datetime.date | None
    reference: str  # compact; "" when none
    remittance: str
    debtor_name: str
    is_credit: bool
    is_reversal: bool
    problem: str = ""


@dataclass(slots=True)
class CamtStatementEnd:
    statement_id: str
    entries: int = 0
    debits_ignored: int = 0
    not_booked: int = 0
    credits_total: Decimal = Decimal("0.00")
    debits_total: Decimal = Decimal("0.00")
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    balance_check: str = BALANCE_NOT_CHECKED
    _amounts_unreadable: bool = field(default=False, repr=False)

    def as_report(self) -> dict:
        def text(value):
            return None if value is None else str(value)

        return {
            "statement_id": self.statement_id,
            "opening": text(self.opening_balance),
            "closing": text(self.closing_balance),
            "credits": str(self.credits_total),
            "debits": str(self.debits_total),
            "check": self.balance_check,
        }


def parse_amount(text: str) -> tuple[Decimal | None, str]:
    """(the amount, "") or (None, why not): a plain decimal number, not negative, whole cents
    (`10.500` is 10.50; `10.505` is refused)."""
    if not _DECIMAL.match(text):
        return None, PROBLEM_AMOUNT_NOT_NUMERIC
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        return None, PROBLEM_AMOUNT_NOT_NUMERIC
    if amount < 0:
        return None, PROBLEM_AMOUNT_NEGATIVE
    if amount != amount.quantize(_CENT):
        return None, PROBLEM_AMOUNT_PRECISION
    return amount.quantize(_CENT), ""


def _parse_date(text: str) -> datetime.date | None:
    """A date, or the date part of a date-time as the bank wrote it (its local day)."""
    try:
        return datetime.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def rf_in_text(text: str) -> str:
    """An RF reference written anywhere in `text` with any spacing and case, compact; "" if none."""
    for start in _RF_START.finditer(text):
        groups = _RF_GROUPS.findall(text[start.end() : start.end() + 60])
        # the groups of the reference, up to the first one without a digit (a word after it)
        body: list[str] = []
        for group in groups:
            if not any(c.isdigit() for c in group):
                break
            body.append(group)
        for count in range(len(body), 0, -1):
            found = _rf_checked("RF" + "".join(body[:count]))
            if found:
                return found
    return ""


_RF_DIGITS = re.compile(r"^RF[0-9]{3,23}$")


def _rf_checked(reference: str) -> str:
    """The reference in compact form if it is a valid RF reference, else "": `references.rf_is_valid`
    with a fast path for the all-digit references invoices have (ISO 7064 mod 97-10 over body + "RF"
    (27 15) + the check digits); a file brings many thousands."""
    compact = reference.replace(" ", "").upper()
    if _RF_DIGITS.match(compact):
        return compact if int(compact[4:] + "2715" + compact[2:4]) % 97 == 1 else ""
    return rf_compact(reference) if len(compact) <= 25 and rf_is_valid(reference) else ""


def payment_reference(structured: list[str], texts: list[str]) -> str:
    """The item's payment reference, as the module's docstring says."""
    for ref in structured:
        found = _rf_checked(ref)
        if found:
            return found
    for text in texts:
        found = rf_in_text(text)
        if found:
            return found
    for ref in structured:
        if ref:
            return re.sub(r"\s+", "", ref).upper()[:35]
    return ""


CHUNK = 64 * 1024

# The target reads by states: each element's state follows from its parent's and its local name
# (`_moves`); the elements that matter have their own state, the rest are ignored or, under a
# transaction's references and related parties and under the bank's transaction code, collected
# (for an entry's fallback reference). A state per path: no path is built or compared per element.
(
    IGNORE,
    DOCUMENT,
    MESSAGE,
    GROUP_HEADER,
    MESSAGE_ID,
    STATEMENT,
    STATEMENT_ID,
    ACCOUNT,
    ACCOUNT_ID,
    ACCOUNT_IBAN,
    ACCOUNT_CCY,
    BALANCE,
    BALANCE_TYPE,
    BALANCE_CODE_OR_PROPRIETARY,
    BALANCE_CODE,
    BALANCE_AMOUNT,
    BALANCE_DIRECTION,
    ENTRY,
    E_AMOUNT,
    E_DIRECTION,
    E_REVERSAL,
    E_STATUS,
    E_STATUS_CODE,
    E_BOOKED,
    E_BOOKED_DATE,
    E_VALUE,
    E_VALUE_DATE,
    E_NTRY_REF,
    E_SVCR_REF,
    E_ADDTL,
    E_BANK_CODE,
    E_DETAILS,
    TX,
    T_AMOUNT,
    T_AMOUNT_DETAILS,
    T_TX_AMOUNT,
    T_TX_AMOUNT_AMOUNT,
    T_REMITTANCE,
    T_USTRD,
    T_STRD,
    T_CREDITOR_REF_INFO,
    T_REF,
    T_PARTIES,
    T_DEBTOR,
    T_DEBTOR_NAME,
    T_DEBTOR_PARTY,
    T_ADDTL,
    COLLECT_ENTRY,
    COLLECT_TX,
) = range(49)


def _moves(message: str, statement: str) -> dict[tuple[int, str], int]:
    return {
        (DOCUMENT, message): MESSAGE,
        (MESSAGE, "GrpHdr"): GROUP_HEADER,
        (GROUP_HEADER, "MsgId"): MESSAGE_ID,
        (MESSAGE, statement): STATEMENT,
        (STATEMENT, "Id"): STATEMENT_ID,
        (STATEMENT, "Acct"): ACCOUNT,
        (ACCOUNT, "Id"): ACCOUNT_ID,
        (ACCOUNT_ID, "IBAN"): ACCOUNT_IBAN,
        (ACCOUNT, "Ccy"): ACCOUNT_CCY,
        (STATEMENT, "Bal"): BALANCE,
        (BALANCE, "Tp"): BALANCE_TYPE,
        (BALANCE_TYPE, "CdOrPrtry"): BALANCE_CODE_OR_PROPRIETARY,
        (BALANCE_CODE_OR_PROPRIETARY, "Cd"): BALANCE_CODE,
        (BALANCE, "Amt"): BALANCE_AMOUNT,
        (BALANCE, "CdtDbtInd"): BALANCE_DIRECTION,
        (STATEMENT, "Ntry"): ENTRY,
        (ENTRY, "Amt"): E_AMOUNT,
        (ENTRY, "CdtDbtInd"): E_DIRECTION,
        (ENTRY, "RvslInd"): E_REVERSAL,
        (ENTRY, "Sts"): E_STATUS,  # <Sts>BOOK</Sts> up to .001.06
        (E_STATUS, "Cd"): E_STATUS_CODE,  # <Sts><Cd>BOOK</Cd></Sts> after
        (ENTRY, "BookgDt"): E_BOOKED,
        (E_BOOKED, "Dt"): E_BOOKED_DATE,
        (E_BOOKED, "DtTm"): E_BOOKED_DATE,
        (ENTRY, "ValDt"): E_VALUE,
        (E_VALUE, "Dt"): E_VALUE_DATE,
        (E_VALUE, "DtTm"): E_VALUE_DATE,
        (ENTRY, "NtryRef"): E_NTRY_REF,
        (ENTRY, "AcctSvcrRef"): E_SVCR_REF,
        (ENTRY, "AddtlNtryInf"): E_ADDTL,
        (ENTRY, "BkTxCd"): E_BANK_CODE,
        (ENTRY, "NtryDtls"): E_DETAILS,
        (E_DETAILS, "TxDtls"): TX,
        (TX, "Amt"): T_AMOUNT,
        (TX, "AmtDtls"): T_AMOUNT_DETAILS,
        (T_AMOUNT_DETAILS, "TxAmt"): T_TX_AMOUNT,
        (T_TX_AMOUNT, "Amt"): T_TX_AMOUNT_AMOUNT,
        (TX, "RmtInf"): T_REMITTANCE,
        (T_REMITTANCE, "Ustrd"): T_USTRD,
        (T_REMITTANCE, "Strd"): T_STRD,
        (T_STRD, "CdtrRefInf"): T_CREDITOR_REF_INFO,
        (T_CREDITOR_REF_INFO, "Ref"): T_REF,
        (T_CREDITOR_REF_INFO, "CdtrRef"): T_REF,  # the 2009 versions' name
        (TX, "RltdPties"): T_PARTIES,
        (T_PARTIES, "Dbtr"): T_DEBTOR,
        (T_DEBTOR, "Nm"): T_DEBTOR_NAME,  # up to .001.07
        (T_DEBTOR, "Pty"): T_DEBTOR_PARTY,  # .001.08: Dbtr/Pty/Nm
        (T_DEBTOR_PARTY, "Nm"): T_DEBTOR_NAME,
        (TX, "Refs"): COLLECT_TX,
        (TX, "AddtlTxInf"): T_ADDTL,
    }


# the states whose start does something
_STARTS = frozenset({TX, ENTRY, STATEMENT, BALANCE, E_AMOUNT, T_AMOUNT, T_TX_AMOUNT_AMOUNT})
# an element not in _moves(): collected under these, ignored elsewhere
_UNKNOWN_CHILD = {
    E_BANK_CODE: COLLECT_ENTRY,
    COLLECT_ENTRY: COLLECT_ENTRY,
    T_PARTIES: COLLECT_TX,
    COLLECT_TX: COLLECT_TX,
}


class _Transaction:
    __slots__ = (
        "amount_text",
        "currency",
        "tx_amount_text",
        "tx_currency",
        "structured",
        "texts",
        "addtl",
        "debtor",
        "other",
    )

    def __init__(self):
        self.amount_text: str | None = None
        self.tx_amount_text: str | None = None
        self.currency = self.tx_currency = self.addtl = self.debtor = ""
        self.structured: list[str] = []
        self.texts: list[str] = []
        self.other: list[str] = []  # the references and the debtor's account: for the fallback key


class _Entry:
    __slots__ = (
        "amount_text",
        "currency",
        "direction",
        "reversal",
        "status",
        "booked",
        "value_date",
        "ntry_ref",
        "svcr_ref",
        "addtl",
        "bank_code",
        "details",
    )

    def __init__(self):
        self.amount_text = self.currency = self.direction = self.reversal = self.status = ""
        self.booked = self.value_date = self.ntry_ref = self.svcr_ref = self.addtl = ""
        self.bank_code: list[str] = []
        self.details: list[_Transaction] = []


class _Target:
    """The parser's target: told of each start, end and text; keeps the states of the open elements,
    the text of the element being read, the entry being read, and queues what it made."""

    def __init__(self, reader: CamtReader):
        self.reader = reader
        self.out: deque = deque()
        self.states: list[int] = []
        self.text = ""
        self.moves: dict[tuple[int, str], int] = {}  # (state, "namespace}local") -> the child's state
        self.prefix = ""  # "namespace}"
        self.ccy = ""  # the Ccy of the last amount started
        self.header: CamtStatement | None = None
        self.end_: CamtStatementEnd | None = None
        self.statement_fields: dict[str, str] = {}
        self.balances: list[dict[str, str]] = []
        self.entry = _Entry()
        self.tx = _Transaction()
        self.seen: dict[str, int] = {}

    # --- the parser's calls ---------------------------------------------------------------------

    def start(self, tag: str, attrib: dict) -> None:
        """ElementTree's target call ("{namespace}local", {attribute: value})."""
        self.start_raw(tag[1:] if tag.startswith("{") else tag, [x for pair in attrib.items() for x in pair])

    def start_raw(self, name: str, attributes: list[str]) -> None:
        """Expat's call ("namespace}local", [attribute, value, …]): what `CamtReader` installs on the
        defused parser's expat parser, so that no Python wrapper runs per element."""
        states = self.states
        if not states:
            self._root("{" + name if "}" in name else name)
            states.append(DOCUMENT)
            return
        parent = states[-1]
        state = self.moves.get((parent, name))
        if state is None:
            state = _UNKNOWN_CHILD.get(parent, IGNORE)
        states.append(state)
        self.text = ""
        if state not in _STARTS:
            return
        if state == TX:
            self.tx = _Transaction()
            self.entry.details.append(self.tx)
        elif state == ENTRY:
            if self.header is None:
                self._statement_start()
            self.entry = _Entry()
        elif state == STATEMENT:
            self.statement_fields, self.balances, self.header, self.end_ = {}, [], None, None
        elif state == BALANCE:
            self.balances.append({})
        else:  # an amount: its currency
            self.ccy = ""
            for i in range(0, len(attributes) - 1, 2):
                if attributes[i] == "Ccy":
                    self.ccy = attributes[i + 1].strip()[:3]

    def data(self, data: str) -> None:
        self.text += data

    def end(self, tag: str) -> None:
        state = self.states.pop()  # (the tag is not needed: the states say where the parser is)
        if state == IGNORE:
            return
        if state >= ENTRY:
            self._entry_end(state)
        elif state == STATEMENT:
            if self.header is None:
                self._statement_start()
            self.out.append(self.reader._statement_end(self.end_))
            self.header = self.end_ = None
        elif state == STATEMENT_ID:
            self.statement_fields["id"] = self.text.strip()
        elif state == ACCOUNT_IBAN:
            self.statement_fields["iban"] = self.text.strip()
        elif state == ACCOUNT_CCY:
            self.statement_fields["ccy"] = self.text.strip()
        elif state == BALANCE_CODE:
            self.balances[-1]["code"] = self.text.strip()
        elif state == BALANCE_AMOUNT:
            self.balances[-1]["amount"] = self.text.strip()
        elif state == BALANCE_DIRECTION:
            self.balances[-1]["direction"] = self.text.strip()
        elif state == MESSAGE_ID:
            self.reader.message_id = self.text.strip()[:35]

    def close(self) -> None:
        if not self.prefix:  # pragma: no cover - expat refuses an empty document first
            raise StatementNotXml()

    # --- what the calls mean ----------------------------------------------------------------------

    def _entry_end(self, state: int) -> None:
        if state >= TX:
            tx = self.tx
            if state == T_USTRD:
                tx.texts.append(self.text.strip())
            elif state == T_REF:
                tx.structured.append(self.text.strip())
            elif state == T_DEBTOR_NAME:
                tx.debtor = self.text.strip()
            elif state == T_AMOUNT:
                tx.amount_text, tx.currency = self.text.strip(), self.ccy
            elif state == T_TX_AMOUNT_AMOUNT:
                tx.tx_amount_text, tx.tx_currency = self.text.strip(), self.ccy
            elif state == COLLECT_TX:
                if text := self.text.strip():
                    tx.other.append(text)
            elif state == T_ADDTL:
                tx.addtl = self.text.strip()
            elif state == COLLECT_ENTRY and (text := self.text.strip()):
                self.entry.bank_code.append(text)
            return
        entry = self.entry
        if state == ENTRY:
            self.reader._entry(entry, self)
        elif state == E_AMOUNT:
            entry.amount_text, entry.currency = self.text.strip(), self.ccy
        elif state == E_DIRECTION:
            entry.direction = self.text.strip()
        elif state == E_BOOKED_DATE:
            entry.booked = self.text.strip()
        elif state in (E_STATUS, E_STATUS_CODE):
            if text := self.text.strip():
                entry.status = text
        elif state == E_NTRY_REF:
            entry.ntry_ref = self.text.strip()
        elif state == E_SVCR_REF:
            entry.svcr_ref = self.text.strip()
        elif state == E_REVERSAL:
            entry.reversal = self.text.strip()
        elif state == E_VALUE_DATE:
            entry.value_date = self.text.strip()
        elif state == E_ADDTL:
            entry.addtl = self.text.strip()

    def _root(self, tag: str) -> None:
        namespace, _sep, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        known = NAMESPACES.get(namespace)
        if local != "Document" or known is None:
            raise StatementUnknownFormat(
                _(
                    "The file is not a camt.053 or camt.054 message of versions 02 to 08 "
                    "(its namespace is “%(namespace)s”)."
                )
                % {"namespace": (namespace or _("none"))[:100]}
            )
        self.prefix = namespace + "}"  # how expat writes the names: "namespace}local"
        self.reader.namespace, self.reader.kind = namespace, known[0]
        self.moves = {
            (state, self.prefix + local): child for (state, local), child in _moves(*known[1:]).items()
        }

    def _statement_start(self) -> None:
        self.header, self.end_ = self.reader._statement_start(self.statement_fields, self.balances)
        self.seen = {}
        self.out.append(self.header)


class CamtReader:
    """Iterate over `read(file)`; the attributes say what the file is once its root was read."""

    def __init__(self, file: BinaryIO):
        self.file = file
        self.namespace = ""
        self.kind = ""
        self.message_id = ""

    def __iter__(self) -> Iterator[CamtStatement | CamtItem | CamtStatementEnd]:
        target = _Target(self)
        parser = XMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        # the defused parser's expat parser (where defusedxml set its refusals) calls the target
        # directly: ElementTree's per-element wrappers cost a third of the reading time
        expat = parser.parser
        expat.StartElementHandler = target.start_raw
        expat.EndElementHandler = target.end
        out = target.out
        try:
            while chunk := self.file.read(CHUNK):
                parser.feed(chunk)
                while out:
                    yield out.popleft()
            parser.close()
            while out:
                yield out.popleft()
        except DefusedXmlException as error:
            raise StatementUnsafe(_("The file declares a DTD or entities, which are refused.")) from error
        except ParseError as error:
            line, column = getattr(error, "position", (0, 0))
            raise StatementNotXml(
                _("The file is not well-formed XML (line %(line)s, column %(column)s).")
                % {"line": line, "column": column}
            ) from error

    # --- a statement ----------------------------------------------------------------------------

    def _statement_start(
        self, fields: dict[str, str], balances: list[dict[str, str]]
    ) -> tuple[CamtStatement, CamtStatementEnd]:
        statement_id = fields.get("id", "")[:35]
        iban = re.sub(r"\s+", "", fields.get("iban", "")).upper()
        if not iban:
            raise StatementMalformed(
                _("Statement “%(id)s” names no account IBAN (Acct/Id/IBAN).") % {"id": statement_id}
            )
        opening = closing = None
        opening_code = ""
        for bal in balances:
            code = bal.get("code", "")
            if code == "OPBD" and opening_code != "OPBD" or code == "PRCD" and not opening_code:
                opening, opening_code = _signed_balance(bal), code
            elif code == "CLBD" and closing is None:
                closing = _signed_balance(bal)
        header = CamtStatement(
            kind=self.kind,
            namespace=self.namespace,
            message_id=self.message_id,
            statement_id=statement_id,
            account_iban=iban[:34],
            account_currency=fields.get("ccy", "")[:3],
            opening_balance=opening,
            closing_balance=closing,
        )
        end = CamtStatementEnd(statement_id=statement_id, opening_balance=opening, closing_balance=closing)
        return header, end

    @staticmethod
    def _statement_end(end: CamtStatementEnd) -> CamtStatementEnd:
        if end.opening_balance is None or end.closing_balance is None or end._amounts_unreadable:
            end.balance_check = BALANCE_NOT_CHECKED
        elif end.opening_balance + end.credits_total - end.debits_total == end.closing_balance:
            end.balance_check = BALANCE_OK
        else:
            end.balance_check = BALANCE_MISMATCH
        return end

    # --- an entry -------------------------------------------------------------------------------

    def _entry(self, e: _Entry, target: _Target) -> None:
        header, end, out = target.header, target.end_, target.out
        end.entries += 1
        amount, amount_problem = parse_amount(e.amount_text)
        if e.status and e.status != "BOOK":
            end.not_booked += 1
            return
        is_credit = e.direction == "CRDT"
        is_reversal = e.reversal.lower() in ("true", "1")
        if amount is None:
            end._amounts_unreadable = True
        elif is_credit:
            end.credits_total += amount
        elif e.direction == "DBIT":
            end.debits_total += amount
        if not is_credit and not (e.direction == "DBIT" and is_reversal):
            end.debits_ignored += 1
            return
        booked_on = _parse_date(e.booked)
        reference = e.ntry_ref[:35] or e.svcr_ref[:35] or self._fallback_reference(e, target.seen)
        if not e.details:
            out.append(
                CamtItem(
                    account_iban=header.account_iban,
                    entry_reference=reference,
                    tx_index=1,
                    amount=amount,
                    amount_text=e.amount_text[:40],
                    currency=e.currency,
                    booked_on=booked_on,
                    reference=payment_reference([], [e.addtl]),
                    remittance=e.addtl[:REMITTANCE_MAX],
                    debtor_name="",
                    is_credit=is_credit,
                    is_reversal=is_reversal,
                    problem=amount_problem or ("" if booked_on else PROBLEM_DATE_MISSING),
                )
            )
            return
        single = len(e.details) == 1
        for index, tx in enumerate(e.details, start=1):
            if tx.amount_text is not None:
                tx_text, tx_currency = tx.amount_text, tx.currency
                tx_amount, problem = parse_amount(tx_text)
            elif tx.tx_amount_text is not None:
                tx_text, tx_currency = tx.tx_amount_text, tx.tx_currency
                tx_amount, problem = parse_amount(tx_text)
            elif single:
                tx_text, tx_currency, tx_amount, problem = e.amount_text, e.currency, amount, amount_problem
            else:
                tx_text, tx_currency, tx_amount, problem = "", e.currency, None, PROBLEM_AMOUNT_MISSING
            texts = tx.texts if any(tx.texts) else [tx.addtl, e.addtl]
            out.append(
                CamtItem(
                    account_iban=header.account_iban,
                    entry_reference=reference,
                    tx_index=index,
                    amount=tx_amount,
                    amount_text=tx_text[:40],
                    currency=tx_currency,
                    booked_on=booked_on,
                    reference=payment_reference(tx.structured, texts),
                    remittance=" ".join(t for t in texts if t)[:REMITTANCE_MAX],
                    debtor_name=tx.debtor[:140],
                    is_credit=is_credit,
                    is_reversal=is_reversal,
                    problem=problem or ("" if booked_on else PROBLEM_DATE_MISSING),
                )
            )

    @staticmethod
    def _fallback_reference(e: _Entry, seen: dict[str, int]) -> str:
        parts = [
            e.booked,
            e.value_date,
            e.amount_text,
            e.currency,
            e.direction,
            e.reversal,
            *e.bank_code,
            e.addtl,
        ]
        for tx in e.details:
            parts += [
                tx.amount_text or tx.tx_amount_text or "",
                *tx.structured,
                *tx.texts,
                tx.debtor,
                *tx.other,
            ]
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]
        seen[digest] = seen.get(digest, 0) + 1
        return f"~{digest}.{seen[digest]}"


def _signed_balance(bal: dict[str, str]) -> Decimal | None:
    amount, problem = parse_amount(bal.get("amount", ""))
    if problem:
        return None
    return -amount if bal.get("direction") == "DBIT" else amount


def read(file: BinaryIO) -> CamtReader:
    """The statements, items and statement ends of a camt.053 or camt.054 file (see the module)."""
    return CamtReader(file)
