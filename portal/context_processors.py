from django.conf import settings

from eaccount.assurance import session_assurance


def portal(request):
    return {
        "DEMO_LOGIN_ENABLED": settings.DEMO_LOGIN_ENABLED,
        "assurance_level": session_assurance(request),
        # the party the user acts for; the delegation app sets it, "yourself" until then
        "acting_for": getattr(request, "acting_for", None),
    }
