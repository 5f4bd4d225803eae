"""The camt.053 / camt.054 reader: what it yields from several banks' layouts, what it refuses (not
XML, a DTD, an external entity, a billion laughs, an unknown namespace), single bad entries."""

import datetime
import io
import time
from decimal import Decimal

import pytest

from payments import camt
from payments.exceptions import (
    StatementMalformed,
    StatementNotXml,
    StatementUnknownFormat,
    StatementUnsafe,
)
from payments.tests.statements import build
from payments.tests.statements.build import IBAN, document, entry, tx


def read(source) -> list:
    data = build.path(source).read_bytes() if isinstance(source, str) else source
    return list(camt.read(io.BytesIO(data)))


def items(source) -> list[camt.CamtItem]:
    return [e for e in read(source) if isinstance(e, camt.CamtItem)]


def end_of(source) -> camt.CamtStatementEnd:
    return [e for e in read(source) if isinstance(e, camt.CamtStatementEnd)][-1]


# --- the sample files ------------------------------------------------------------------------------


def test_a_swedbank_like_v02_statement():
    events = read("swedbank_camt053_v02.xml")

    header, *rest, end = events
    assert header == camt.CamtStatement(
        kind="camt053",
        namespace="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
        message_id="SWED20261130-0001",
        statement_id="STMT-LV31TREL-20261130",
        account_iban=IBAN,
        account_currency="EUR",
        opening_balance=Decimal("1000.00"),
        closing_balance=Decimal("1014.43"),
    )
    assert [(i.entry_reference, i.tx_index, i.amount, i.reference) for i in rest] == [
        ("2026113000817201", 1, Decimal("4.27"), "RF301036000000101"),  # grouped, in the Ustrd text
        ("2026113000817202", 1, Decimal("2.00"), "RF461036000000201"),  # compact, lower case
        ("2026113000817203", 1, Decimal("10.00"), "RF621036000000301"),  # Strd/CdtrRefInf/Ref
        ("2026113000817204", 1, Decimal("7.50"), ""),  # no reference
        ("2026113000817206", 1, Decimal("3.00"), ""),  # no TxDtls: the entry's amount
    ]
    first = rest[0]
    assert first.debtor_name == "ANNA BĒRZIŅA" and first.booked_on == datetime.date(2026, 11, 30)
    assert first.remittance == "Rēķins RF30 1036 0000 0010 1 izziņa"
    assert first.is_credit and not first.is_reversal and first.currency == "EUR" and not first.problem
    assert (end.entries, end.debits_ignored, end.balance_check) == (6, 1, "ok")


def test_an_seb_like_v08_statement_gives_one_item_per_transaction_of_a_batch():
    found = items("seb_camt053_v08.xml")

    batch = [i for i in found if i.entry_reference == "UNLA2026113000000041"]
    assert [(i.tx_index, i.amount, i.reference, i.debtor_name) for i in batch] == [
        (1, Decimal("4.27"), "RF781036000000401", "Ilze Ozola"),
        (2, Decimal("4.27"), "RF941036000000501", "Māris Liepa"),
        (3, Decimal("1.00"), "RF219999000000101", "Dace Vītola"),
    ]
    assert batch[0].booked_on == datetime.date(2026, 11, 30)  # from BookgDt/DtTm
    dollars = [i for i in found if i.entry_reference == "UNLA2026113000000042"]
    assert [(i.currency, i.amount) for i in dollars] == [("USD", Decimal("4.27"))]
    end = end_of("seb_camt053_v08.xml")
    assert (end.not_booked, end.opening_balance, end.balance_check) == (1, Decimal("-250.00"), "ok")


def test_a_luminor_like_camt054_notification():
    header, item, end = read("luminor_camt054_v04.xml")

    assert header.kind == "camt054" and header.account_iban == IBAN  # written in groups in the file
    assert header.opening_balance is None and header.closing_balance is None
    assert (item.entry_reference, item.amount, item.reference) == (
        "RIKO-20261130-5501",
        Decimal("4.27"),
        "RF131036000000601",
    )
    assert (end.debits_ignored, end.balance_check) == (1, "not_checked")


def test_reversals_are_yielded_as_debits_marked_reversed():
    found = items("swedbank_camt053_v04_reversal.xml")

    assert [(i.is_credit, i.is_reversal, i.amount, i.reference) for i in found] == [
        (False, True, Decimal("4.27"), "RF301036000000101"),
        (False, True, Decimal("1.00"), "RF291036000000701"),
    ]


def test_single_bad_entries_are_reported_on_their_items():
    found = items("bad_amounts_camt053_v02.xml")

    assert [(i.amount_text, i.amount, i.currency, i.problem) for i in found] == [
        ("4.275", None, "EUR", "amount_precision"),
        ("-4.27", None, "EUR", "amount_negative"),
        ("4,27", None, "EUR", "amount_not_numeric"),
        ("50.00", Decimal("50.00"), "SEK", ""),  # the currency is the service's to refuse
        ("4.27", Decimal("4.27"), "EUR", ""),
    ]
    assert end_of("bad_amounts_camt053_v02.xml").balance_check == "not_checked"


# --- what is refused -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("bad_not_xml.csv", StatementNotXml),
        ("bad_external_entity.xml", StatementUnsafe),
        ("bad_billion_laughs.xml", StatementUnsafe),
        ("bad_unknown_namespace.xml", StatementUnknownFormat),
    ],
)
def test_unusable_files_are_refused(name, error):
    started = time.monotonic()

    with pytest.raises(error) as refused:
        read(name)

    assert time.monotonic() - started < 2  # nothing expanded
    assert refused.value.field_errors == {"file": [refused.value.message]}


def test_even_a_harmless_internal_dtd_is_refused():
    data = document([entry()]).replace(b"<Document", b"<!DOCTYPE Document []>\n<Document", 1)

    with pytest.raises(StatementUnsafe):
        read(data)


def test_an_undeclared_entity_is_not_xml():
    data = document([entry(details=[tx(ustrd="&nbsp;")])]).replace(b"&amp;nbsp;", b"&nbsp;")

    with pytest.raises(StatementNotXml):
        read(data)


@pytest.mark.parametrize("kind", ["camt.053", "camt.054"])
@pytest.mark.parametrize("version", range(2, 9))
def test_versions_02_to_08_are_read(kind, version):
    found = items(document([entry(svcr_ref="A-1")], kind=kind, version=version))

    assert [(i.entry_reference, i.amount) for i in found] == [("A-1", Decimal("4.27"))]


@pytest.mark.parametrize(
    "namespace",
    [
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.01",
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.09",
        "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
        "",
    ],
)
def test_other_namespaces_are_refused(namespace):
    data = document([entry()]).replace(
        b' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"',
        f' xmlns="{namespace}"'.encode() if namespace else b"",
    )

    with pytest.raises(StatementUnknownFormat):
        read(data)


def test_a_statement_without_an_iban_is_refused():
    with pytest.raises(StatementMalformed):
        read(document([entry()], iban=""))


# --- entries ---------------------------------------------------------------------------------------


def test_the_entry_reference_is_ntryref_else_the_banks_reference():
    found = items(document([entry(ntry_ref="N-1", svcr_ref="A-1"), entry(svcr_ref="A-2")]))

    assert [i.entry_reference for i in found] == ["N-1", "A-2"]


def test_an_entry_without_references_gets_a_stable_fallback_and_twins_stay_apart():
    twin = entry(details=[tx("4.27", ustrd="RF30 1036 0000 0010 1", debtor="Anna")])
    data = document([twin, twin, entry("5.00")])

    first = [i.entry_reference for i in items(data)]
    again = [i.entry_reference for i in items(data)]

    assert first == again
    assert first[0].startswith("~") and first[0].endswith(".1") and first[1] == first[0][:-1] + "2"
    assert first[2] != first[0] and all(len(ref) <= 40 for ref in first)


def test_a_batch_transaction_without_an_amount_is_a_problem_not_the_entry_total():
    found = items(document([entry("9.00", svcr_ref="B", details=[tx("4.00"), tx(None, ref="x")])]))

    assert [(i.amount, i.problem) for i in found] == [(Decimal("4.00"), ""), (None, "amount_missing")]


def test_a_single_transaction_without_an_amount_takes_the_entrys():
    found = items(document([entry("9.00", svcr_ref="B", details=[tx(None, ustrd="RF30 1036 0000 0010 1")])]))

    assert [(i.amount, i.reference) for i in found] == [(Decimal("9.00"), "RF301036000000101")]


def test_the_transaction_amount_may_be_in_amtdtls():
    found = items(
        document([entry("9.00", svcr_ref="B", details=[tx("3.00", amount_in="TxAmt"), tx("6.00")])])
    )

    assert [i.amount for i in found] == [Decimal("3.00"), Decimal("6.00")]


def test_debits_that_are_not_reversals_are_counted_not_yielded():
    data = document(
        [entry(direction="DBIT", svcr_ref="D"), entry(direction="CRDT", reversal=True, svcr_ref="R")]
    )

    found = items(data)

    assert [(i.entry_reference, i.is_credit, i.is_reversal) for i in found] == [("R", True, True)]
    assert end_of(data).debits_ignored == 1


def test_an_entry_without_a_booking_date_is_a_problem():
    found = items(document([entry(booked=None, svcr_ref="X")]))

    assert [(i.booked_on, i.problem) for i in found] == [(None, "date_missing")]


def test_a_balance_mismatch_is_reported_not_fatal():
    balances = build.balance("OPBD", "10.00") + build.balance("CLBD", "99.00")

    data = document([entry("4.27", svcr_ref="A")], balances=balances)

    assert len(items(data)) == 1
    end = end_of(data)
    assert (end.credits_total, end.balance_check) == (Decimal("4.27"), "mismatch")


def test_opbd_is_preferred_to_prcd_and_debit_balances_are_negative():
    balances = (
        build.balance("PRCD", "1.00")
        + build.balance("OPBD", "5.00", "DBIT")
        + build.balance("CLBD", "0.73", "DBIT")
    )

    end = end_of(document([entry("4.27", svcr_ref="A")], balances=balances))

    assert (end.opening_balance, end.closing_balance, end.balance_check) == (
        Decimal("-5.00"),
        Decimal("-0.73"),
        "ok",
    )


def test_several_statements_in_one_file_each_have_a_header_and_an_end():
    data = document(
        statements=[
            build.statement([entry(svcr_ref="A")], statement_id="S-1"),
            build.statement([entry(svcr_ref="B")], statement_id="S-2"),
        ]
    )

    kinds = [type(e).__name__ for e in read(data)]

    assert kinds == ["CamtStatement", "CamtItem", "CamtStatementEnd"] * 2


# --- amounts and references ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.27", (Decimal("4.27"), "")),
        ("4", (Decimal("4.00"), "")),
        ("4.270", (Decimal("4.27"), "")),  # the same cents
        ("+4.27", (Decimal("4.27"), "")),
        ("4.275", (None, "amount_precision")),
        ("-0.01", (None, "amount_negative")),
        ("4,27", (None, "amount_not_numeric")),
        ("1E+3", (None, "amount_not_numeric")),
        ("NaN", (None, "amount_not_numeric")),
        ("", (None, "amount_not_numeric")),
    ],
)
def test_amounts(text, expected):
    assert camt.parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rēķins RF30 1036 0000 0010 1 izziņa", "RF301036000000101"),
        ("rf301036000000101", "RF301036000000101"),
        ("Ref.:RF30 1036 0000 0010 1, paldies", "RF301036000000101"),
        ("r f 30 1036 0000 0010 1", "RF301036000000101"),
        ("RF30 1036 0000 0010 1 2026", "RF301036000000101"),  # a number after it is not taken in
        ("RF31 1036 0000 0010 1", ""),  # wrong check digits
        ("PERF30 1036 0000 0010 1", ""),  # not where a word starts
        ("par RF99 un RF46 1036 0000 0020 1", "RF461036000000201"),
        ("bez atsauces", ""),
    ],
)
def test_an_rf_reference_is_found_in_free_text(text, expected):
    assert camt.rf_in_text(text) == expected


def test_a_structured_reference_wins_and_a_non_rf_one_is_kept_as_written():
    assert camt.payment_reference(["RF46 1036 0000 0020 1"], ["RF301036000000101"]) == "RF461036000000201"
    assert camt.payment_reference(["12345 678"], ["RF301036000000101"]) == "RF301036000000101"
    assert camt.payment_reference(["12345 678"], ["nothing"]) == "12345678"
