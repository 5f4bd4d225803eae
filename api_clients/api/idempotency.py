"""`Idempotency-Key` for POST requests (IETF httpapi draft "The Idempotency-Key HTTP Header Field").

- The key is scoped to the API client and kept IDEMPOTENCY_KEY_TTL_HOURS (default 24) hours.
- The same key with the same request (method, path and JSON body) replays the first answer, status
  and body, and changes nothing; the header `Idempotent-Replayed: true` marks a replay.
- The same key with another request answers 422; a retry while the first is still running, 409.
- A missing or malformed key answers 400.

The record is inserted and committed on its own before the work; the work and its stored answer
then commit in one transaction, so a key is kept exactly when its work committed: an error at any
point before that commit rolls the work back and releases the key. A process that dies mid-way
leaves an in-progress record, which a retry takes over after IDEMPOTENCY_LOCK_SECONDS (default 60).
"""

import hashlib
import json
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from kernel.errors import DomainError

from .. import services as api_client_services
from ..exceptions import IdempotencyConflict
from ..exceptions import IdempotencyKeyReused as KeyReused
from .exceptions import IdempotencyKeyInProgress, IdempotencyKeyMissing, IdempotencyKeyReused

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
PROBLEM_CONTENT_TYPE = "application/problem+json"
KEPT_HEADERS = ("Location",)
# printable ASCII, no space at either end (a header value's ends are trimmed on the way); `""` is an
# empty Structured Field string, no key
KEY_PATTERN = r'^(?!""$)[!-~]([ -~]{0,253}[!-~])?$'
_KEY = re.compile(KEY_PATTERN)


def idempotency_description() -> str:
    hours = getattr(settings, "IDEMPOTENCY_KEY_TTL_HOURS", 24)
    lock = getattr(settings, "IDEMPOTENCY_LOCK_SECONDS", 60)
    return (
        "Required. A unique value chosen by the client (e.g. a UUID), 1–255 printable ASCII "
        "characters, optionally quoted as a Structured Field string (IETF httpapi idempotency-key "
        f"draft). Keys are scoped to the API client and kept for {hours} hours. A retry with the same "
        "key and the same request replays the first answer (status and body, with the header "
        "`Idempotent-Replayed: true`) and changes nothing; the same key with another request answers "
        "422; a retry while the first request is still being processed answers 409 (with Retry-After); "
        f"a request that stopped mid-way can be retried with its key after {lock} seconds; a missing "
        "or malformed key answers 400."
    )


def parse_key(value: str | None) -> str:
    """The key, as the schema's pattern states it; a Structured Field string (`"…"`) counts as its
    content."""
    if value is None or not _KEY.match(value.strip()):
        raise IdempotencyKeyMissing
    key = value.strip()
    if len(key) > 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    return key


def request_fingerprint(request, payload) -> str:
    canonical = json.dumps(
        {"method": request.method, "path": request.path, "body": payload},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record) -> Response:
    headers = dict(record.response_headers or {})
    content_type = headers.pop("Content-Type", None)
    response = Response(record.response_body, status=record.response_status, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def idempotent_call(*, view, request, payload, handler: Callable[[], Response]) -> Response:
    """Run `handler` at most once per (client, key, request) and answer retries from the record.

    Call it after the request was validated: an invalid request never takes a key. The answer of
    a request that reached the service is stored, success or refusal (a refused transition is
    replayed as refused); an unexpected error, even after the service's own commit, rolls the work
    back with it and releases the key so that the client may retry.
    """
    key = parse_key(request.headers.get(HEADER))
    try:
        claim = api_client_services.idempotency_claim(
            client=request.auth, key=key, fingerprint=request_fingerprint(request, payload)
        )
    except IdempotencyConflict:
        raise IdempotencyKeyInProgress from None
    except KeyReused:
        raise IdempotencyKeyReused from None
    if claim.replay:
        return _replay(claim.record)
    try:
        with transaction.atomic():
            response = handler()
            if response.status_code >= 500:
                raise _ServerError(response)
            if not _complete(claim.record, response):  # another request took the key over: it does the work
                raise IdempotencyKeyInProgress
    except _ServerError as error:
        api_client_services.idempotency_release(record=claim.record)
        return error.response
    except DomainError as exc:  # refused: the work rolled back, the refusal is the stored answer
        response = view.get_exception_handler()(exc, view.get_exception_handler_context())
        if response is None:  # pragma: no cover - every DomainError is rendered by portal.api
            api_client_services.idempotency_release(record=claim.record)
            raise
        _complete(claim.record, response)
    except BaseException:
        api_client_services.idempotency_release(record=claim.record)
        raise
    return response


class _ServerError(Exception):
    def __init__(self, response: Response):
        self.response = response


def _complete(record, response: Response) -> bool:
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    if response.status_code >= 400:
        headers["Content-Type"] = PROBLEM_CONTENT_TYPE
    return api_client_services.idempotency_complete(
        record=record, status=response.status_code, body=response.data, headers=headers
    )


def idempotency_parameter() -> OpenApiParameter:
    """The required `Idempotency-Key` header, for a POST's schema."""
    return OpenApiParameter(
        name=HEADER,
        type={"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
        location=OpenApiParameter.HEADER,
        required=True,
        description=idempotency_description(),
    )
