"""The payee agency's finance staff: bank statements (upload, list, report), the credits that did not
match (assign to an invoice by its reference, or mark not ours) and the overpaid invoices (excess
returned). Thin: the selectors decide who may see what — the staff of the payee's agency; "not
found" for everyone else — and the services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegation.actors import actor_at_work
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.constants import Channel
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error
from kernel.paginators import WindowCountPaginator

from .exceptions import BankStatementNotFound, BankTransactionNotFound, InvoiceNotFound
from .forms_finance import AssignForm, NotOursForm, OverpaymentSettleForm, StatementUploadForm
from .services import invoice_overpayment_settle
from .services import statements as finance

PAGE_SIZE = 20
finance_required = assurance_required(AssuranceLevel.SUBSTANTIAL)


def _actor(request):
    """The official at work: for nobody in particular, on the agency channel."""
    return actor_at_work(request.actor, channel=Channel.AGENCY)


def _payees(request):
    """The payees of the user's agencies; 404 for anyone who is not an agency's staff with one."""
    payees = finance.finance_payees_for_user(user=request.user)
    if not payees:
        raise Http404
    return payees


def _page(request, queryset):
    return WindowCountPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- statements ------------------------------------------------------------------------------------


@finance_required
def statement_list_view(request):
    _payees(request)
    page = _page(request, finance.bank_statement_list_for_user(user=request.user))
    return render(request, "payments/finance/statement_list.html", {"page": page})


@finance_required
def statement_upload_view(request):
    payees = _payees(request)
    posted = request.method == "POST"
    form = StatementUploadForm(
        request.POST if posted else None, request.FILES if posted else None, payees=payees
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                statement = finance.bank_statement_import(
                    actor=_actor(request),
                    file=upload,
                    file_name=upload.name,
                    payee=form.cleaned_data["payee"],
                )
            except DomainError as error:
                form_add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The statement has been imported."))
                return redirect("payments:finance-statement-detail", pk=statement.pk)
    return render(request, "payments/finance/statement_upload.html", {"form": form}, status=status)


@finance_required
def statement_detail_view(request, pk: int):
    try:
        statement = finance.bank_statement_get_for_user(user=request.user, statement_id=pk)
    except BankStatementNotFound:
        raise Http404 from None
    page = _page(request, finance.bank_transaction_list_for_statement(statement=statement))
    return render(
        request,
        "payments/finance/statement_detail.html",
        {"statement": statement, "report": statement.report, "page": page},
    )


# --- what did not match ----------------------------------------------------------------------------


@finance_required
def unmatched_list_view(request):
    _payees(request)
    page = _page(request, finance.bank_transaction_list_open_for_user(user=request.user))
    return render(request, "payments/finance/unmatched_list.html", {"page": page})


def _transaction(request, pk: int):
    try:
        return finance.bank_transaction_get_for_user(user=request.user, transaction_id=pk)
    except BankTransactionNotFound:
        raise Http404 from None


def _transaction_page(request, tx, *, assign_form=None, not_ours_form=None, status=200):
    return render(
        request,
        "payments/finance/transaction_detail.html",
        {
            "tx": tx,
            "can_assign": finance.bank_transaction_assign_allowed(tx),
            "can_set_aside": finance.bank_transaction_not_ours_allowed(tx),
            "assign_form": assign_form or AssignForm(),
            "not_ours_form": not_ours_form or NotOursForm(),
        },
        status=status,
    )


@finance_required
def transaction_detail_view(request, pk: int):
    return _transaction_page(request, _transaction(request, pk))


@require_POST
@finance_required
def transaction_assign_view(request, pk: int):
    tx = _transaction(request, pk)
    form = AssignForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            invoice = finance.invoice_get_by_reference_for_payee(
                payee_id=tx.payee_id, reference=form.cleaned_data["reference"]
            )
            finance.bank_transaction_assign(actor=_actor(request), transaction=tx, invoice=invoice)
        except InvoiceNotFound:
            form.add_error("reference", _("None of your agency's invoices has this payment reference."))
        except DomainError as error:
            form_add_domain_error(form, error)
            status = error.status
        else:
            messages.success(
                request,
                _("The payment has been booked on invoice %(reference)s.")
                % {"reference": invoice.reference_display},
            )
            return redirect("payments:finance-unmatched")
    return _transaction_page(request, tx, assign_form=form, status=status)


@require_POST
@finance_required
def transaction_not_ours_view(request, pk: int):
    tx = _transaction(request, pk)
    form = NotOursForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            finance.bank_transaction_mark_not_ours(
                actor=_actor(request), transaction=tx, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            form_add_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, _("The transaction has been marked as not ours."))
            return redirect("payments:finance-unmatched")
    return _transaction_page(request, tx, not_ours_form=form, status=status)


# --- overpaid invoices -----------------------------------------------------------------------------


def _settle_form(invoice, data=None) -> OverpaymentSettleForm:
    """One form per invoice on the list, its fields' ids apart (prefix)."""
    return OverpaymentSettleForm(data, prefix=f"invoice-{invoice.pk}")


def _overpaid_page(request, *, failed=None, status=200):
    _payees(request)
    page = _page(request, finance.invoice_overpaid_list_for_user(user=request.user))
    rows = [
        (
            invoice,
            failed
            if failed is not None and failed.initial.get("pk") == invoice.pk
            else _settle_form(invoice),
        )
        for invoice in page.object_list
    ]
    return render(request, "payments/finance/overpaid_list.html", {"page": page, "rows": rows}, status=status)


@finance_required
def overpaid_list_view(request):
    return _overpaid_page(request)


@require_POST
@finance_required
def overpaid_settle_view(request, pk: int):
    try:
        invoice = finance.invoice_get_overpaid_for_user(user=request.user, invoice_id=pk)
    except InvoiceNotFound:
        raise Http404 from None
    form = _settle_form(invoice, request.POST)
    form.initial["pk"] = invoice.pk
    status = 400
    if form.is_valid():
        try:
            invoice_overpayment_settle(actor=_actor(request), invoice=invoice, note=form.cleaned_data["note"])
        except DomainError as error:  # settled meanwhile: it may be off the list, so said on top
            messages.error(request, error.message)
            status = error.status
        else:
            messages.success(
                request,
                _("Invoice %(reference)s is now paid: the excess has been returned.")
                % {"reference": invoice.reference_display},
            )
            return redirect("payments:finance-overpaid")
    return _overpaid_page(request, failed=form, status=status)
