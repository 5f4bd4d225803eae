"""API clients and their keys, and the Idempotency-Key records of their writes."""

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

import audit.services as audit

from .exceptions import IdempotencyConflict, IdempotencyKeyReused
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
) -> bool:
    """Store the answer to replay; only the holder of the lock may (a take-over changes locked_at).
    Returns False when the lock was taken over."""
    return bool(
        IdempotencyRecord.objects.filter(
            pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, locked_at=record.locked_at
        ).update(
            state=IdempotencyRecord.State.DONE,
            response_status=status,
            response_body=body,
            response_headers=headers or {},
        )
    )


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Forget the key: the request failed before it changed anything, the client may retry it."""
    IdempotencyRecord.objects.filter(
        pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, locked_at=record.locked_at
    ).delete()


def idempotency_records_purge(*, now=None, batch_size: int = 5000, budget_seconds: float = 20) -> int:
    """Delete the records older than IDEMPOTENCY_KEY_TTL_HOURS; returns how many.

    In batches of `batch_size`, each its own short statement, and for `budget_seconds` at most (well
    inside the task's time limit): a big backlog is worked off run by run, never all or nothing."""
    expired = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now())
    deadline = time.monotonic() + budget_seconds
    deleted = 0
    while True:
        batch = list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if batch:
            deleted += IdempotencyRecord.objects.filter(pk__in=batch).delete()[0]
        if len(batch) < batch_size or time.monotonic() > deadline:
            return deleted
