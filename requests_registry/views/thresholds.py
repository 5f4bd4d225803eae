"""The agency admin's satisfaction thresholds: the list of their agencies' services, and a form per
service. Another agency's service, or a user who administers no agency: "not found"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.errors import DomainError
from kernel.forms import form_add_domain_error

from .. import services
from ..constants import FEEDBACK_MAX, FEEDBACK_MIN
from ..models.thresholds import MIN_RATINGS_MAX, WINDOW_DAYS_MAX
from ..selectors import thresholds as threshold_selectors
from ._common import staff_actor, staff_required


class _DecimalCommaField(forms.DecimalField):
    """A decimal written either way: 3,5 (Latvian) or 3.5."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class SatisfactionThresholdForm(forms.Form):
    below_average = _DecimalCommaField(
        label=gettext_lazy("Average rating below"),
        min_value=FEEDBACK_MIN,
        max_value=FEEDBACK_MAX,
        max_digits=3,
        decimal_places=2,
        help_text=gettext_lazy("From 1 to 5, e.g. 3,5."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    window_days = forms.IntegerField(
        label=gettext_lazy("Over the last (days)"), min_value=1, max_value=WINDOW_DAYS_MAX
    )
    min_ratings = forms.IntegerField(
        label=gettext_lazy("Judged once there are at least this many ratings"),
        min_value=1,
        max_value=MIN_RATINGS_MAX,
        help_text=gettext_lazy("Fewer ratings in the period say nothing either way."),
    )


def _require_agency_admin(request) -> None:
    if not threshold_selectors.satisfaction_agency_ids(user=request.user):
        raise Http404


@staff_required
def satisfaction_thresholds_view(request):
    _require_agency_admin(request)
    rows = threshold_selectors.satisfaction_services_for_admin(user=request.user)
    return render(request, "requests_registry/thresholds.html", {"rows": rows})


@staff_required
def satisfaction_threshold_edit_view(request, code: str):
    found = threshold_selectors.satisfaction_service_for_admin(user=request.user, code=code)
    if found is None:
        raise Http404
    service, threshold = found
    status = 200
    if request.method == "POST" and "remove" in request.POST:
        if services.satisfaction_threshold_remove(actor=staff_actor(request), service=service):
            messages.success(request, _("The threshold has been removed."))
        return redirect("requests_registry:thresholds")
    if request.method == "POST":
        form = SatisfactionThresholdForm(request.POST)
        if form.is_valid():
            try:
                services.satisfaction_threshold_set(
                    actor=staff_actor(request), service=service, **form.cleaned_data
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, _("The threshold has been saved."))
                return redirect("requests_registry:thresholds")
        status = 400
    else:
        initial = (
            {
                "below_average": threshold.below_average,
                "window_days": threshold.window_days,
                "min_ratings": threshold.min_ratings,
            }
            if threshold
            else {"below_average": "3.50", "window_days": 30, "min_ratings": 20}
        )
        form = SatisfactionThresholdForm(initial=initial)
    return render(
        request,
        "requests_registry/thresholds_edit.html",
        {"form": form, "service": service, "threshold": threshold},
        status=status,
    )
