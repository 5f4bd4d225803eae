from .context import acting_for


class ActingForMiddleware:
    """Sets `request.acting_for` (a Principal, or None when the user acts for themselves)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting_for = acting_for(request)
        return self.get_response(request)
