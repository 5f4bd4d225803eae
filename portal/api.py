"""API errors as RFC 9457 problem details (`application/problem+json`)."""

from http import HTTPStatus

from django.core.exceptions import ValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

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


def problem_exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    status = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        problem = problem_response(status=status, detail="The request is not valid.", errors=data)
    elif isinstance(data, dict) and "detail" in data:
        problem = problem_response(status=status, detail=str(data["detail"]))
    else:
        problem = problem_response(status=status, detail=data)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem
