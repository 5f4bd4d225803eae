"""An admin's staff pages: their staff's roles (grant, revoke), the register of rights with its history
and CSV, and the roles to review. Thin: the selectors say what is in scope, the services decide."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eaccount.constants import AGENCY_ROLES, CENTRE_ROLES, StaffRoleKind
from kernel.errors import DomainError, NotFound
from kernel.forms import form_add_domain_error
from kernel.paginators import SafePaginator
from kernel.spreadsheets import csv_lines, csv_safe

from .. import rules, selectors, services
from ..constants import INACTIVITY_REVIEW_DAYS
from ..forms import GrantForm, RevokeForm, ScopeForm, scope_choices, scope_key
from ..services._common import term_last_day
from ._common import PAGE_SIZE, actor_of, scope_from, staff_required


def _admin_scope(request) -> selectors.Scope:
    scope = selectors.scope_administered(user=request.user)
    if scope.empty:
        raise Http404
    return scope


def _kinds_for(scope: selectors.Scope, value: str) -> list[str]:
    """The kinds the admin may grant (eaccount's rule) that fit the chosen agency or centre."""
    kinds = scope.kinds & (AGENCY_ROLES if value.startswith("agency:") else CENTRE_ROLES)
    order = list(StaffRoleKind.values)
    return sorted(kinds, key=order.index)


def _scope_object(value: str, agencies, centres):
    kind, _sep, pk = value.partition(":")
    pool = agencies if kind == "agency" else centres
    return next((item for item in pool if str(item.pk) == pk), None)


@staff_required
def staff_view(request):
    scope = _admin_scope(request)
    agencies, centres = selectors.agencies_and_centres_of(scope)
    agencies, centres = list(agencies), list(centres)
    choices = scope_choices(agencies, centres)
    chosen = request.POST.get("scope") or request.GET.get("scope") or (choices[0][0] if choices else "")
    if chosen not in {value for value, _label in choices}:
        raise Http404
    post = request.method == "POST"
    form = GrantForm(
        request.POST if post else None,
        choices=choices,
        kinds=_kinds_for(scope, chosen),
        initial={"scope": chosen},
    )
    status = 200
    if post:
        if form.is_valid():
            target = _scope_object(form.cleaned_data["scope"], agencies, centres)
            where = {"centre": target} if hasattr(target, "municipality_id") else {"agency": target}
            try:
                role = services.staff_grant(
                    actor=actor_of(request),
                    personal_code=form.cleaned_data["personal_code"],
                    kind=form.cleaned_data["kind"],
                    valid_until=form.cleaned_data["valid_until"],
                    permanent=form.cleaned_data["permanent"],
                    **where,
                )
            except DomainError as error:
                form_add_domain_error(form, error)
                status = error.status
            else:
                messages.success(
                    request, _("Granted: %(role)s to %(person)s.") % {"role": role, "person": role.user}
                )
                return redirect(f"{request.path}?scope={chosen}")
        else:
            status = 422
    narrowed = scope_from(request, scope, chosen)
    roles = selectors.register_roles(scope=narrowed, current_only=True)
    page = SafePaginator(roles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "access_rights/staff.html",
        {
            "form": form,
            "scope_form": ScopeForm(initial={"scope": chosen}, choices=choices),
            "chosen": chosen,
            "page": page,
            "rows": [(role, term_last_day(role.valid_until)) for role in page.object_list],
            "query": f"scope={chosen}",
            "revoke_form": RevokeForm(),
        },
        status=status,
    )


@require_POST
@staff_required
def staff_revoke_view(request, pk: int):
    _admin_scope(request)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        role = services.staff_revoke(actor=actor_of(request), role_id=pk, reason=reason)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("access_rights:staff")
    messages.success(
        request,
        _("Revoked: %(role)s of %(person)s. It stops on their next click.")
        % {"role": role, "person": role.user},
    )
    scope = role.agency or role.centre
    target = reverse("access_rights:staff")
    return redirect(f"{target}?scope={scope_key(scope)}" if scope else target)


def _register_rows(roles):
    for role in roles:
        entries = list(role.access_request_entries.all())
        yield role, term_last_day(role.valid_until), entries[0].request if entries else None


@staff_required
def register_view(request):
    scope = _admin_scope(request)
    if not rules.register_visible(user=request.user):
        raise Http404
    agencies, centres = selectors.agencies_and_centres_of(scope)
    choices = [("", _("All of mine"))] + scope_choices(agencies, centres)
    chosen = request.GET.get("scope", "")
    narrowed = scope_from(request, scope, chosen)
    current_only = request.GET.get("current") == "1"
    roles = selectors.register_roles(scope=narrowed, current_only=current_only)
    if request.GET.get("format") == "csv":
        return _register_csv(roles)
    page = SafePaginator(roles, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(
        part for part in (f"scope={chosen}" if chosen else "", "current=1" if current_only else "") if part
    )
    return render(
        request,
        "access_rights/register.html",
        {
            "scope_form": ScopeForm(initial={"scope": chosen}, choices=choices),
            "chosen": chosen,
            "current_only": current_only,
            "page": page,
            "rows": list(_register_rows(page.object_list)),
            "query": query,
            "now": timezone.now(),
        },
    )


def _register_line(role, last_day, request) -> list:
    person = getattr(role.user, "person", None)
    scope = role.agency or role.centre
    return [
        csv_safe(role.user),
        person.personal_code if person else "",
        role.get_kind_display(),
        csv_safe(f"{scope.code} {scope.name}" if scope else ""),
        timezone.localtime(role.valid_from).strftime("%Y-%m-%d %H:%M"),
        last_day.isoformat() if last_day else "",
        _("yes") if role.permanent else "",
        csv_safe(role.granted_by or ""),
        request.number if request else "",
        timezone.localtime(role.revoked_at).strftime("%Y-%m-%d %H:%M") if role.revoked_at else "",
    ]


def _register_csv(roles):
    header = [
        _("Person"),
        _("Personal code"),
        _("Role"),
        _("Agency or centre"),
        _("Valid from"),
        _("Valid until"),
        _("Permanent"),
        _("Granted by"),
        _("Request"),
        _("Revoked at"),
    ]
    rows = (_register_line(*row) for row in _register_rows(roles.iterator(chunk_size=500)))
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="tiesibu-registrs-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response


@staff_required
def register_history_view(request):
    scope = _admin_scope(request)
    chosen = request.GET.get("scope", "")
    events = selectors.register_history(scope=scope_from(request, scope, chosen))
    page = SafePaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = selectors.roles_by_ids(ids=[event.object_id for event in page.object_list])
    return render(
        request,
        "access_rights/register_history.html",
        {
            "page": page,
            "rows": [(event, roles.get(event.object_id)) for event in page.object_list],
            "query": f"scope={chosen}" if chosen else "",
            "actions": selectors.ROLE_EVENT_LABELS,
        },
    )


@staff_required
def review_view(request):
    scope = _admin_scope(request)
    since = timezone.now() - timedelta(days=INACTIVITY_REVIEW_DAYS)
    roles = selectors.roles_to_review(scope=scope, since=since)
    page = SafePaginator(roles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "access_rights/review.html",
        {"page": page, "days": INACTIVITY_REVIEW_DAYS, "revoke_form": RevokeForm()},
    )


@staff_required
def home_view(request):
    scope = selectors.scope_administered(user=request.user)
    agencies, centres = selectors.request_scopes_for(user=request.user)
    return render(
        request,
        "access_rights/home.html",
        {
            "admin": not scope.empty,
            "platform_admin": scope.every,
            "may_request": agencies.exists() or centres.exists(),
        },
    )
