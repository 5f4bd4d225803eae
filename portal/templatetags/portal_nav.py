"""The main navigation, built in Python: it is on every page, and as a template it was some 200
nodes, five tag libraries and a `{% url %}` per link. The same links, in the same order, shown on
the same facts: the user's roles (read once per request and cached by the e-account)."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from access_rights.selectors import rights_facts
from catalogue.permissions import user_may_manage_catalogue
from eaccount.selectors import agency_ids_administered, centre_ids_for_user
from requests_registry.selectors import staff_agency_ids
from workplace.selectors import user_is_supervisor

register = template.Library()


@lru_cache(maxsize=64)
def _url(name: str, prefix: str) -> str:
    """A link reversed once per process (and script prefix, the key's second part)."""
    return reverse(name)


def _item(name: str, label, testid: str | None = None) -> SafeString:
    url = _url(name, get_script_prefix())
    if testid:
        return format_html('<li><a href="{}" data-testid="{}">{}</a></li>', url, testid, label)
    return format_html('<li><a href="{}">{}</a></li>', url, label)


def _messages_label(unread: int):
    if not unread:
        return _("Messages")
    return format_html(
        '{} <span class="unread-count" data-testid="unread-count">{}<span class="visually-hidden"> {}</span></span>',
        _("Messages"),
        unread,
        _("unread"),
    )


def _official_items(user) -> list:
    items = []
    agency_staff = bool(staff_agency_ids(user=user))
    centre_specialist = bool(centre_ids_for_user(user=user))
    if agency_staff or centre_specialist:
        items.append(_item("workplace:start", _("Workplace"), "nav-workplace"))
    if agency_staff:
        items.append(_item("requests_registry:agency-case-list", _("Agency cases")))
        items.append(_item("payments:finance-statements", _("Bank statements")))
    elif centre_specialist:
        items.append(_item("requests_registry:consultation-new", _("Record a consultation")))
    if user_is_supervisor(user=user):
        items.append(_item("workplace:escalations", _("Escalations"), "nav-escalations"))
    if rights_facts(user=user)["official"]:
        items.append(_item("access_rights:home", _("Access rights"), "nav-access-rights"))
    if agency_ids_administered(user=user):
        items.append(_item("requests_registry:thresholds", _("Satisfaction thresholds")))
        items.append(_item("notifications:proactive-rules", _("Reminder and offer rules")))
        items.append(_item("notifications:agency-stats", _("Notifications this week")))
    return items


@register.simple_tag(takes_context=True)
def main_nav(context) -> SafeString:
    """The `<li>` items of the header's navigation for whoever is logged in (or nobody)."""
    user = context.get("user")
    items = [
        _item("home", _("Home")),
        _item("catalogue:index", _("Services")),
        _item("knowledge_base:index", _("Knowledge base")),
    ]
    if user is not None and user.is_authenticated:
        if user_may_manage_catalogue(user):
            items.append(_item("catalogue:manage-list", _("Manage services")))
        items += [
            _item("dashboard", _("My e-account")),
            _item("eaccount:inbox", _messages_label(context.get("inbox_unread") or 0), "nav-inbox"),
            _item("documents", _("Documents")),
            _item("payments:invoice-list", _("Invoices")),
            _item("requests_registry:my-cases", _("My cases")),
            *_official_items(user),
        ]
    return format_html_join("\n", "{}", ((item,) for item in items))
