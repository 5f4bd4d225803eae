"""The visit statistics page of the agency's service pages (concept 4.4.1.6, issue 15 item 5):
views per service and per day for a period, as tables and a server-side SVG chart.

Thin: who sees which agency and the sums are in selectors.statistics, the chart in charts.
An agency admin sees their own agency (a select when they administer more than one); a platform
admin picks the agency; everyone else gets 404, and so does an agency code one may not see.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .charts import daily_views_bar_chart, daily_views_summary
from .selectors.statistics import (
    DEFAULT_PERIOD_DAYS,
    MAX_PERIOD_DAYS,
    StatisticsAgencyNotFound,
    page_views_by_day,
    page_views_by_service,
    statistics_agencies,
    statistics_agency_get,
    statistics_services,
)

EARLIEST = date(2000, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class StatisticsForm(forms.Form):
    """The period (blank: the last 30 days) and whose views per day to show (blank: all services)."""

    date_from = forms.DateField(label=_("First day"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Last day"), required=False, widget=DateInput())
    service = forms.ChoiceField(label=_("Views per day of"), required=False)

    def __init__(self, *args, services=(), today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.services = {service.code: service for service in services}
        self.fields["service"].choices = [("", _("All services of the agency"))] + [
            (service.code, f"{service.code} {service.title}") for service in services
        ]

    def clean_date_from(self):
        day = self.cleaned_data.get("date_from")
        if day is not None and day < EARLIEST:
            raise forms.ValidationError(_("Statistics are kept from the year 2000."), code="too_early")
        if day is not None and day > self.today:
            raise forms.ValidationError(_("The period cannot start in the future."), code="future")
        return day

    def clean_date_to(self):
        day = self.cleaned_data.get("date_to")
        if day is not None and day < EARLIEST:
            raise forms.ValidationError(_("Statistics are kept from the year 2000."), code="too_early")
        return day

    def clean(self):
        data = super().clean()
        if self.has_error("date_from") or self.has_error("date_to"):
            return data
        end = data.get("date_to") or self.today
        start = data.get("date_from") or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        elif (end - start).days + 1 > MAX_PERIOD_DAYS:
            self.add_error("date_to", _("A period is at most 366 days long."))
        else:
            data["date_from"], data["date_to"] = start, end
        return data

    @property
    def period(self) -> tuple[date, date]:
        return self.cleaned_data["date_from"], self.cleaned_data["date_to"]

    @property
    def chosen_service(self):
        return self.services.get(self.cleaned_data.get("service") or "")


def _query(**params) -> str:
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@login_required
def statistics(request):
    agencies = statistics_agencies(actor=request.actor)
    if not agencies:
        raise Http404
    code = request.GET.get("agency")
    if code:
        try:
            agency = statistics_agency_get(actor=request.actor, code=code)
        except StatisticsAgencyNotFound:
            raise Http404 from None
    else:
        agency = agencies[0] if len(agencies) == 1 else None
    context = {"agencies": agencies, "agency": agency, "pick_agency": len(agencies) > 1}
    if agency is None:  # a platform admin (or an admin of several agencies) picks one first
        return render(request, "catalogue/statistics.html", context)

    today = timezone.localdate()
    services = statistics_services(agency_id=agency.pk)
    params = request.GET.copy()
    params.pop("agency", None)
    form = StatisticsForm(params or None, services=services, today=today)
    context["form"] = form
    if form.is_bound and not form.is_valid():
        return render(request, "catalogue/statistics.html", context, status=400)
    if form.is_bound:
        (start, end), chosen = form.period, form.chosen_service
    else:
        start, end = today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today
        chosen = None
        form = StatisticsForm(services=services, today=today, initial={"date_from": start, "date_to": end})
        context["form"] = form

    rows = page_views_by_service(agency_id=agency.pk, start=start, end=end, services=services)
    days = page_views_by_day(
        agency_id=agency.pk, start=start, end=end, service_id=chosen.pk if chosen else None
    )
    agency_code = agency.code if len(agencies) > 1 else None
    period = {"agency": agency_code, "date_from": start.isoformat(), "date_to": end.isoformat()}
    table = [
        {"service": row.service, "views": row.views, "query": _query(**period, service=row.service.code)}
        for row in rows
    ]
    context.update(
        {
            "start": start,
            "end": end,
            "rows": table,
            "total": sum(row.views for row in rows),
            "chosen": chosen,
            "days": days,
            "days_total": sum(day.views for day in days),
            "chart": daily_views_bar_chart(days, chart_id="views-chart"),
            "chart_summary": daily_views_summary(days),
            "all_query": _query(**period),
        }
    )
    return render(request, "catalogue/statistics.html", context)
