"""The person's notices, the topics' preview for platform admins, and the SMS gateway's receipts."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from eaccount import selectors as eaccount_selectors
from eaccount.assurance import assurance_required
from eaccount.constants import AssuranceLevel
from kernel.constants import Basis

from . import selectors, services, topics

# a receipt is a small JSON object
RECEIPT_MAX_BYTES = 10_000


@assurance_required(AssuranceLevel.SUBSTANTIAL)
def notification_list_view(request):
    """The notices sent to whom the user acts for (themselves, or as a legal representative)."""
    actor = request.actor
    if actor.principal is None or actor.basis not in (Basis.SELF, Basis.LEGAL_REPRESENTATION):
        raise Http404
    page = selectors.notifications_page(party=actor.principal, page=request.GET.get("page"))
    labels = {code: topic.label for code, topic in topics.TOPICS.items()}
    rows = [(notification, labels.get(notification.topic, notification.topic)) for notification in page]
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "rows": rows,
            "principal": actor.principal,
            "acting_for_self": actor.basis == Basis.SELF,
        },
    )


def topics_preview_view(request):
    """Every topic in both languages with its SMS length: platform admins only ("not found" to others)."""
    if not request.user.is_authenticated or not eaccount_selectors.user_is_platform_admin(user=request.user):
        raise Http404
    return render(request, "notifications/preview.html", {"previews": topics.topics_preview()})


@csrf_exempt  # the gateway signs the body instead (HMAC-SHA256 with SMS_RECEIPT_SECRET)
@require_POST
def sms_receipt_view(request):
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > RECEIPT_MAX_BYTES:
        return HttpResponseBadRequest("receipt too large")
    if request.content_type != "application/json":
        # a form post was read by the input guard already; a receipt is JSON, signed byte for byte
        return HttpResponse("a receipt is application/json", status=415, content_type="text/plain")
    try:
        outcome = services.sms_receipt_apply(
            body=request.body, signature=request.headers.get("X-Signature", "")
        )
    except services.ReceiptRefused:
        return HttpResponseForbidden("signature does not match")
    except services.ReceiptInvalid:
        return HttpResponseBadRequest("not a receipt")
    return HttpResponse(outcome, content_type="text/plain")
