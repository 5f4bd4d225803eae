"""The EPC QR code ("BCD", EPC069-12 version 002) a banking app scans to pay an invoice: a SEPA credit
transfer to the payee's IBAN of the amount due, with the invoice's RF reference as the structured
remittance information. The payload is built here (one place, asserted by the tests against segno's
own EPC builder) and drawn by segno with what the standard demands: error correction M, version ≤ 13.
"""

from __future__ import annotations

from decimal import Decimal

import segno

EPC_MAX_BYTES = 331


def epc_amount(amount: Decimal) -> str:
    """`EUR4.27`, `EUR30`, `EUR0.1`: at most two decimals, no trailing zeros."""
    return f"EUR{Decimal(amount):.2f}".rstrip("0").rstrip(".")


def epc_payload(*, name: str, iban: str, amount: Decimal, reference: str, bic: str = "") -> str:
    """The lines of the payload, UTF-8 (character set 1), structured reference, no purpose code."""
    if not Decimal("0.01") <= Decimal(amount) <= Decimal("999999999.99"):
        raise ValueError("amount out of range")
    lines = [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set: UTF-8
        "SCT",  # SEPA credit transfer
        bic.strip(),
        name.strip()[:70],
        iban,
        epc_amount(amount),
        "",  # purpose
        reference,  # structured creditor reference (ISO 11649)
    ]
    payload = "\n".join(lines)
    if len(payload.encode("utf-8")) > EPC_MAX_BYTES:
        raise ValueError("EPC payload too long")
    return payload


def epc_qr(payload: str) -> segno.QRCode:
    qr = segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False)
    if qr.version > 13:  # the standard's limit; cannot happen within 331 bytes at level M
        raise ValueError("EPC QR code too large")
    return qr


def invoice_epc_payload(invoice) -> str:
    """The payload of an invoice: its payee, what is still due, its reference."""
    payee = invoice.payee
    return epc_payload(
        name=payee.legal_name,
        iban=payee.iban,
        bic=payee.bic,
        amount=invoice.amount_due or invoice.amount,
        reference=invoice.reference,
    )


def invoice_qr_png_data_uri(invoice) -> str:
    """For the PDF (WeasyPrint reads data: URIs)."""
    return epc_qr(invoice_epc_payload(invoice)).png_data_uri(scale=5, border=4)


def invoice_qr_svg(invoice, *, label: str) -> str:
    """For a page: inline SVG (the CSP allows images from the site only, not data: URIs), labelled."""
    svg = epc_qr(invoice_epc_payload(invoice)).svg_inline(scale=4, border=4, title=label)
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)
