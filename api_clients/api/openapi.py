"""What every API of the portal shares in its OpenAPI description: the bearer-key security scheme,
the problem-details body, and strict query parameters (the schema and the checks say the same)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

PROBLEM = "application/problem+json"


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api_clients.api.authentication.ApiClientAuthentication"
    name = "apiClientKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "The key of an agency's back-office system (`python manage.py create_api_client "
                "--agency VSAA`), sent as `Authorization: Bearer <key>`. A client sees and changes "
                "only the cases of its own agency's services."
            ),
        }


class ProblemOut(serializers.Serializer):
    """RFC 9457 problem details (application/problem+json)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False, help_text="Field errors of an invalid request.")
    current = serializers.CharField(required=False, help_text="The case's status (refused transition).")
    requested = serializers.CharField(required=False, help_text="The requested status (refused transition).")


def problem_responses(descriptions: dict[int, str]) -> dict:
    """`responses` entries for extend_schema: each status answered with a problem-details body."""
    return {
        (status, PROBLEM): OpenApiResponse(ProblemOut, description=text)
        for status, text in descriptions.items()
    }


class StrictQuery(serializers.Serializer):
    """Query parameters checked as the schema states them. DRF reads an empty form value
    (`?page_size=`) as "not given"; the schema says an integer, so an empty value is refused
    unless the field allows blank."""

    def to_internal_value(self, data):
        errors = {
            name: [_("This field may not be blank.")]
            for name, field in self.fields.items()
            if data.get(name) == "" and not getattr(field, "allow_blank", False)
        }
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
