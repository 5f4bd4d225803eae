"""Publishing with four eyes (issue 15, item 3): the agency's setting, the confirmation page with the
diff, the preparer refused where a second admin is required, the history with who prepared and who
approved, and the hidden actions POSTed directly."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalogue import rules, services
from catalogue.exceptions import PublishNeedsSecondAdmin
from catalogue.models import Agency, Service, ServiceVersion
from kernel.actors import Actor
from kernel.errors import PermissionDenied

from .factories import person_user

pytestmark = pytest.mark.django_db

CODE = "1011"  # VSAA's childbirth benefit, published (version 1), with an e-form
PUBLISH = f"/services/manage/{CODE}/publish/"
HISTORY = f"/services/manage/{CODE}/history/"


def state_of(code=CODE):
    service = Service.objects.get(code=code)
    return (
        service.state,
        service.version,
        service.pending,
        service.title_en,
        ServiceVersion.objects.filter(service=service).count(),
    )


def four_eyes(on: bool, agency="VSAA"):
    Agency.objects.filter(code=agency).update(four_eyes_publishing=on)


def prepare(user, code=CODE, **fields):
    """`user` saves a change of the service (kept pending: the service is public)."""
    fields = fields or {"title_en": "Childbirth allowance"}
    service = Service.objects.get(code=code)
    services.service_update_section(actor=Actor(user=user), service=service, fields=fields)
    return Service.objects.get(code=code)


@pytest.fixture
def second_admin(pilot):
    return person_user(role="agency_admin", agency=pilot.agencies["VSAA"])


# --- the rule ---------------------------------------------------------------------------------------


def test_the_rule_refuses_only_a_preparer_and_only_with_four_eyes(people, second_admin):
    preparer = people["vsaa_admin"]
    service = prepare(preparer)
    assert rules.service_publish_by_allowed(service, preparer, four_eyes=False)
    assert not rules.service_publish_by_allowed(service, preparer, four_eyes=True)
    assert rules.service_publish_by_allowed(service, second_admin, four_eyes=True)
    assert not rules.service_publish_by_allowed(service, None, four_eyes=True)
    service.preparers = []  # nothing prepared by anyone known: whoever may edit publishes
    assert rules.service_publish_by_allowed(service, preparer, four_eyes=True)


# --- four eyes off: the preparer publishes ----------------------------------------------------------


def test_with_four_eyes_off_the_preparer_publishes_after_confirming(login, people):
    four_eyes(False)
    preparer = people["vsaa_admin"]
    prepare(preparer)
    client = login(preparer)

    page = client.get(PUBLISH)
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    response = client.post(PUBLISH, {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == HISTORY
    service = Service.objects.get(code=CODE)
    assert service.title_en == "Childbirth allowance" and service.version == 2 and service.pending is None
    assert service.preparers == []
    version = ServiceVersion.objects.get(service=service, number=2)
    assert [p["id"] for p in version.preparers] == [preparer.pk] and version.published_by == preparer
    event = AuditEvent.objects.get(action="catalogue.service.publish", object_id=str(service.pk))
    assert event.data["prepared_by"] == [str(preparer)]
    assert event.data["approved_by"] == str(preparer)
    assert event.data["four_eyes"] is False
    assert event.agency_id == service.agency_id


# --- four eyes on: the preparer is refused, a second admin publishes ---------------------------------


def test_with_four_eyes_on_the_preparer_sees_why_and_no_button(login, people):
    four_eyes(True)
    prepare(people["vsaa_admin"])
    client = login(people["vsaa_admin"])
    client.cookies["django_language"] = "en"

    page = client.get(PUBLISH)

    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="publish-not-yours"' in body and "requires a second administrator" in body
    assert 'name="confirm"' not in body and 'type="submit" class="button">Publish' not in body
    assert 'data-four-eyes="on"' in body


def test_with_four_eyes_on_the_preparers_post_is_refused_and_audited(login, people):
    four_eyes(True)
    preparer = people["vsaa_admin"]
    prepare(preparer)
    before = state_of()
    client = login(preparer)

    response = client.post(PUBLISH, {"confirm": "on"})

    assert response.status_code == 403
    assert 'id="publish-refused"' in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()
    assert state_of() == before  # nothing published
    refused = AuditEvent.objects.get(action="catalogue.service.publish_refused")
    assert refused.actor_id == preparer.pk
    assert refused.data["prepared_by"] == [str(preparer)] and refused.data["code"] == CODE
    assert refused.agency_id == Agency.objects.get(code="VSAA").pk
    assert not AuditEvent.objects.filter(action="catalogue.service.publish").exists()

    # without the box ticked, the same: refused (and audited), not "tick the box"
    assert client.post(PUBLISH).status_code == 403
    assert AuditEvent.objects.filter(action="catalogue.service.publish_refused").count() == 2
    assert state_of() == before


def test_the_service_refuses_the_preparer_and_keeps_the_refusal_in_the_audit_trail(people):
    four_eyes(True)
    preparer = people["vsaa_admin"]
    service = prepare(preparer)
    before = state_of()

    with pytest.raises(PublishNeedsSecondAdmin) as refusal:
        services.service_publish(actor=Actor(user=preparer), service=service)

    assert isinstance(refusal.value, PermissionDenied)
    assert refusal.value.code == "service.publish_needs_second_admin" and refusal.value.status == 403
    assert state_of() == before
    assert AuditEvent.objects.filter(
        action="catalogue.service.publish_refused", actor_id=preparer.pk
    ).exists()


def test_with_four_eyes_on_a_second_admin_of_the_agency_publishes(login, people, second_admin):
    four_eyes(True)
    preparer = people["vsaa_admin"]
    prepare(preparer)
    client = login(second_admin)

    assert 'name="confirm"' in client.get(PUBLISH).content.decode()
    response = client.post(PUBLISH, {"confirm": "on"})

    assert response.status_code == 302
    service = Service.objects.get(code=CODE)
    assert service.version == 2 and service.title_en == "Childbirth allowance"
    version = ServiceVersion.objects.get(service=service, number=2)
    assert version.published_by == second_admin and [p["id"] for p in version.preparers] == [preparer.pk]
    event = AuditEvent.objects.get(action="catalogue.service.publish")
    assert event.actor_id == second_admin.pk
    assert event.data["prepared_by"] == [str(preparer)] and event.data["approved_by"] == str(second_admin)
    assert event.data["four_eyes"] is True


def test_a_second_admin_who_also_edited_is_a_preparer_too(login, people, second_admin):
    four_eyes(True)
    prepare(people["vsaa_admin"])
    prepare(second_admin, description_en="Changed by the second admin too.")

    assert login(second_admin).post(PUBLISH, {"confirm": "on"}).status_code == 403
    assert login(people["platform_admin"]).post(PUBLISH, {"confirm": "on"}).status_code == 302
    assert Service.objects.get(code=CODE).version == 2


def test_a_new_draft_waits_for_a_second_reader_given_the_right(login, people, pilot):
    """Māris creates a draft under four eyes; Edgars, VSAA staff given the right to edit this service,
    publishes it."""
    from guardian.shortcuts import assign_perm

    four_eyes(True)
    maris, edgars = people["vsaa_admin"], people["vsaa_staff"]
    data = services.service_working_snapshot(service=Service.objects.get(code=CODE))
    data.update(code="7401", title_lv="Jauns VSAA pakalpojums", title_en="A new VSAA service")
    draft = services.service_create(actor=Actor(user=maris), data=data)
    publish = f"/services/manage/{draft.code}/publish/"

    assert login(maris).post(publish, {"confirm": "on"}).status_code == 403
    assert login(edgars).get(publish).status_code == 404  # not yet given the right
    assign_perm("catalogue.edit_service", edgars, draft)
    assert login(edgars).post(publish, {"confirm": "on"}).status_code == 302

    draft.refresh_from_db()
    assert draft.state == "published" and draft.version == 1
    assert ServiceVersion.objects.get(service=draft).published_by == edgars


def test_an_admin_of_another_agency_cannot_approve(login, people):
    """A second admin approving another agency's change: service_may_edit refuses; 404 as for a code
    nobody has."""
    from catalogue.permissions import service_may_edit

    four_eyes(True)
    prepare(people["vsaa_admin"])
    before = state_of()
    other = people["pmlp_admin"]
    client = login(other)

    assert not service_may_edit(other, Service.objects.get(code=CODE))
    assert client.get(PUBLISH).status_code == 404
    assert client.post(PUBLISH, {"confirm": "on"}).status_code == 404
    assert state_of() == before
    assert not AuditEvent.objects.filter(action__startswith="catalogue.service.publish").exists()


def test_the_api_refuses_the_preparer_with_a_problem(client, people):
    four_eyes(True)
    prepare(people["vsaa_admin"])
    before = state_of()
    client.force_login(people["vsaa_admin"])

    response = client.post(f"/api/v1/services/{CODE}/publish/")

    assert response.status_code == 403
    assert response.json()["type"] == "urn:pspp:problem:service.publish_needs_second_admin"
    assert state_of() == before
    assert AuditEvent.objects.filter(action="catalogue.service.publish_refused").exists()


# --- the confirmation page ---------------------------------------------------------------------------


def test_the_confirmation_page_shows_the_diff_and_who_prepared_it(login, people, second_admin):
    preparer = people["vsaa_admin"]
    service = Service.objects.get(code=CODE)
    eform = [*service.eform, {"name": "email", "type": "email", "label_lv": "E-pasts", "label_en": "E-mail"}]
    prepare(preparer, title_en="Childbirth allowance", eform=eform)
    client = login(second_admin)
    client.cookies["django_language"] = "en"

    body = client.get(PUBLISH).content.decode()

    assert 'id="publish-changes"' in body
    assert "Childbirth benefit" in body and "Childbirth allowance" in body  # old → new
    assert 'data-field="title_en"' in body and 'data-field="eform"' in body
    assert 'data-field="title_lv"' not in body  # unchanged fields are not listed
    assert '<li data-eform="added">Fields added: <code>email</code></li>' in body
    assert "the published version 1" in body
    assert str(preparer) in body.split('id="publish-preparers"')[1].split("</dd>")[0]


def test_the_preview_links_to_the_confirmation_page(login, people):
    prepare(people["vsaa_admin"])
    body = login(people["vsaa_admin"]).get(f"/services/manage/{CODE}/preview/").content.decode()

    assert f'<a class="button" href="{PUBLISH}">' in body
    assert f'action="{PUBLISH}"' not in body


def test_a_post_without_the_confirmation_publishes_nothing(login, people):
    four_eyes(False)
    prepare(people["vsaa_admin"])
    before = state_of()
    client = login(people["vsaa_admin"])

    response = client.post(PUBLISH, {})

    assert response.status_code == 422
    assert "confirm" in response.context["form"].errors
    assert state_of() == before
    assert not AuditEvent.objects.filter(action__startswith="catalogue.service.publish").exists()
    assert client.post(PUBLISH, {"confirm": ""}).status_code == 422
    assert state_of() == before


def test_preparer_names_are_escaped(login, people, second_admin):
    service = prepare(people["vsaa_admin"])
    Service.objects.filter(pk=service.pk).update(preparers=[{"id": -1, "name": "<script>alert(1)</script>"}])
    client = login(second_admin)

    body = client.get(PUBLISH).content.decode()

    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- hidden actions POSTed directly -----------------------------------------------------------------


def test_publishing_with_nothing_to_publish_is_refused_even_when_confirmed(login, people):
    client = login(people["vsaa_admin"])
    before = state_of()
    assert not rules.service_publish_allowed(Service.objects.get(code=CODE))

    page = client.get(PUBLISH)
    assert page.status_code == 200 and 'id="publish-nothing"' in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()
    response = client.post(PUBLISH, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == f"/services/manage/{CODE}/preview/"
    assert state_of() == before


def test_a_preparer_may_still_withdraw_under_four_eyes_and_it_is_recorded(login, people):
    four_eyes(True)
    preparer = people["vsaa_admin"]
    prepare(preparer)
    client = login(preparer)

    client.post(f"/services/manage/{CODE}/withdraw/")

    assert Service.objects.get(code=CODE).state == "withdrawn"
    event = AuditEvent.objects.get(action="catalogue.service.withdraw")
    assert event.actor_id == preparer.pk and event.data["withdrawn_by"] == str(preparer)
    assert event.data["four_eyes"] is True


# --- the history ------------------------------------------------------------------------------------


def test_the_history_shows_who_prepared_approved_and_withdrew_newest_first(login, people, second_admin):
    four_eyes(True)
    preparer = people["vsaa_admin"]
    prepare(preparer)
    login(second_admin).post(PUBLISH, {"confirm": "on"})
    login(preparer).post(f"/services/manage/{CODE}/withdraw/")
    client = login(people["platform_admin"])
    client.post(PUBLISH, {"confirm": "on"})  # public again, as it was: no new version
    client.cookies["django_language"] = "en"

    body = client.get(HISTORY).content.decode()

    kinds = [part.split('"')[0] for part in body.split('data-kind="')[1:]]
    assert kinds == ["republished", "withdrawal", "version", "version"]
    version_2 = body.split('id="version-2"')[1].split("</section>")[0]
    assert str(preparer) in version_2.split('class="preparers"')[1].split("</dd>")[0]
    assert str(second_admin) in version_2.split('class="approver"')[1].split("</dd>")[0]
    withdrawal = body.split('data-kind="withdrawal"')[1].split("</section>")[0]
    assert str(preparer) in withdrawal and "Withdrawn" in withdrawal
    republished = body.split('data-kind="republished"')[1].split("</section>")[0]
    assert str(people["platform_admin"]) in republished
    version_1 = body.split('id="version-1"')[1].split("</section>")[0]
    assert "the system (data load)" in version_1


# --- the agency's setting ---------------------------------------------------------------------------


def settings_url(code="VSAA"):
    return reverse("catalogue:agency-settings", kwargs={"agency_code": code})


@pytest.mark.parametrize("who", ["vsaa_admin", "platform_admin"])
def test_an_agency_admin_turns_four_eyes_on_and_off(login, people, who):
    four_eyes(False)
    client = login(people[who])
    vsaa = Agency.objects.get(code="VSAA")

    assert client.get(settings_url()).status_code == 200
    response = client.post(settings_url(), {"four_eyes_publishing": "on"})

    assert response.status_code == 302 and response["Location"] == settings_url()
    assert Agency.objects.get(code="VSAA").four_eyes_publishing is True
    event = AuditEvent.objects.get(action="catalogue.agency.four_eyes_set")
    assert event.actor_id == people[who].pk and event.agency_id == vsaa.pk
    assert event.data == {"code": "VSAA", "four_eyes_publishing": True}

    client.post(settings_url(), {})  # the box unticked
    assert Agency.objects.get(code="VSAA").four_eyes_publishing is False
    client.post(settings_url(), {})  # no change: nothing recorded
    assert AuditEvent.objects.filter(action="catalogue.agency.four_eyes_set").count() == 2


@pytest.mark.parametrize("who", ["pmlp_admin", "vsaa_staff", "citizen"])
def test_the_settings_page_is_404_for_anyone_else(login, people, who):
    four_eyes(False)
    client = login(people[who])

    assert client.get(settings_url()).status_code == 404
    assert client.post(settings_url(), {"four_eyes_publishing": "on"}).status_code == 404
    assert client.get(settings_url("NOSUCH")).status_code == 404
    assert Agency.objects.get(code="VSAA").four_eyes_publishing is False
    assert not AuditEvent.objects.filter(action="catalogue.agency.four_eyes_set").exists()


def test_the_settings_page_asks_a_visitor_to_log_in(client, pilot):
    response = client.get(settings_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_only_the_agencys_admins_set_four_eyes(people):
    vsaa = Agency.objects.get(code="VSAA")
    with pytest.raises(PermissionDenied):
        services.agency_four_eyes_set(actor=Actor(user=people["pmlp_admin"]), agency=vsaa, on=True)
    with pytest.raises(PermissionDenied):
        services.agency_four_eyes_set(actor=Actor(), agency=vsaa, on=True)
    assert Agency.objects.get(code="VSAA").four_eyes_publishing is False
    services.agency_four_eyes_set(actor=Actor(user=people["vsaa_admin"]), agency=vsaa, on=True)
    assert Agency.objects.get(code="VSAA").four_eyes_publishing is True
