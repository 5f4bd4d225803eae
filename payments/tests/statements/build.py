"""Small camt.053 / camt.054 documents for the tests: `document([entry(...), ...])`.

The sample files beside this module are real-looking whole statements; these are for the cases a
test states in a line (a version, a batch without amounts, a reversal in the same file, …).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
IBAN = "LV31TREL9100000000001"  # the payee of the tests (PMLP)
OTHER_IBAN = "LV04TREL9100000000002"  # another agency's account


def path(name: str) -> Path:
    return HERE / name


def namespace(kind: str = "camt.053", version: int = 2) -> str:
    return f"urn:iso:std:iso:20022:tech:xsd:{kind}.001.{version:02d}"


def tx(
    amount: str | None = None,
    *,
    ccy: str = "EUR",
    ref: str | None = None,
    ustrd: str | None = None,
    debtor: str | None = None,
    amount_in: str = "Amt",
    party: bool = False,
) -> str:
    """A TxDtls: the amount in TxDtls/Amt (`amount_in="Amt"`) or AmtDtls/TxAmt/Amt ("TxAmt")."""
    parts = []
    if amount is not None and amount_in == "Amt":
        parts.append(f'<Amt Ccy="{ccy}">{amount}</Amt>')
    if amount is not None and amount_in == "TxAmt":
        parts.append(f'<AmtDtls><TxAmt><Amt Ccy="{ccy}">{amount}</Amt></TxAmt></AmtDtls>')
    if debtor is not None:
        name = f"<Nm>{escape(debtor)}</Nm>"
        parts.append(f"<RltdPties><Dbtr>{f'<Pty>{name}</Pty>' if party else name}</Dbtr></RltdPties>")
    remittance = ""
    if ustrd is not None:
        remittance += f"<Ustrd>{escape(ustrd)}</Ustrd>"
    if ref is not None:
        remittance += f"<Strd><CdtrRefInf><Ref>{escape(ref)}</Ref></CdtrRefInf></Strd>"
    if remittance:
        parts.append(f"<RmtInf>{remittance}</RmtInf>")
    return f"<TxDtls>{''.join(parts)}</TxDtls>"


def entry(
    amount: str = "4.27",
    *,
    ccy: str = "EUR",
    direction: str = "CRDT",
    reversal: bool = False,
    status: str | None = "BOOK",
    status_code: bool = False,
    booked: str | None = "2026-11-30",
    ntry_ref: str | None = None,
    svcr_ref: str | None = None,
    details: list[str] | None = None,
    addtl: str | None = None,
) -> str:
    parts = []
    if ntry_ref is not None:
        parts.append(f"<NtryRef>{ntry_ref}</NtryRef>")
    parts.append(f'<Amt Ccy="{ccy}">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>')
    if reversal:
        parts.append("<RvslInd>true</RvslInd>")
    if status is not None:
        parts.append(f"<Sts><Cd>{status}</Cd></Sts>" if status_code else f"<Sts>{status}</Sts>")
    if booked is not None:
        parts.append(f"<BookgDt><Dt>{booked}</Dt></BookgDt>")
    if svcr_ref is not None:
        parts.append(f"<AcctSvcrRef>{svcr_ref}</AcctSvcrRef>")
    if details:
        parts.append(f"<NtryDtls>{''.join(details)}</NtryDtls>")
    if addtl is not None:
        parts.append(f"<AddtlNtryInf>{escape(addtl)}</AddtlNtryInf>")
    return f"<Ntry>{''.join(parts)}</Ntry>"


def balance(code: str, amount: str, direction: str = "CRDT") -> str:
    return (
        f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amount}</Amt>'
        f"<CdtDbtInd>{direction}</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>"
    )


def statement(
    entries: list[str],
    *,
    iban: str = IBAN,
    statement_id: str = "S-1",
    balances: str = "",
    element: str = "Stmt",
) -> str:
    account = f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>" if iban else "<Acct><Id/></Acct>"
    return f"<{element}><Id>{statement_id}</Id>{account}{balances}{''.join(entries)}</{element}>"


def document(
    entries: list[str] | None = None,
    *,
    kind: str = "camt.053",
    version: int = 2,
    iban: str = IBAN,
    balances: str = "",
    statements: list[str] | None = None,
    message_id: str = "MSG-1",
) -> bytes:
    """A whole document; `statements` (made with `statement(...)`) instead of one of `entries`."""
    message, element = (
        ("BkToCstmrStmt", "Stmt") if kind == "camt.053" else ("BkToCstmrDbtCdtNtfctn", "Ntfctn")
    )
    if statements is None:
        statements = [statement(entries or [], iban=iban, balances=balances, element=element)]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{namespace(kind, version)}"><{message}>'
        f"<GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>2026-11-30T23:00:00</CreDtTm></GrpHdr>"
        f"{''.join(statements)}</{message}></Document>\n"
    ).encode()
