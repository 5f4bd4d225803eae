"""OpenID Connect login to the national identity provider (production).

The `acr` claim of the ID token says which means the person used; it becomes the session's level.
"""

from django.conf import settings
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

import audit.services as audit

from .constants import SESSION_ASSURANCE_KEY, AssuranceLevel
from .models import User
from .services import person_create, user_create_for_person
from .validators import normalise_personal_code

ACR_LEVELS = {
    "http://eidas.europa.eu/LoA/high": AssuranceLevel.HIGH,
    "http://eidas.europa.eu/LoA/substantial": AssuranceLevel.SUBSTANTIAL,
    "http://eidas.europa.eu/LoA/low": AssuranceLevel.LOW,
    "high": AssuranceLevel.HIGH,
    "substantial": AssuranceLevel.SUBSTANTIAL,
    "low": AssuranceLevel.LOW,
}


def level_from_acr(acr: str | None) -> AssuranceLevel:
    """Unknown or missing `acr` counts as low: never assume more than was vouched for."""
    return ACR_LEVELS.get(acr or "", AssuranceLevel.LOW)


class AssuranceOIDCBackend(OIDCAuthenticationBackend):
    def _personal_code(self, claims) -> str:
        return normalise_personal_code(claims.get(settings.OIDC_PERSONAL_CODE_CLAIM, ""))

    def filter_users_by_claims(self, claims):
        try:
            code = self._personal_code(claims)
        except Exception:
            return User.objects.none()
        return User.objects.filter(person__personal_code=code)

    @transaction.atomic
    def create_user(self, claims):
        person = person_create(
            personal_code=self._personal_code(claims),
            first_name=claims.get("given_name", ""),
            last_name=claims.get("family_name", ""),
            email=claims.get("email", ""),
        )
        return user_create_for_person(person=person)

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None and self.request is not None:
            level = level_from_acr(payload.get("acr"))
            self.request.session[SESSION_ASSURANCE_KEY] = level.value
            audit.record(
                action="auth.login",
                actor=user,
                request=self.request,
                data={"level": level.value, "means": "oidc"},
            )
        return user
