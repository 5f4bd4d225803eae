"""OpenID Connect login to the national identity provider (production).

The `acr` claim of the ID token says which means the person used; it becomes the session's level.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.db.models import Q
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

import audit.services as audit
from kernel.actors import Actor
from kernel.http import client_ip
from kernel.identifiers import normalise_personal_code

from .backends import user_with_person
from .constants import SESSION_ASSURANCE_KEY, SESSION_LOGIN_MEANS_KEY, AssuranceLevel
from .models import Person, User
from .selectors import persons_by_personal_code
from .services import person_create, user_create_for_person

ACR_LEVELS = {
    "http://eidas.europa.eu/LoA/high": AssuranceLevel.HIGH,
    "http://eidas.europa.eu/LoA/substantial": AssuranceLevel.SUBSTANTIAL,
    "http://eidas.europa.eu/LoA/low": AssuranceLevel.LOW,
    "high": AssuranceLevel.HIGH,
    "substantial": AssuranceLevel.SUBSTANTIAL,
    "low": AssuranceLevel.LOW,
}


OIDC_ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 - a session key name; mozilla-django-oidc keeps it there


def identity_provider_logout_url(*, id_token: str | None, return_to: str) -> str | None:
    """Where to send the browser after the portal's own logout so that the identity provider's session
    ends too (OpenID Connect RP-initiated logout); None without the endpoint or an ID token."""
    endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
    if not (settings.OIDC_ENABLED and endpoint and id_token):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": return_to,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def level_from_acr(acr: str | None) -> AssuranceLevel:
    """Unknown or missing `acr` counts as low: never assume more than was vouched for."""
    return ACR_LEVELS.get(acr or "", AssuranceLevel.LOW)


class AssuranceOIDCBackend(OIDCAuthenticationBackend):
    def get_user(self, user_id):
        return user_with_person(user_id)

    def _record_failure(self, *, reason: str, target=None, **tried) -> None:
        """A refused login in the audit trail: the address, why, and what was tried (never a token)."""
        request = getattr(self, "request", None)
        audit.record(
            action="auth.login_failed",
            actor=Actor(ip=client_ip(request)),
            target=target,
            data={"means": "oidc", "reason": reason, **tried},
        )

    def verify_token(self, token, **kwargs):
        """A token the provider did not sign (or for another login attempt: the nonce) is refused."""
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation:
            self._record_failure(reason="token_refused")
            raise

    def _personal_code(self, claims) -> str:
        value = str(claims.get(settings.OIDC_PERSONAL_CODE_CLAIM) or "").strip()
        # eID certificates carry it as an ETSI semantics identifier: "PNOLV-161175-19997"
        value = value.removeprefix("PNOLV").lstrip("-: ")
        return normalise_personal_code(value)

    def verify_claims(self, claims) -> bool:
        """A login needs a valid Latvian personal code; anything else is refused (400), not a crash."""
        try:
            self._personal_code(claims)
        except ValidationError:
            claim = str(claims.get(settings.OIDC_PERSONAL_CODE_CLAIM) or "")
            self._record_failure(reason="no_valid_personal_code", personal_code=claim[:32])
            return False
        return True

    def filter_users_by_claims(self, claims):
        try:
            code = self._personal_code(claims)
        except ValidationError:
            return User.objects.none()
        # the provider may vouch for the person's current code or their previous one
        return User.objects.filter(Q(person__personal_code=code) | Q(person__previous_personal_code=code))

    @transaction.atomic
    def create_user(self, claims):
        """The first login of a person: their Person may exist already (a client served at a centre,
        a child come of age), then it gets the login; else it is created from the claims."""
        code = self._personal_code(claims)
        person = persons_by_personal_code(personal_code=code).select_for_update().first()
        if person is None:
            person = person_create(
                personal_code=code,
                first_name=claims.get("given_name", ""),
                last_name=claims.get("family_name", ""),
                email=claims.get("email", ""),
            )
        elif not person.has_eid:
            Person.objects.filter(pk=person.pk).update(has_eid=True)
        return user_create_for_person(person=person)

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None and not user.is_active:  # the callback refuses it: no session, no level
            self._record_failure(reason="inactive", target=user)
            return None
        if user is not None and self.request is not None:
            level = level_from_acr(payload.get("acr"))
            self.request.session[SESSION_ASSURANCE_KEY] = level.value
            self.request.session[SESSION_LOGIN_MEANS_KEY] = "oidc"
            audit.record(
                action="auth.login",
                actor=Actor(user=user, assurance=level.value, ip=client_ip(self.request)),
                data={"level": level.value, "means": "oidc"},
            )
        return user
