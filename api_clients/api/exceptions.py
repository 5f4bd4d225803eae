"""API errors that carry extra problem-details members (`problem_extra`) and headers (`problem_headers`).

portal.api.problem_exception_handler renders them as application/problem+json.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class IdempotencyKeyMissing(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This request needs an Idempotency-Key header (1–255 printable ASCII characters).")
    default_code = "idempotency_key_missing"
    problem_type = "urn:pspp:problem:idempotency-key-missing"


class IdempotencyKeyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still being processed; retry later.")
    default_code = "idempotency_key_in_progress"
    problem_type = "urn:pspp:problem:idempotency-key-in-progress"
    problem_headers = {"Retry-After": "1"}


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with another request.")
    default_code = "idempotency_key_reused"
    problem_type = "urn:pspp:problem:idempotency-key-reused"
