"""The e-account's documents page: everything delivered to, submitted by or scanned for whom the
user acts for, filtered by kind and service, paged by a keyset (`portal.documents`)."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delegation.context import current_principal
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.forms import page_cursor_clean
from kernel.widgets import PlainSelect

from . import documents

citizen_required = assurance_required(AssuranceLevel.SUBSTANTIAL)


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False, widget=PlainSelect)
    service = forms.ChoiceField(label=gettext_lazy("Service"), required=False, widget=PlainSelect)
    after = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args, services: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *documents.KIND_CHOICES]
        self.fields["service"].choices = [("", _("All services")), *((c, f"{c} {t}") for c, t in services)]

    def clean_after(self):
        return page_cursor_clean(self.cleaned_data["after"], documents.Cursor)


@citizen_required
def documents_view(request):
    principal = current_principal(request)
    services = documents.service_choices(user=request.user, principal=principal)
    form = DocumentFilterForm(request.GET or None, services=services)
    filters, after = documents.Filters(), None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = documents.Filters(kind=data["kind"] or "", service=data["service"] or "")
        after = data["after"]
    page = documents.documents_page(
        user=request.user, principal=principal, actor=request.actor, filters=filters, after=after
    )
    base_query = urlencode(
        {name: value for name, value in (("kind", filters.kind), ("service", filters.service)) if value}
    )
    return render(
        request,
        "portal/documents.html",
        {
            "principal": principal,
            "form": form,
            "page": page,
            "is_first_page": after is None,
            "base_query": base_query,
            "next_query": "&".join(
                q for q in (base_query, f"after={page.next_cursor.encode()}" if page.next_cursor else "") if q
            ),
        },
    )
