"""API errors as RFC 9457 problem details (`application/problem+json`)."""

from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from kernel.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_response(
    *, status: int, detail, title: str | None = None, type_: str = "about:blank", **extra
) -> Response:
    body = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    body.update(extra)
    return Response(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def domain_problem(exc: DomainError) -> Response:
    """Any app's DomainError: its status, code (as the problem type), message, field errors and
    extra members. portal lists no app's exceptions."""
    extra = dict(exc.extra)
    if exc.field_errors:
        extra["errors"] = exc.field_errors
    return problem_response(status=exc.status, detail=exc.message, type_=exc.problem_type, **extra)


def problem_exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, RequestDataTooBig):
        return problem_response(status=413, detail=_("The request body is too large."))
    elif isinstance(exc, SuspiciousOperation):
        return problem_response(status=400, detail=_("The request is not valid."))
    if isinstance(exc, DomainError):
        set_rollback()
        return domain_problem(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    status = response.status_code
    extra = {}
    if getattr(exc, "problem_type", None):
        extra["type_"] = exc.problem_type
    if isinstance(exc, exceptions.ValidationError):
        problem = problem_response(status=status, detail=_("The request is not valid."), errors=data, **extra)
    elif isinstance(data, dict) and "detail" in data:
        problem = problem_response(status=status, detail=str(data["detail"]), **extra)
    else:
        problem = problem_response(status=status, detail=data, **extra)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    for header, value in (getattr(exc, "problem_headers", None) or {}).items():
        problem[header] = value
    return problem
