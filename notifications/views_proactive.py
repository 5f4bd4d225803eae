"""Proactive notices' pages: an agency admin's rules (list, create, edit, deactivate: their own
agency's services only, "not found" to anyone else) and the one-click opt-out a notice links to."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eaccount import rules as eaccount_rules
from eaccount import selectors as eaccount_selectors
from eaccount import services as eaccount_services
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel, NoticeKind
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error

from . import proactive
from .forms import ProactiveRuleForm


def _admin_only(request) -> None:
    if not request.user.is_authenticated or not eaccount_selectors.agency_ids_administered(user=request.user):
        raise Http404


def _rule_of_admin(request, rule_id):
    try:
        return proactive.proactive_rule_get_for_admin(user=request.user, rule_id=rule_id)
    except proactive.RuleNotFound:
        raise Http404 from None


@assurance_required(AssuranceLevel.SUBSTANTIAL)
def rule_list_view(request):
    _admin_only(request)
    rules = list(proactive.proactive_rules_for_admin(user=request.user))
    for rule in rules:
        rule.document_label = eaccount_selectors.register_document_kind_label(kind=rule.document_kind)
    return render(request, "notifications/proactive_rules.html", {"rules": rules})


def _rule_form_page(request, rule=None):
    services = proactive.proactive_rule_services(user=request.user)
    if request.method == "POST":
        form = ProactiveRuleForm(request.POST, services=services)
        if form.is_valid():
            try:
                proactive.proactive_rule_save(actor=request.actor, rule=rule, data=form.cleaned_data)
            except proactive.RuleNotFound:
                raise Http404 from None
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                return redirect("notifications:proactive-rules")
    else:
        initial = ProactiveRuleForm.initial_of(rule) if rule is not None else {"active": True}
        form = ProactiveRuleForm(initial=initial, services=services)
    return render(request, "notifications/proactive_rule_form.html", {"form": form, "rule": rule})


@assurance_required(AssuranceLevel.SUBSTANTIAL)
@require_http_methods(["GET", "POST"])
def rule_create_view(request):
    _admin_only(request)
    return _rule_form_page(request)


@assurance_required(AssuranceLevel.SUBSTANTIAL)
@require_http_methods(["GET", "POST"])
def rule_edit_view(request, rule_id):
    _admin_only(request)
    return _rule_form_page(request, _rule_of_admin(request, rule_id))


@assurance_required(AssuranceLevel.SUBSTANTIAL)
@require_POST
def rule_deactivate_view(request, rule_id):
    _admin_only(request)
    rule = _rule_of_admin(request, rule_id)
    try:
        proactive.proactive_rule_deactivate(actor=request.actor, rule=rule)
    except proactive.RuleNotFound:
        raise Http404 from None
    return redirect("notifications:proactive-rules")


KIND_TEXTS = {
    NoticeKind.REMINDER: NoticeKind.REMINDER.label,
    NoticeKind.PROACTIVE_OFFER: NoticeKind.PROACTIVE_OFFER.label,
}


@require_http_methods(["GET", "POST"])
def opt_out_view(request, token):
    """The link of a proactive notice: GET shows what stops and one button; POST stops it. The signed
    link names the party and the kind and is the authority (no login: one click from an e-mail); it
    can only stop notices of its own kind. A forged link is "not found". The party's name is shown
    only to a user who may change its choices."""
    opt_out = proactive.opt_out_read(token=token)
    if opt_out is None:
        raise Http404
    done = False
    if request.method == "POST":
        eaccount_services.notice_opt_out_by_link(party=opt_out.party, kind=opt_out.kind)
        done = True
    opted_in = eaccount_selectors.notice_opted_in(party=opt_out.party, kind=opt_out.kind)
    may_see = request.user.is_authenticated and eaccount_rules.contacts_edit_allowed(
        user=request.user, party=opt_out.party
    )
    return render(
        request,
        "notifications/proactive_stop.html",
        {
            "party": opt_out.party if may_see else None,
            "kind_label": KIND_TEXTS.get(opt_out.kind, opt_out.kind),
            "done": done,
            "opted_in": opted_in,
            "title": _("Stop these notices"),
        },
    )
