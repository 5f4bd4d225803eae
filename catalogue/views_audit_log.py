"""The agency's audit log page (`/services/manage/audit/`) and its CSV export (`?format=csv`).

Thin: who may read which agency's log and what a row holds are in `selectors.audit_log`. Anyone who
administers no agency (staff, citizens) gets "not found", as for the other editing pages' objects.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.spreadsheets import csv_lines, csv_safe

from .forms_audit_log import AuditLogFilterForm
from .selectors.audit_log import (
    AuditLogFilters,
    audit_log_agencies,
    audit_log_agency_ids,
    audit_log_iter,
    audit_log_page,
)
from .viewer import editor_facts


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _csv_rows(agency_ids, filters: AuditLogFilters) -> Iterator[str]:
    header = [
        _("Date and time"),
        _("Who"),
        _("What"),
        _("Action code"),
        _("Why"),
        _("IP address"),
        _("Object type"),
        _("Object"),
        _("Object id"),
        _("For whom"),
    ]
    return csv_lines(
        header,
        (
            [
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                csv_safe(row.actor or _("the system")),
                csv_safe(row.action_label),
                csv_safe(row.action),
                csv_safe(row.reason),
                row.ip_address,
                csv_safe(row.object_type_label),
                csv_safe(row.object_text),
                csv_safe(row.object_id),
                csv_safe(row.acting_for),
            ]
            for row in audit_log_iter(agency_ids=agency_ids, filters=filters)
        ),
    )


@login_required
def audit_log_view(request):
    facts = editor_facts(request.user)
    if not (facts.platform_admin or facts.agency_ids):
        raise Http404
    agencies = audit_log_agencies(user=request.user)
    form = AuditLogFilterForm(request.GET or None, agencies=agencies, platform_admin=facts.platform_admin)
    valid = form.is_bound and form.is_valid()
    if form.is_bound and not valid:
        # nothing is shown (nor exported) under a filter that was not understood: its errors are
        agency_ids, filters, after = [], AuditLogFilters(), None
    else:
        chosen = form.cleaned_data.get("agency", "") if valid else ""
        agency_ids = audit_log_agency_ids(
            agencies=agencies, chosen=chosen, platform_admin=facts.platform_admin
        )
        filters = form.filters() if valid else AuditLogFilters()
        after = form.cleaned_data.get("after") if valid else None
    if request.GET.get("format") == "csv" and agency_ids:
        response = StreamingHttpResponse(
            _csv_rows(agency_ids, filters), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="audita-zurnals-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        return response
    page = audit_log_page(agency_ids=agency_ids, filters=filters, after=after)
    base_query = _query_without(request, "after", "format") if valid else ""
    return render(
        request,
        "catalogue/audit_log.html",
        {
            "form": form,
            "page": page,
            "agency_chosen": bool(agency_ids),
            "platform_admin": facts.platform_admin,
            "one_agency": len(agencies) == 1,
            "is_first_page": after is None,
            "base_query": base_query,
            "csv_query": "&".join(q for q in (base_query, "format=csv") if q),
            "next_query": "&".join(
                q for q in (base_query, f"after={page.next_cursor.encode()}" if page.next_cursor else "") if q
            ),
        },
        status=400 if form.errors else 200,
    )
