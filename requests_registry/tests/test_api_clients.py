"""API clients: keys stored only as hashes, the bearer authentication, the management command,
and the idempotency records behind `Idempotency-Key` (service level; the HTTP level is in test_api.py)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from api_clients import services as services_api
from api_clients.api.authentication import ApiClientAuthentication
from api_clients.api.exceptions import IdempotencyKeyMissing
from api_clients.api.idempotency import parse_key
from api_clients.exceptions import IdempotencyConflict, IdempotencyKeyReused
from api_clients.models import ApiClient, IdempotencyRecord
from audit.models import AuditEvent
from eaccount.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory(code="VSAA")


@pytest.fixture
def credentials(agency):
    return services_api.api_client_create(agency=agency, name="VSAA back office")


def _authenticate(header: str | None):
    factory = APIRequestFactory()
    request = factory.get("/api/v1/cases/", HTTP_AUTHORIZATION=header) if header else factory.get("/")
    from rest_framework.request import Request

    return ApiClientAuthentication().authenticate(Request(request))


def test_key_is_shown_once_and_only_its_hash_is_stored(credentials):
    client = ApiClient.objects.get()
    prefix, secret = credentials.key.split(".", 1)
    assert client.key_prefix == prefix
    assert len(secret) >= 40
    assert secret not in client.key_hash and credentials.key not in str(vars(client))
    assert AuditEvent.objects.filter(action="api_client.create", object_id=str(client.pk)).exists()


def test_bearer_key_authenticates_the_client(credentials):
    user, auth = _authenticate(f"Bearer {credentials.key}")
    assert auth == credentials.client
    assert not user.is_authenticated
    assert auth.system_label == "API: VSAA back office (VSAA)"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nope",
        "Bearer abc.def",
        "Bearer",
        "Bearer a b",
        "Bearer {prefix}.wrong-secret",
        "Bearer {prefix}.",
    ],
)
def test_bad_keys_are_refused(credentials, header):
    prefix = credentials.client.key_prefix
    with pytest.raises(exceptions.AuthenticationFailed):
        _authenticate(header.format(prefix=prefix))


def test_other_schemes_are_left_to_other_authenticators(credentials):
    assert _authenticate(None) is None
    assert _authenticate("Basic dXNlcjpwYXNz") is None


def test_deactivated_client_is_refused_at_once(credentials, settings):
    settings.API_CLIENT_CACHE_SECONDS = 30
    assert _authenticate(f"Bearer {credentials.key}")[1] == credentials.client  # now cached
    services_api.api_client_deactivate(client=credentials.client)
    with pytest.raises(exceptions.AuthenticationFailed):
        _authenticate(f"Bearer {credentials.key}")


def test_create_api_client_command_prints_the_key_once(agency):
    out = StringIO()
    call_command("create_api_client", "--agency", "vsaa", "--name", "Back office", stdout=out)
    client = ApiClient.objects.get()
    key = out.getvalue().split("Key (shown only now, keep it secret): ")[1].split()[0]
    assert key.startswith(client.key_prefix + ".")
    assert services_api.api_client_for_key(key=key) == client
    assert client.agency == agency and client.name == "Back office"


def test_create_api_client_command_refuses_an_unknown_agency(agency):
    with pytest.raises(CommandError):
        call_command("create_api_client", "--agency", "NOPE", stdout=StringIO())
    assert not ApiClient.objects.exists()


# --- idempotency records -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [("abc", "abc"), ('"8e03978e-40d5-43e8-bc93-6894a57f9324"', "8e03978e-40d5-43e8-bc93-6894a57f9324")],
)
def test_key_header_forms(value, expected):
    assert parse_key(value) == expected


@pytest.mark.parametrize("value", [None, "", '""', "   ", "x" * 256, "ā-not-ascii", "tab\there"])
def test_missing_or_malformed_key(value):
    with pytest.raises(IdempotencyKeyMissing):
        parse_key(value)


def test_first_claim_takes_the_key(credentials):
    claim = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    assert not claim.replay
    record = IdempotencyRecord.objects.get()
    assert record.state == "in_progress"
    assert record.expires_at - record.created_at == pytest.approx(
        timedelta(hours=24), abs=timedelta(seconds=5)
    )


def test_retry_while_in_progress_is_a_conflict(credentials):
    services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    with pytest.raises(IdempotencyConflict):
        services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")


def test_retry_after_completion_replays(credentials):
    claim = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    services_api.idempotency_complete(
        record=claim.record, status=201, body={"a": 1}, headers={"Location": "/x"}
    )
    again = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    assert again.replay
    assert (again.record.response_status, again.record.response_body) == (201, {"a": 1})


def test_same_key_other_request_is_refused(credentials):
    claim = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    services_api.idempotency_complete(record=claim.record, status=201, body={})
    with pytest.raises(IdempotencyKeyReused):
        services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="other")


def test_keys_are_scoped_to_the_client(credentials, agency):
    other = services_api.api_client_create(agency=agency, name="Another system").client
    services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    assert not services_api.idempotency_claim(client=other, key="k1", fingerprint="f2").replay


def test_stale_in_progress_record_is_taken_over(credentials, settings):
    settings.IDEMPOTENCY_LOCK_SECONDS = 60
    claim = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    IdempotencyRecord.objects.filter(pk=claim.record.pk).update(
        locked_at=timezone.now() - timedelta(seconds=61)
    )
    taken = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    assert not taken.replay
    # the crashed first holder can no longer store its answer; the new holder can
    services_api.idempotency_complete(record=claim.record, status=500, body={"late": True})
    services_api.idempotency_complete(record=taken.record, status=201, body={"ok": True})
    assert IdempotencyRecord.objects.get().response_body == {"ok": True}


def test_expired_record_is_replaced_and_purged(credentials):
    claim = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    services_api.idempotency_complete(record=claim.record, status=201, body={})
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    fresh = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="new")
    assert not fresh.replay
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services_api.idempotency_records_purge() == 1
    assert not IdempotencyRecord.objects.exists()


def test_purge_works_in_batches_and_stops_at_its_time_budget(credentials):
    for key in ("a", "b", "c", "d", "e"):
        services_api.idempotency_claim(client=credentials.client, key=key, fingerprint="f")
    services_api.idempotency_claim(client=credentials.client, key="kept", fingerprint="f")
    IdempotencyRecord.objects.exclude(key="kept").update(expires_at=timezone.now() - timedelta(seconds=1))
    # a spent budget: one batch, the rest left to the next run
    assert services_api.idempotency_records_purge(batch_size=2, budget_seconds=0) == 2
    assert services_api.idempotency_records_purge(batch_size=2) == 3
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["kept"]


def test_released_key_can_be_used_again(credentials):
    claim = services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1")
    services_api.idempotency_release(record=claim.record)
    assert not services_api.idempotency_claim(client=credentials.client, key="k1", fingerprint="f1").replay


def test_purge_command_deletes_only_expired_records(credentials):
    services_api.idempotency_claim(client=credentials.client, key="old", fingerprint="f")
    services_api.idempotency_claim(client=credentials.client, key="new", fingerprint="f")
    IdempotencyRecord.objects.filter(key="old").update(expires_at=timezone.now() - timedelta(seconds=1))
    out = StringIO()
    call_command("purge_idempotency_records", stdout=out)
    assert "1 expired" in out.getvalue()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_purge_task_deletes_only_expired_records(credentials):
    from api_clients.tasks import idempotency_records_purge

    services_api.idempotency_claim(client=credentials.client, key="old", fingerprint="f")
    services_api.idempotency_claim(client=credentials.client, key="new", fingerprint="f")
    IdempotencyRecord.objects.filter(key="old").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert idempotency_records_purge.delay().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
