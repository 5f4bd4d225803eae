"""Services of the case API: API clients and their keys, idempotency records, finding a case's client.

Case writes themselves go through `requests_registry.services` (the core); this module holds what
only the API needs.
"""

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit.services as audit
import eaccount.selectors as eaccount_selectors
import eaccount.services as eaccount_services
from kernel.identifiers import normalise_personal_code, normalise_registration_number

from .models import ApiClient, IdempotencyRecord

KEY_PREFIX_BYTES = 6  # 12 hex characters, public, finds the row
KEY_SECRET_BYTES = 32  # 256 bits of secret


# --- API clients -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiClientCredentials:
    client: ApiClient
    key: str  # shown once, never stored


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_client_create(*, agency, name: str, created_by=None) -> ApiClientCredentials:
    """A new client of `agency` with a fresh key `<prefix>.<secret>`; only the secret's hash is kept."""
    prefix = secrets.token_hex(KEY_PREFIX_BYTES)
    secret = secrets.token_urlsafe(KEY_SECRET_BYTES)
    client = ApiClient(agency=agency, name=name, key_prefix=prefix, key_hash=_hash_secret(secret))
    client.created_by = created_by
    client.full_clean()
    client.save()
    audit.record(
        action="api_client.create",
        actor=created_by,
        target=client,
        data={"agency": agency.code, "name": name, "key_prefix": prefix},
    )
    return ApiClientCredentials(client=client, key=f"{prefix}.{secret}")


@transaction.atomic
def api_client_deactivate(*, client: ApiClient, actor=None) -> ApiClient:
    client.active = False
    client.save(update_fields=["active"])
    _client_cache_clear()
    audit.record(action="api_client.deactivate", actor=actor, target=client)
    return client


# A per-process cache of authenticated keys, so a busy client does not cost a query per request.
# A deactivated client is refused by every process within API_CLIENT_CACHE_SECONDS.
_client_cache: dict[str, tuple[float, ApiClient]] = {}
_client_cache_lock = threading.Lock()
_CLIENT_CACHE_MAX = 1000


def _client_cache_clear() -> None:
    with _client_cache_lock:
        _client_cache.clear()


def api_client_for_key(*, key: str) -> ApiClient | None:
    """The active client whose key this is, or None (unknown prefix, wrong secret, inactive)."""
    prefix, sep, secret = key.partition(".")
    if not sep or not prefix or not secret or len(prefix) > 16 or len(secret) > 100:
        return None
    cache_seconds = getattr(settings, "API_CLIENT_CACHE_SECONDS", 30)
    digest = _hash_secret(secret)
    cache_key = f"{prefix}.{digest}"
    now = time.monotonic()
    if cache_seconds > 0:
        cached = _client_cache.get(cache_key)
        if cached is not None and cached[0] > now:
            return cached[1]
    client = ApiClient.objects.select_related("agency").filter(key_prefix=prefix, active=True).first()
    if client is None or not hmac.compare_digest(client.key_hash, digest):
        return None
    if cache_seconds > 0:
        with _client_cache_lock:
            if len(_client_cache) >= _CLIENT_CACHE_MAX:
                _client_cache.clear()
            _client_cache[cache_key] = (now + cache_seconds, client)
    return client


# --- Idempotency keys --------------------------------------------------------------------------------


class IdempotencyConflict(Exception):
    """A request with this key is still being processed (answer 409)."""


class IdempotencyKeyReused(Exception):
    """This key was used with another request (answer 422)."""


@dataclass
class IdempotencyClaim:
    record: IdempotencyRecord
    replay: bool  # True: the stored answer is to be returned, nothing is done


def idempotency_ttl() -> timedelta:
    return timedelta(hours=getattr(settings, "IDEMPOTENCY_KEY_TTL_HOURS", 24))


def idempotency_lock_time() -> timedelta:
    return timedelta(seconds=getattr(settings, "IDEMPOTENCY_LOCK_SECONDS", 60))


def idempotency_claim(*, client: ApiClient, key: str, fingerprint: str) -> IdempotencyClaim:
    """Take the key for this request, or say how to answer it.

    The record is inserted and committed on its own (the API runs without ATOMIC_REQUESTS, so this
    is its own transaction) before the work starts, so a concurrent retry sees it in progress. Raises IdempotencyConflict (still in progress) or
    IdempotencyKeyReused (another request). An in-progress record whose lock is older than
    IDEMPOTENCY_LOCK_SECONDS (its process died) is taken over; an expired record is replaced.
    """
    for _attempt in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    client=client,
                    key=key,
                    fingerprint=fingerprint,
                    state=IdempotencyRecord.State.IN_PROGRESS,
                    locked_at=now,
                    expires_at=now + idempotency_ttl(),
                )
            return IdempotencyClaim(record=record, replay=False)
        except IntegrityError:
            pass
        record = IdempotencyRecord.objects.filter(client=client, key=key).first()
        if record is None:
            continue  # released or purged meanwhile: try again
        if record.expires_at <= now:
            IdempotencyRecord.objects.filter(pk=record.pk, expires_at__lte=now).delete()
            continue
        if record.fingerprint != fingerprint:
            raise IdempotencyKeyReused
        if record.state == IdempotencyRecord.State.DONE:
            return IdempotencyClaim(record=record, replay=True)
        if record.locked_at <= now - idempotency_lock_time():
            taken = IdempotencyRecord.objects.filter(
                pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, locked_at=record.locked_at
            ).update(locked_at=now)
            if taken:
                record.locked_at = now
                return IdempotencyClaim(record=record, replay=False)
        raise IdempotencyConflict
    raise IdempotencyConflict


def idempotency_complete(
    *, record: IdempotencyRecord, status: int, body, headers: dict | None = None
) -> None:
    """Store the answer to replay; only the holder of the lock may (a take-over changes locked_at)."""
    IdempotencyRecord.objects.filter(
        pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, locked_at=record.locked_at
    ).update(
        state=IdempotencyRecord.State.DONE,
        response_status=status,
        response_body=body,
        response_headers=headers or {},
    )


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Forget the key: the request failed before it changed anything, the client may retry it."""
    IdempotencyRecord.objects.filter(
        pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, locked_at=record.locked_at
    ).delete()


def idempotency_records_purge(*, now=None) -> int:
    """Delete the records older than IDEMPOTENCY_KEY_TTL_HOURS; returns how many."""
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# --- The client of a case registered through the API -------------------------------------------------


def case_client_find_or_create(
    *,
    personal_code: str = "",
    first_name: str = "",
    last_name: str = "",
    registration_number: str = "",
    name: str = "",
):
    """The Person (by personal code) or Organisation (by registration number) of a case, created
    from the given names when the registry does not know them yet. Raises ValidationError."""
    try:
        code = normalise_personal_code(personal_code) if personal_code else ""
        number = normalise_registration_number(registration_number) if not personal_code else ""
    except ValidationError as exc:
        raise ValidationError({"client": exc.messages}) from None
    if code:
        person = eaccount_selectors.person_get_by_personal_code(personal_code=code)
        if person is not None:
            return person
        if not (first_name and last_name):
            raise ValidationError(
                {"client": [_("This person is not known yet: give first_name and last_name too.")]}
            )
        try:
            with transaction.atomic():
                return eaccount_services.person_create(
                    personal_code=code, first_name=first_name, last_name=last_name, has_eid=False
                )
        except IntegrityError:  # created by a concurrent request
            return eaccount_selectors.person_get_by_personal_code(personal_code=code)
    organisation = _organisation_get(number)
    if organisation is not None:
        return organisation
    if not name:
        raise ValidationError({"client": [_("This organisation is not known yet: give its name too.")]})
    try:
        with transaction.atomic():
            return eaccount_services.organisation_create(registration_number=number, name=name)
    except IntegrityError:
        return _organisation_get(number)


def _organisation_get(registration_number: str):
    # eaccount has no selector for this yet; a read by the unique key.
    from eaccount.models import Organisation

    return Organisation.objects.filter(registration_number=registration_number).first()


# --- The API's hot read ------------------------------------------------------------------------------
#
# GET /api/v1/cases/{number}/ for an API client is the busiest call of the API. It runs two
# fixed SQL statements built once per process from the models' metadata: no ORM query building per
# request, and few joins, so PostgreSQL plans them quickly (a single 7-table join spent ~2 ms
# planning, several times its execution). The scope is that of selectors.case_get_for_agency.

CASE_DETAIL_KEYS = (
    "case__id",
    "case__number",
    "case__status",
    "case__channel",
    "case__basis",
    "case__external_reference",
    "case__planned_completion",
    "case__created_at",
    "case__updated_at",
    "case__completed_at",
    "case__data",
    "case__service__code",
    "case__client_person_id",
    "case__client_person__personal_code",
    "case__client_person__first_name",
    "case__client_person__last_name",
    "case__client_organisation__registration_number",
    "case__client_organisation__name",
)
HISTORY_KEYS = (
    "seq",
    "from_status",
    "to_status",
    "at",
    "system_label",
    "channel",
    "note",
    "visible_to_client",
    "actor__username",
    "actor__person__first_name",
    "actor__person__last_name",
)
_hot_sql: dict[str, str] = {}


def _build_hot_sql() -> dict[str, str]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from catalogue.models import Service
    from eaccount.models import Organisation, Person

    from .models import Case, StatusChange

    q = connection.ops.quote_name

    def col(alias: str, model, field: str) -> str:
        return f"{alias}.{q(model._meta.get_field(field).column)}"

    case_columns = [
        col("c", Case, f)
        for f in (
            "id",
            "number",
            "status",
            "channel",
            "basis",
            "external_reference",
            "planned_completion",
            "created_at",
            "updated_at",
            "completed_at",
            "data",
        )
    ] + [
        col("s", Service, "code"),
        col("c", Case, "client_person"),
        col("p", Person, "personal_code"),
        col("p", Person, "first_name"),
        col("p", Person, "last_name"),
        col("o", Organisation, "registration_number"),
        col("o", Organisation, "name"),
    ]
    user = get_user_model()
    history_columns = [
        col("h", StatusChange, f)
        for f in (
            "seq",
            "from_status",
            "to_status",
            "at",
            "system_label",
            "channel",
            "note",
            "visible_to_client",
        )
    ] + [col("u", user, "username"), col("ap", Person, "first_name"), col("ap", Person, "last_name")]
    # Identifiers only come from the models' metadata (quoted); values are bound parameters.
    return {
        "case": (
            f"SELECT {', '.join(case_columns)} FROM {q(Case._meta.db_table)} c "  # noqa: S608
            f"INNER JOIN {q(Service._meta.db_table)} s ON s.{q('id')} = {col('c', Case, 'service')} "
            f"LEFT OUTER JOIN {q(Person._meta.db_table)} p ON p.{q('id')} = {col('c', Case, 'client_person')} "
            f"LEFT OUTER JOIN {q(Organisation._meta.db_table)} o "
            f"ON o.{q('id')} = {col('c', Case, 'client_organisation')} "
            f"WHERE {col('c', Case, 'number')} = %s AND {col('s', Service, 'agency')} = %s"
        ),
        "history": (
            f"SELECT {', '.join(history_columns)} FROM {q(StatusChange._meta.db_table)} h "  # noqa: S608
            f"LEFT OUTER JOIN {q(user._meta.db_table)} u ON u.{q('id')} = {col('h', StatusChange, 'actor')} "
            f"LEFT OUTER JOIN {q(Person._meta.db_table)} ap ON ap.{q('id')} = {col('u', user, 'person')} "
            f"WHERE {col('h', StatusChange, 'case')} = %s ORDER BY {col('h', StatusChange, 'seq')}"
        ),
    }


def _aware(value):
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without a converter
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def case_detail_rows_for_agency(*, agency_id: int, number: str) -> tuple[dict, list[dict]]:
    """A case of one of the agency's services and its whole history (oldest first), in two
    queries, as dicts (`case__…` keys for the case, HISTORY_KEYS for each history row).

    CaseNotFound for missing, foreign and malformed numbers alike.
    """
    from django.db import connection

    from .exceptions import CaseNotFound
    from .selectors import case_number_is_valid

    if not case_number_is_valid(number):
        raise CaseNotFound(number)
    if not _hot_sql:
        _hot_sql.update(_build_hot_sql())
    with connection.cursor() as cursor:
        cursor.execute(_hot_sql["case"], [number, agency_id])
        row = cursor.fetchone()
        if row is None:
            raise CaseNotFound(number)
        case = dict(zip(CASE_DETAIL_KEYS, row, strict=True))
        cursor.execute(_hot_sql["history"], [case["case__id"]])
        history = [dict(zip(HISTORY_KEYS, r, strict=True)) for r in cursor.fetchall()]
    for key in ("case__created_at", "case__updated_at", "case__completed_at"):
        case[key] = _aware(case[key])
    planned = case["case__planned_completion"]
    if isinstance(planned, str):
        case["case__planned_completion"] = date.fromisoformat(planned)
    if isinstance(case["case__data"], str | bytes):
        case["case__data"] = json.loads(case["case__data"])
    for entry in history:
        entry["at"] = _aware(entry["at"])
        entry["visible_to_client"] = bool(entry["visible_to_client"])
    return case, history
