"""The session's level of assurance, and the one check that demands a minimum."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from .constants import ASSURANCE_ORDER, SESSION_ASSURANCE_KEY, AssuranceLevel


def session_assurance(request) -> str | None:
    if not request.user.is_authenticated:
        return None
    return request.session.get(SESSION_ASSURANCE_KEY)


def has_assurance(request, minimum: str) -> bool:
    current = session_assurance(request)
    if current is None:
        return False
    return ASSURANCE_ORDER[AssuranceLevel(current)] >= ASSURANCE_ORDER[AssuranceLevel(minimum)]


def assurance_required(minimum: str = AssuranceLevel.SUBSTANTIAL):
    """View decorator: log in (again) with means of at least `minimum` assurance to go on."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if has_assurance(request, minimum):
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                messages.warning(
                    request,
                    _(
                        "This page needs a %(level)s level of assurance: log in with eID card or eParaksts mobile."
                    )
                    % {"level": AssuranceLevel(minimum).label},
                )
            query = urlencode({"next": request.get_full_path(), "level": minimum})
            return redirect(f"{reverse('eaccount:login')}?{query}")

        return wrapped

    return decorator


def AssuranceAtLeast(minimum: str):  # noqa: N802 - reads like a class in permission_classes
    """DRF permission class: the session user logged in with at least `minimum` assurance.

    API clients of agencies authenticate otherwise; this applies to browser sessions.
    """

    class _AssuranceAtLeast(BasePermission):
        message = gettext_lazy("A higher level of assurance is needed.")

        def has_permission(self, request, view):
            return has_assurance(request, minimum)

    _AssuranceAtLeast.__name__ = f"AssuranceAtLeast{AssuranceLevel(minimum).name.title()}"
    return _AssuranceAtLeast
