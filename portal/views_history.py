"""The interaction history pages: the timeline (`history`), its CSV export (streamed) and its PDF
statement (bounded to `history.PDF_LIMIT` entries, rendered synchronously by WeasyPrint)."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import selectors as catalogue_selectors
from delegation.context import current_principal
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.collation import latvian
from kernel.constants import Channel
from kernel.forms import PeriodFormMixin, optional_date_field, page_cursor_clean
from kernel.pdf import render_pdf
from kernel.spreadsheets import csv_lines, csv_safe
from kernel.widgets import PlainSelect
from requests_registry import selectors as registry_selectors

from . import history

# the statement's style, given to WeasyPrint apart (our templates hold no inline style: CSP);
# DejaVu Sans has every Latvian letter and is embedded in the PDF
STATEMENT_CSS = """
  @page { size: A4; margin: 18mm 14mm; @bottom-right { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif; font-size: 8pt; } }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #000; }
  h1 { font-size: 14pt; margin: 0 0 4mm; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border-bottom: 0.5pt solid #999; padding: 1.5mm 1mm; text-align: left; vertical-align: top; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  .facts { margin: 0 0 4mm; }
  .mark { font-weight: bold; }
"""

# the guard of the registry's citizen pages ("my cases")
citizen_required = assurance_required(AssuranceLevel.SUBSTANTIAL)


class HistoryFilterForm(PeriodFormMixin, forms.Form):
    date_from = optional_date_field(gettext_lazy("From"))
    date_to = optional_date_field(gettext_lazy("To"))
    kind = forms.MultipleChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=history.KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    service = forms.ChoiceField(label=gettext_lazy("Service"), required=False, widget=PlainSelect)
    agency = forms.ChoiceField(label=gettext_lazy("Institution"), required=False, widget=PlainSelect)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False, widget=PlainSelect)
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("A case number, a service's title, a message's subject."),
    )
    after = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args, services=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("All services"))] + [
            (s.code, f"{s.code} {s.title}") for s in services
        ]
        self.fields["agency"].choices = [("", _("All institutions"))] + [(a.code, a.name) for a in agencies]
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]

    def clean_after(self):
        return page_cursor_clean(self.cleaned_data["after"], history.Cursor)

    def filters(self) -> history.Filters:
        data = self.cleaned_data
        return history.Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            service=data.get("service") or "",
            agency=data.get("agency") or "",
            channel=data.get("channel") or "",
            kinds=frozenset(data.get("kind") or ()),
            q=(data.get("q") or "").strip(),
        )


def _scope(request) -> history.Scope:
    return history.Scope(user=request.user, principal=current_principal(request), actor=request.actor)


def _form(request, scope: history.Scope) -> tuple[HistoryFilterForm, history.Filters, history.Cursor | None]:
    """The bound filter form; invalid input filters nothing (its errors show on the page)."""
    services = registry_selectors.case_services_for_user(user=scope.user, principal=scope.principal)
    agency_ids = registry_selectors.case_agency_ids_for_user(user=scope.user, principal=scope.principal)
    agencies = (
        list(catalogue_selectors.agencies(ids=agency_ids).order_by(latvian("name_lv"))) if agency_ids else []
    )
    form = HistoryFilterForm(request.GET or None, services=services, agencies=agencies)
    if form.is_bound and form.is_valid():
        return form, form.filters(), form.cleaned_data.get("after")
    return form, history.Filters(), None


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@citizen_required
def history_view(request):
    scope = _scope(request)
    form, filters, after = _form(request, scope)
    page = history.history_page(scope=scope, filters=filters, after=after)
    base_query = _query_without(request, "after") if form.is_valid() else ""
    return render(
        request,
        "portal/history.html",
        {
            "principal": scope.principal,
            "form": form,
            "page": page,
            "is_first_page": after is None,
            "base_query": base_query,
            "next_query": "&".join(
                q for q in (base_query, f"after={page.next_cursor.encode()}" if page.next_cursor else "") if q
            ),
            "pdf_limit": history.PDF_LIMIT,
        },
    )


def _csv_rows(scope, filters) -> Iterator[str]:
    header = [
        _("Date and time"),
        _("Kind"),
        _("Title"),
        _("Details"),
        _("Case number"),
        _("Service code"),
        _("Service"),
        _("Institution"),
        _("Channel"),
        _("Filed for you at a one-stop centre"),
    ]
    return csv_lines(
        header,
        (
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.kind_label,
                csv_safe(entry.title),
                csv_safe(entry.detail),
                entry.case_number,
                entry.service_code,
                csv_safe(entry.service_title),
                csv_safe(entry.agency),
                entry.channel_label,
                _("yes") if entry.filed_at_centre else "",
            ]
            for entry in history.history_iter(scope=scope, filters=filters)
        ),
    )


@citizen_required
def history_csv_view(request):
    scope = _scope(request)
    form, filters, _after = _form(request, scope)
    if form.is_bound and not form.is_valid():
        return history_view(request)
    response = StreamingHttpResponse(_csv_rows(scope, filters), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vesture-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@citizen_required
def history_pdf_view(request):
    scope = _scope(request)
    form, filters, _after = _form(request, scope)
    if form.is_bound and not form.is_valid():
        return history_view(request)
    entries = list(history.history_iter(scope=scope, filters=filters, limit=history.PDF_LIMIT + 1))
    truncated = len(entries) > history.PDF_LIMIT
    html = render_to_string(
        "portal/history_statement.html",
        {
            "principal": scope.principal,
            "filters": filters,
            "entries": entries[: history.PDF_LIMIT],
            "truncated": truncated,
            "limit": history.PDF_LIMIT,
            "printed": date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "period_from": filters.date_from,
            "period_to": filters.date_to,
        },
        request=request,
    )
    pdf = render_pdf(html, css=STATEMENT_CSS, base_url=settings.BASE_DIR)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="vesture-{timezone.localdate():%Y-%m-%d}.pdf"'
    return response


# included by portal.urls at account/history/ (names without a namespace: "history", …)
urlpatterns = [
    path("", history_view, name="history"),
    path("vesture.csv", history_csv_view, name="history-csv"),
    path("izraksts.pdf", history_pdf_view, name="history-pdf"),
]
