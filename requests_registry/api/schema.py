"""OpenAPI: the bearer-key security scheme of ApiClientAuthentication (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
