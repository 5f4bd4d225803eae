"""Pages of the e-form builder: the fields in order with their actions, a form to add one, the live
preview, and a page to edit one field. Every change is a small form POST; drag and drop to reorder
(static/js/eform-builder.js) only posts the same move. Thin: the rules are in
catalogue.services.eform_builder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.constants import Channel as KernelChannel
from kernel.errors import DomainError, NotFound
from kernel.forms import form_add_domain_error

from .constants import ServiceState
from .eforms import EForm, eform_field_label
from .forms_eform_builder import FieldAddForm, FieldEditForm
from .services import eform_builder
from .services.eform_builder import EFormChange
from .views import editable_service_or_404

PREVIEW_LANGUAGES = (("lv", "Latviešu"), ("en", "English"))


def _builder_url(service, name: str = "") -> str:
    url = reverse("catalogue:eform-builder", kwargs={"code": service.code})
    return f"{url}#field-{name}" if name else url


def _saved(request, change: EFormChange, message: str) -> None:
    if change.service.state == ServiceState.DRAFT:
        messages.success(request, message)
    else:
        messages.success(
            request,
            _("%(message)s The public sees it once the changes are published.") % {"message": message},
        )
    if change.channel_added:
        messages.info(
            request,
            _(
                "The channel “%(channel)s” was added: the e-form is filed through it. Add its "
                "instructions with the service's channels."
            )
            % {"channel": KernelChannel.E_SERVICE.label},
        )
    if change.channel_removed:
        messages.info(
            request,
            _("The e-form has no fields now, so the channel “%(channel)s” was removed.")
            % {"channel": KernelChannel.E_SERVICE.label},
        )


def _previews(eform: list[dict]) -> list[dict]:
    """The e-form as the citizen's and the specialist's pages render it (EForm), in each language."""
    previews = []
    for code, name in PREVIEW_LANGUAGES:
        with translation.override(code):
            form = EForm(definition=eform, auto_id=f"preview-{code}-%s")
        previews.append({"code": code, "name": name, "form": form})
    return previews


def _builder_page(request, service, *, add_form: FieldAddForm, status: int = 200):
    eform = eform_builder.eform_working(service=service)
    rows = [
        {
            "field": f,
            "name": f["name"],
            "label": eform_field_label(f),
            "partner": eform_builder.eform_field_partner(eform=eform, name=f["name"]),
        }
        for f in eform
    ]
    return render(
        request,
        "catalogue/eform_builder/builder.html",
        {
            "service": service,
            "rows": rows,
            "add_form": add_form,
            "previews": _previews(eform),
            "sections_url": reverse("catalogue:edit-overview", kwargs={"code": service.code}),
        },
        status=status,
    )


@login_required
def eform_builder_page(request, code: str):
    """GET: the builder. POST: add a field (the add form's errors next to their fields, 422)."""
    service = editable_service_or_404(request, code)
    if request.method != "POST":
        return _builder_page(request, service, add_form=FieldAddForm())
    form = FieldAddForm(request.POST)
    if form.is_valid():
        try:
            change = eform_builder.eform_field_add(
                actor=request.actor, service=service, field=form.to_field()
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            _saved(request, change, _("The field was added."))
            return redirect(_builder_url(service, change.name))
    return _builder_page(request, service, add_form=form, status=422)


@login_required
def eform_field_edit(request, code: str, name: str):
    service = editable_service_or_404(request, code)
    eform = eform_builder.eform_working(service=service)
    field = next((f for f in eform if f.get("name") == name), None)
    if field is None:
        raise Http404
    form = FieldEditForm(request.POST or None, field=field, eform=eform)
    if request.method == "POST" and form.is_valid():
        try:
            change = eform_builder.eform_field_update(
                actor=request.actor, service=service, name=name, field=form.to_field()
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            if form.type_changed:
                _saved(request, change, _("The type was changed. Now set the limits of the new type."))
                return redirect("catalogue:eform-field-edit", code=service.code, name=change.name)
            _saved(request, change, _("The field was saved."))
            return redirect(_builder_url(service, change.name))
    return render(
        request,
        "catalogue/eform_builder/field_edit.html",
        {"service": service, "field": field, "label": eform_field_label(field), "form": form},
        status=422 if form.errors else 200,
    )


def _act(request, service, action, done: str, name: str, *, anchor: bool = True):
    try:
        change = action()
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        for messages_of_field in error.field_errors.values():
            for message in messages_of_field:
                messages.error(request, message)
        if not error.field_errors:
            messages.error(request, error.message)
        return redirect(_builder_url(service, name))
    _saved(request, change, done)
    return redirect(_builder_url(service, change.name if anchor else ""))


@login_required
@require_POST
def eform_field_move(request, code: str, name: str):
    """`direction` "up" or "down" (the buttons), or `to`: the place from 0 (drag and drop)."""
    service = editable_service_or_404(request, code)
    direction, to = request.POST.get("direction"), request.POST.get("to", "")
    common = {"actor": request.actor, "service": service, "name": name}
    if direction == "up":
        action = lambda: eform_builder.eform_field_move_up(**common)  # noqa: E731
    elif direction == "down":
        action = lambda: eform_builder.eform_field_move_down(**common)  # noqa: E731
    elif to.isdigit() and len(to) <= 3:
        action = lambda: eform_builder.eform_field_move(**common, to=int(to))  # noqa: E731
    else:
        messages.error(request, _("Choose where to move the field."))
        return redirect(_builder_url(service, name))
    return _act(request, service, action, _("The field was moved."), name)


@login_required
@require_POST
def eform_field_remove(request, code: str, name: str):
    service = editable_service_or_404(request, code)
    return _act(
        request,
        service,
        lambda: eform_builder.eform_field_remove(actor=request.actor, service=service, name=name),
        _("The field was removed."),
        name,
        anchor=False,
    )
