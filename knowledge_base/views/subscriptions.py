"""An official's subscriptions to changes of articles."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import selectors as catalogue_selectors

from .. import selectors, services
from ..forms import ServiceSubscribeForm, TopicSubscribeForm
from .common import actor_of, official_required, require_official, viewer_of


def _published_services():
    return list(
        catalogue_selectors.service_list_visible(is_official=True)
        .order_by("code")
        .only("code", "title_lv", "title_en")
    )


@official_required
def subscriptions(request):
    viewer = viewer_of(request)
    require_official(viewer)
    topic_form = TopicSubscribeForm(topics=selectors.topics(), prefix="topic")
    service_form = ServiceSubscribeForm(services=_published_services(), prefix="service")
    status = 200
    if request.method == "POST":
        status = 400
        actor = actor_of(request, viewer)
        if "topic-topic" in request.POST:
            topic_form = TopicSubscribeForm(request.POST, topics=selectors.topics(), prefix="topic")
            if topic_form.is_valid():
                topic = selectors.topic_get_by_slug(slug=topic_form.cleaned_data["topic"])
                services.subscription_add(actor=actor, topic=topic)
                messages.success(request, _("You will be told of changes of this topic's articles."))
                return redirect("knowledge_base:subscriptions")
        else:
            service_form = ServiceSubscribeForm(
                request.POST, services=_published_services(), prefix="service"
            )
            if service_form.is_valid():
                found = catalogue_selectors.services_by_codes(codes=[service_form.cleaned_data["service"]])
                services.subscription_add(actor=actor, service=next(iter(found.values())))
                messages.success(request, _("You will be told of changes of this service's articles."))
                return redirect("knowledge_base:subscriptions")
    return render(
        request,
        "knowledge_base/subscriptions.html",
        {
            "subscriptions": selectors.subscriptions_of(user=request.user),
            "topic_form": topic_form,
            "service_form": service_form,
        },
        status=status,
    )


@require_POST
@official_required
def subscription_remove(request, pk: int):
    viewer = viewer_of(request)
    subscription = selectors.subscription_get_for(user=request.user, pk=pk)
    if subscription is None:
        raise Http404
    services.subscription_remove(actor=actor_of(request, viewer), subscription=subscription)
    messages.success(request, _("The subscription is ended."))
    return redirect("knowledge_base:subscriptions")
