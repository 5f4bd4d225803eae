"""The session side of logging in and out: the edge, where a request is at hand (views and the OIDC
backend call these; services never take a request). Each records its audit event."""

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db.models import F

import audit.services as audit
from kernel.actors import Actor
from kernel.http import client_ip

from .constants import (
    LOGIN_MEANS_ASSURANCE,
    SESSION_ASSURANCE_KEY,
    SESSION_LOGIN_MEANS_KEY,
    AssuranceLevel,
    LoginMeans,
)
from .models import Person, User


def _actor(request, user) -> Actor:
    return Actor(user=user, ip=client_ip(request))


def login_complete(*, request, user: User, level: str, means: str = "") -> None:
    """Log the user in with the assurance level the identity provider vouched for."""
    django_login(request, user, backend="eaccount.backends.PersonModelBackend")
    request.session[SESSION_ASSURANCE_KEY] = AssuranceLevel(level).value
    request.session[SESSION_LOGIN_MEANS_KEY] = means
    audit.record(action="auth.login", actor=_actor(request, user), data={"level": level, "means": means})


def demo_login(*, request, person: Person, means: str) -> User:
    """Demo eID: log in as a demo person with the chosen means. The caller checked the person has a login."""
    user = person.user
    login_complete(request=request, user=user, level=LOGIN_MEANS_ASSURANCE[LoginMeans(means)], means=means)
    return user


def logout_here(*, request) -> None:
    user = request.user
    if user.is_authenticated:
        audit.record(action="auth.logout", actor=_actor(request, user))
    django_logout(request)


def logout_everywhere(*, request) -> None:
    """End every session of this user, on every computer, this one included."""
    user = request.user
    if user.is_authenticated:
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        audit.record(action="auth.logout_everywhere", actor=_actor(request, user))
    django_logout(request)
