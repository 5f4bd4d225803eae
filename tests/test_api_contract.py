"""The API agrees with its schema, as outsiders meet it over HTTP:

- Schemathesis reads the live schema and sends what it allows and what it forbids (all checks, the
  stateful phase included, a bounded number of examples): no 5xx, no answer the schema does not
  describe, nothing valid refused with 400, nothing invalid accepted. Its settings: schemathesis.toml.
- A Python client generated from the live schema with openapi-python-client (as an agency's
  back-office team would make one) imports and drives list, get, push, replay and register.

Bounded for CI: SCHEMATHESIS_MAX_EXAMPLES (default 25) examples per operation and phase.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from api_clients import services as api_client_services
from catalogue.models import Agency
from requests_registry.models import Case

pytestmark = pytest.mark.django_db(transaction=True)

BIN = Path(sys.executable).parent
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))
SEED = os.environ.get("SCHEMATHESIS_SEED", "20261201")


@pytest.fixture
def agency_key(settings, live_server):
    settings.API_CLIENT_CACHE_SECONDS = 0
    call_command("load_demo_data", verbosity=0)
    return api_client_services.api_client_create(
        agency=Agency.objects.get(code="VSAA"), name="VSAA back office"
    ).key


def test_schemathesis_finds_nothing(live_server, agency_key):
    run = subprocess.run(  # noqa: S603 - our own virtualenv's tool, fixed arguments
        [
            str(BIN / "schemathesis"),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Bearer {agency_key}",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            SEED,
            "--no-shrink",
            "--request-timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parent.parent,  # where schemathesis.toml is
    )
    report = run.stdout + run.stderr
    generated = re.search(r"(\d+) generated", report)
    print(
        f"schemathesis: {generated.group(0) if generated else '?'} (max {MAX_EXAMPLES} examples, seed {SEED})"
    )
    assert run.returncode == 0, report[-6000:]
    assert "Stateful" in report and generated and int(generated.group(1)) > 100


@pytest.fixture
def generated_client(tmp_path, live_server):
    """The client package openapi-python-client generates from the live schema, imported."""
    schema = tmp_path / "schema.json"
    schema.write_bytes(Client().get("/api/schema/", {"format": "json"}).content)
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {"project_name_override": "pspp-client", "package_name_override": "pspp_client", "post_hooks": []}
        )
    )
    run = subprocess.run(  # noqa: S603
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "pspp_client"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("pspp_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [
            name for name in sys.modules if name == "pspp_client" or name.startswith("pspp_client.")
        ]:
            del sys.modules[name]


def test_a_generated_client_lists_gets_pushes_replays_and_registers(
    live_server, agency_key, generated_client
):
    models = importlib.import_module("pspp_client.models")
    client = generated_client.AuthenticatedClient(base_url=live_server.url, token=agency_key)

    # list: the agency's cases, a page of them
    page = importlib.import_module("pspp_client.api.cases.cases_list").sync(client=client, page_size=2)
    assert page.results and len(page.results) <= 2
    assert all(Case.objects.get(number=case.number).service.agency.code == "VSAA" for case in page.results)

    # get: one case with its history
    open_case = Case.objects.filter(service__agency__code="VSAA").exclude(
        status__in=["completed", "rejected", "withdrawn", "in_progress"]
    )
    number = open_case.values_list("number", flat=True).first()
    detail = importlib.import_module("pspp_client.api.cases.cases_retrieve").sync(
        number=number, client=client
    )
    assert detail.number == number and detail.history

    # push a status change, then the same request again with the same key: replayed, nothing twice
    push = importlib.import_module("pspp_client.api.cases.cases_status_changes_create")
    key = str(uuid.uuid4())
    history_before = Case.objects.get(number=number).status_changes.count()
    body = models.StatusChangeIn(status=models.CaseStatusEnum("in_progress"), note="Taken up")
    first = push.sync_detailed(number=number, client=client, body=body, idempotency_key=key)
    again = push.sync_detailed(number=number, client=client, body=body, idempotency_key=key)
    assert first.status_code == again.status_code == 201, first.content
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.parsed.history[-1].to_status == "in_progress"
    assert Case.objects.get(number=number).status_changes.count() == history_before + 1

    # register a case received by post, for a person the register knows
    register = importlib.import_module("pspp_client.api.cases.cases_create")
    created = register.sync_detailed(
        client=client,
        body=models.CaseCreateIn(
            service="1013",
            client=models.PersonClientIn(personal_code="150585-12343"),
            channel=models.ReceivedChannelEnum("post"),
            external_reference="post:2026/118",
        ),
        idempotency_key=str(uuid.uuid4()),
    )
    assert created.status_code == 201, created.content
    assert created.parsed.channel == "post" and created.parsed.client.identifier == "150585-12343"
    assert Case.objects.filter(external_reference="post:2026/118").count() == 1
