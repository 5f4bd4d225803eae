from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

import audit.services as audit
from kernel.actors import Actor
from kernel.constants import Basis
from kernel.errors import Invalid, NotFound
from kernel.forms import form_add_domain_error
from kernel.http import client_ip
from kernel.parties import is_person, party_key

from . import rules, selectors, services, sessions
from .assurance import assurance_required
from .constants import EMAIL_CONFIRMATION_HOURS, AssuranceLevel
from .exceptions import (
    ContactsEditNotAllowed,
    ContactsFormStale,
    ContactsNotFound,
    EmailConfirmationInvalid,
)
from .forms import ContactDetailsForm, DemoLoginForm, LanguageForm, NoticeChoicesForm
from .oidc import OIDC_ID_TOKEN_SESSION_KEY, identity_provider_logout_url

LOGIN_FAILURE_GROUP = "eaccount.login-failure"


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _client_address(group, request) -> str:
    return client_ip(request) or ""


def _too_many_failures(request) -> bool:
    """LOGIN_FAILURE_RATE ("5/m") failures from one address in the window block further attempts."""
    usage = get_usage(
        request, group=LOGIN_FAILURE_GROUP, key=_client_address, rate=settings.LOGIN_FAILURE_RATE, method=ALL
    )
    # a failing cache answers limit 0: refuse rather than let unlimited guesses through
    return usage is not None and usage["count"] >= usage["limit"]


def _count_failure(request) -> None:
    get_usage(
        request,
        group=LOGIN_FAILURE_GROUP,
        key=_client_address,
        rate=settings.LOGIN_FAILURE_RATE,
        method=ALL,
        increment=True,
    )


def _record_failure(request, form: DemoLoginForm) -> None:
    """A refused demo login in the audit trail: the address, what was tried (the person's id and the
    means, as posted and cut short) and why (the form's error codes, e.g. "no_login")."""
    reasons = sorted(
        {error.code or "invalid" for errors in form.errors.as_data().values() for error in errors}
    )
    audit.record(
        action="auth.login_failed",
        actor=Actor(ip=client_ip(request)),
        data={
            "person": str(request.POST.get("person", ""))[:32],
            "means": str(request.POST.get("means", ""))[:32],
            "reasons": reasons,
        },
    )


def login_view(request):
    """The login page: the demo eID chooser where it is on, else the national identity provider."""
    if not settings.DEMO_LOGIN_ENABLED:
        if settings.OIDC_ENABLED:
            url = reverse("oidc_authentication_init")
            next_url = _safe_next(request, request.GET.get("next"))
            return redirect(f"{url}?{urlencode({'next': next_url})}")
        raise Http404
    # only a known level is shown, by its translated name: the query string is not page text
    level = request.GET.get("level", "")
    required_level = AssuranceLevel(level).label if level in AssuranceLevel.values else ""
    if request.method == "POST":
        if _too_many_failures(request):
            return render(request, "eaccount/login_blocked.html", status=429)
        form = DemoLoginForm(request.POST)
        if form.is_valid():
            sessions.demo_login(
                request=request,
                person=form.cleaned_data["person"],
                means=form.cleaned_data["means"],
            )
            return redirect(_safe_next(request, form.cleaned_data["next"]))
        _count_failure(request)
        _record_failure(request, form)
    else:
        form = DemoLoginForm(initial={"next": request.GET.get("next", "")})
    return render(request, "eaccount/login.html", {"form": form, "required_level": required_level})


def _home_after_logout(request, id_token: str | None):
    """Home, by way of the identity provider's logout when the person logged in there."""
    home = reverse("home")
    url = identity_provider_logout_url(id_token=id_token, return_to=request.build_absolute_uri(home))
    return redirect(url or home)


@require_POST
def logout_view(request):
    id_token = request.session.get(OIDC_ID_TOKEN_SESSION_KEY)
    sessions.logout_here(request=request)
    messages.info(request, _("You have logged out."))
    return _home_after_logout(request, id_token)


@require_POST
def logout_everywhere_view(request):
    id_token = request.session.get(OIDC_ID_TOKEN_SESSION_KEY)
    sessions.logout_everywhere(request=request)
    messages.info(request, _("You have logged out on every device."))
    return _home_after_logout(request, id_token)


# --- the e-account page: one's facts, and the contacts and notice choices of whom one acts for --------
#
# The contact details, language and notice choices shown and changed are those of the principal the
# user acts for now (request.actor): oneself, a minor child (a parent, by law) or a company (a board
# member). A delegate sees a note instead: a delegation covers services, not the principal's
# contacts. Each form carries the key of the party it was shown for; a form posted for another party
# is refused ("not found" and audited when the user may not edit that party at all).

CONTACTS_BASES = frozenset({Basis.SELF, Basis.LEGAL_REPRESENTATION})
contacts_guard = assurance_required(AssuranceLevel.SUBSTANTIAL)


def _profile_page(request, *, contact_form=None, language_form=None, notice_form=None):
    actor = request.actor
    party = actor.principal
    context = {"person": request.user.person, "roles": selectors.staff_roles_active(user=request.user)}
    if party is not None:
        key = party_key(party)
        editable = actor.basis in CONTACTS_BASES
        context |= {
            "party": party,
            "party_name": str(party),
            "party_is_person": is_person(party),
            "acting_for_other": actor.basis != Basis.SELF,
            "contacts_editable": editable,
        }
        if editable:
            details = selectors.contact_details(party=party)
            context |= {
                "details": details,
                "confirmation_hours": EMAIL_CONFIRMATION_HOURS,
                "contact_form": contact_form
                or ContactDetailsForm.for_party(key=key, party=party, details=details),
                "notice_form": notice_form
                or NoticeChoicesForm.for_party(
                    key=key,
                    choices_now=selectors.notice_choices_usable(party=party),
                    email_possible=details.email_possible,
                    sms_possible=details.sms_possible,
                ),
            }
            if is_person(party):
                context["language_form"] = language_form or LanguageForm(
                    initial={"party": key, "language": party.preferred_language}
                )
    return render(request, "eaccount/profile.html", context)


@login_required
def profile_view(request):
    return _profile_page(request)


def _posted_party(request):
    """The party a posted contacts form is for: the principal the user acts for now, if the form was
    shown for it and the user may edit its contacts. Else refused: ContactsNotFound (audited) for a
    party the user may not edit at all, ContactsFormStale for one of their own other principals
    (another tab switched), ContactsEditNotAllowed (audited) for a delegate."""
    actor = request.actor
    party = actor.principal
    posted = str(request.POST.get("party", ""))
    if party is None:
        raise NotFound()
    if posted != party_key(party):
        claimed = selectors.party_get_by_key(key=posted)
        if claimed is not None and rules.contacts_edit_allowed(user=request.user, party=claimed):
            raise ContactsFormStale()
        services.contacts_attempt_refused(actor=actor, claimed_party=posted, reason="form_party")
        raise ContactsNotFound()
    if actor.basis not in CONTACTS_BASES:
        services.contacts_attempt_refused(actor=actor, claimed_party=posted, reason="delegate")
        raise ContactsEditNotAllowed()
    return party


def _back_to(anchor: str):
    return redirect(reverse("eaccount:profile") + f"#{anchor}")


@contacts_guard
@require_POST
def profile_contacts_view(request):
    party = _posted_party(request)
    form = ContactDetailsForm(request.POST)
    if form.is_valid():
        try:
            change = services.contacts_update(
                actor=request.actor,
                party=party,
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                site_url=request.build_absolute_uri("/"),
                resend=bool(request.POST.get("resend")),
            )
        except Invalid as error:
            form_add_domain_error(form, error)
        else:
            _contacts_messages(request, change)
            return _back_to("contacts")
    return _profile_page(request, contact_form=form)


def _contacts_messages(request, change) -> None:
    if change.confirmation_to and change.confirmation_sent:
        messages.success(
            request,
            _(
                "We sent a link to %(email)s. The new address is used once you open the link "
                "(within %(hours)d hours) while logged in."
            )
            % {"email": change.confirmation_to, "hours": EMAIL_CONFIRMATION_HOURS},
        )
    elif change.confirmation_to:
        messages.warning(
            request,
            _("We could not send the link to %(email)s just now. Please try again later.")
            % {"email": change.confirmation_to},
        )
    elif change.confirmation_waiting:
        messages.info(
            request,
            _("%(email)s is waiting for confirmation: open the link we sent to it.")
            % {"email": change.confirmation_waiting},
        )
    if change.phone_changed or change.email_removed or change.pending_cancelled:
        messages.success(request, _("The contact details have been saved."))
    elif not change.changed and not change.confirmation_waiting:
        messages.info(request, _("Nothing was changed."))


@contacts_guard
@require_POST
def profile_language_view(request):
    party = _posted_party(request)
    if not is_person(party):  # an organisation has no language of its own (its notices are in Latvian)
        raise NotFound()
    form = LanguageForm(request.POST)
    if form.is_valid():
        try:
            services.language_set(actor=request.actor, party=party, language=form.cleaned_data["language"])
        except Invalid as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The language of notices has been saved."))
            return _back_to("language")
    return _profile_page(request, language_form=form)


@contacts_guard
@require_POST
def profile_notices_view(request):
    party = _posted_party(request)
    details = selectors.contact_details(party=party)
    form = NoticeChoicesForm(
        request.POST, email_possible=details.email_possible, sms_possible=details.sms_possible
    )
    if form.is_valid():
        try:
            services.notice_choices_set(actor=request.actor, party=party, choices=form.choices())
        except Invalid as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The notice choices have been saved."))
            return _back_to("notices")
    return _profile_page(request, notice_form=form)


@contacts_guard
def email_confirm_view(request, token: str):
    """The link mailed to a new address: a page that asks to confirm (a GET changes nothing: mail
    scanners open links), and the confirmation (POST) by the party or whoever may edit its contacts."""
    if request.method == "POST":
        try:
            party = services.email_confirm(actor=request.actor, token=token)
        except EmailConfirmationInvalid as error:
            return render(request, "eaccount/email_confirm.html", {"error": error.message}, status=400)
        messages.success(
            request,
            _("%(email)s is now the e-mail address of %(name)s.")
            % {"email": party.email, "name": str(party)},
        )
        return _back_to("contacts")
    pending = selectors.pending_email_to_confirm(user=request.user, token=token)
    if pending is None:
        return render(
            request,
            "eaccount/email_confirm.html",
            {"error": EmailConfirmationInvalid.default_message},
            status=400,
        )
    party = pending.party
    return render(
        request,
        "eaccount/email_confirm.html",
        {"pending": pending, "party_name": str(party)},
    )
