"""Annex 2 requests' pages: the list, a new request with its signed document, a request (with the
ministry's approve and refuse), and the document itself."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.errors import DomainError, Invalid, NotFound
from kernel.forms import form_add_domain_error
from kernel.paginators import SafePaginator

from .. import rules, selectors, services
from ..constants import AccessRequestStatus
from ..forms import AccessRequestForm, EntryFormSet, RefuseForm, scope_choices
from ._common import PAGE_SIZE, actor_of, staff_required


@staff_required
def request_list_view(request):
    status = request.GET.get("status", "")
    status = status if status in AccessRequestStatus.values else ""
    requests = selectors.access_requests_visible(user=request.user, status=status)
    page = SafePaginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    agencies, centres = selectors.request_scopes_for(user=request.user)
    return render(
        request,
        "access_rights/request_list.html",
        {
            "page": page,
            "status": status,
            "statuses": AccessRequestStatus.choices,
            "query": f"status={status}" if status else "",
            "may_submit": agencies.exists() or centres.exists(),
        },
    )


def _entries_from(formset) -> list[services.EntryData]:
    """The rows with a personal code, in order (their row numbers kept for the errors)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if form.is_valid() else {}
        if not (data.get("personal_code") or "").strip():
            continue
        rows.append(
            services.EntryData(
                action=data["action"],
                kind=data["kind"],
                personal_code=data["personal_code"].strip(),
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                position=data.get("position") or "",
                valid_until=data.get("valid_until"),
                permanent=bool(data.get("permanent")),
            )
        )
    return rows


def _errors_to_forms(error: DomainError, form, formset, rows_used: list[int]) -> None:
    """A service's "entries-<n>-<field>" errors go to row n's field; the others to the form."""
    rest = {}
    for key, messages_ in error.field_errors.items():
        prefix, _sep, tail = key.partition("-")
        number, _sep, field = tail.partition("-")
        if prefix == "entries" and number.isdigit() and int(number) < len(rows_used):
            target = formset.forms[rows_used[int(number)]]
            for message in messages_:
                target.add_error(field if field in target.fields else None, message)
        else:
            rest[key] = messages_
    if rest or not error.field_errors:
        form_add_domain_error(form, Invalid(field_errors=rest) if rest else error)
    if any(f.errors for f in formset.forms):
        form.add_error(None, _("Some employees' details need correcting: see them below."))


@staff_required
def request_new_view(request):
    agencies, centres = selectors.request_scopes_for(user=request.user)
    agencies, centres = list(agencies), list(centres)
    if not agencies and not centres:
        raise Http404
    choices = scope_choices(agencies, centres)
    post = request.method == "POST"
    form = AccessRequestForm(request.POST if post else None, request.FILES if post else None, choices=choices)
    formset = EntryFormSet(request.POST if post else None, prefix="entries")
    status = 200
    if post:
        if form.is_valid() & formset.is_valid():
            kind, _sep, pk = form.cleaned_data["scope"].partition(":")
            scope = (
                {"agency": next(a for a in agencies if str(a.pk) == pk)}
                if kind == "agency"
                else {"centre": next(c for c in centres if str(c.pk) == pk)}
            )
            rows_used = [
                n for n, f in enumerate(formset.forms) if (f.cleaned_data.get("personal_code") or "").strip()
            ]
            try:
                created = services.access_request_submit(
                    actor=actor_of(request),
                    entries=_entries_from(formset),
                    document=form.cleaned_data["document"],
                    note=form.cleaned_data["note"],
                    **scope,
                )
            except DomainError as error:
                _errors_to_forms(error, form, formset, rows_used)
                status = error.status
            else:
                messages.success(request, _("The request was sent to the ministry."))
                return redirect("access_rights:request-detail", pk=created.pk)
        else:
            status = 422
    return render(
        request, "access_rights/request_new.html", {"form": form, "formset": formset}, status=status
    )


def _visible_request(request, pk: int):
    found = selectors.access_request_get(pk=pk)
    if found is None or not rules.access_request_visible(user=request.user, request=found):
        raise Http404
    return found


def _detail(request, found, *, refuse_form=None, status: int = 200):
    may_decide = rules.access_request_pending(request=found) and rules.access_request_decide_allowed(
        user=request.user, request=found
    )
    return render(
        request,
        "access_rights/request_detail.html",
        {"req": found, "may_decide": may_decide, "refuse_form": refuse_form or RefuseForm()},
        status=status,
    )


@staff_required
def request_detail_view(request, pk: int):
    return _detail(request, _visible_request(request, pk))


@require_POST
@staff_required
def request_approve_view(request, pk: int):
    found = _visible_request(request, pk)
    try:
        services.access_request_approve(actor=actor_of(request), request_id=found.pk)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return _detail(request, selectors.access_request_get(pk=pk), status=error.status)
    messages.success(request, _("Approved: the rights are granted with their terms."))
    return redirect("access_rights:request-detail", pk=pk)


@require_POST
@staff_required
def request_refuse_view(request, pk: int):
    found = _visible_request(request, pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _detail(request, found, refuse_form=form, status=422)
    try:
        services.access_request_refuse(
            actor=actor_of(request), request_id=found.pk, reason=form.cleaned_data["reason"]
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        form_add_domain_error(form, error)
        return _detail(request, selectors.access_request_get(pk=pk), refuse_form=form, status=error.status)
    messages.success(request, _("Refused. The requester is told the reason."))
    return redirect("access_rights:request-detail", pk=pk)


@staff_required
def request_document_view(request, pk: int):
    found = _visible_request(request, pk)
    return FileResponse(found.document.open("rb"), as_attachment=True, filename=found.document_name)
