from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
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
from kernel.errors import NotFound
from kernel.http import client_ip

from . import inbox, selectors, sessions
from .assurance import assurance_required
from .constants import AssuranceLevel
from .forms import DemoLoginForm
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


@login_required
def profile_view(request):
    roles = selectors.staff_roles_active(user=request.user)
    return render(request, "eaccount/profile.html", {"person": request.user.person, "roles": roles})


# --- the inbox: messages and documents of the principal the user acts for now --------------------

inbox_guard = assurance_required(AssuranceLevel.SUBSTANTIAL)


@inbox_guard
def inbox_view(request):
    """The inbox of whom the user acts for now (request.actor), as far as the basis reaches."""
    actor = request.actor
    if actor.principal is None:
        raise Http404
    page = inbox.inbox_for_actor(
        actor=actor,
        messages_page=request.GET.get("messages_page"),
        documents_page=request.GET.get("documents_page"),
    )
    return render(
        request,
        "eaccount/inbox.html",
        {
            "principal": actor.principal,
            "basis_label": Basis(actor.basis).label,
            "acting_for_self": actor.basis == Basis.SELF,
            "limited_to_services": actor.basis == Basis.DELEGATION,
            "inbox_messages": page.messages,
            "documents": page.documents,
        },
    )


@inbox_guard
def inbox_document_view(request, pk: int):
    try:
        document = inbox.document_get_for_actor(actor=request.actor, pk=pk)
        handle = document.file.open("rb")
    except (NotFound, FileNotFoundError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name)
