from django.utils.functional import SimpleLazyObject

from .actors import actor_from_request
from .context import acting_for


class ActingForMiddleware:
    """Sets `request.acting_for` (a Principal, or None when the user acts for themselves) and
    `request.actor` (a kernel Actor, built on first use)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting_for = acting_for(request)
        request.actor = SimpleLazyObject(lambda: actor_from_request(request))
        return self.get_response(request)
