import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from catalogue import services
from catalogue.constants import ServiceState
from catalogue.exceptions import EditingNotAllowed
from catalogue.models import Service, ServiceVersion
from catalogue.selectors import ServiceNotFound, service_get_published, service_version_current
from kernel.actors import Actor

NEW = {
    "code": "7001",
    "agency": "VSAA",
    "title_lv": "Jauns pabalsts",
    "title_en": "New benefit",
    "audience": "person",
    "payment_mode": "none",
    "processing_days": 5,
    "channels": {"e_service": {}, "vpvkac": {"centres": ["VPVKAC-RIGA"]}},
    "eform": [{"name": "iban", "type": "iban", "label_lv": "Konts", "required": True}],
    "life_events": ["child_birth"],
    "category": "family-and-children",
    "legal_basis": [{"title": "Likums", "url": "https://likumi.lv/ta/id/1"}],
}


def working(service):
    return services.service_working_snapshot(service=service)


@pytest.mark.django_db
def test_create_publish_edit_publish_keeps_versions(people):
    admin = people["vsaa_admin"]
    service = services.service_create(actor=Actor(user=admin), data=NEW)
    assert service.state == ServiceState.DRAFT and service.version == 0
    with pytest.raises(ServiceNotFound):
        service_get_published(code="7001")

    v1 = services.service_publish(service=service, actor=Actor(user=admin))
    assert v1.number == 1 and v1.published_by == admin
    assert service_get_published(code="7001").version == 1

    data = working(service)
    data["title_lv"] = "Jauns pabalsts ģimenēm"
    data["eform"] = data["eform"] + [{"name": "comment", "type": "long_text", "label_lv": "Komentārs"}]
    services.service_update(service=service, actor=Actor(user=admin), data=data)
    service.refresh_from_db()
    # not public until published: the live row is unchanged, the change is pending
    assert service.title_lv == "Jauns pabalsts" and service.pending["title_lv"] == "Jauns pabalsts ģimenēm"

    v2 = services.service_publish(service=service, actor=Actor(user=admin))
    service.refresh_from_db()
    assert v2.number == 2 and service.version == 2 and service.pending is None
    assert service.title_lv == "Jauns pabalsts ģimenēm"
    assert set(v2.changes) == {"title_lv", "eform"}
    assert v2.changes["title_lv"] == {"old": "Jauns pabalsts", "new": "Jauns pabalsts ģimenēm"}
    assert v2.changes["eform"]["summary"]["added"] == ["comment"]
    # a case filed under version 1 still has version 1's e-form
    assert [f["name"] for f in ServiceVersion.objects.get(service=service, number=1).eform] == ["iban"]
    assert service_version_current(service=service) == v2

    actions = list(AuditEvent.objects.filter(object_id=str(service.pk)).values_list("action", flat=True))
    assert actions.count("catalogue.service.publish") == 2
    assert "catalogue.service.create" in actions and "catalogue.service.update" in actions


@pytest.mark.django_db
def test_duplicate_code_is_refused(people):
    with pytest.raises(ValidationError) as error:
        services.service_create(actor=Actor(user=people["vsaa_admin"]), data={**NEW, "code": "1011"})
    assert "A service with this code already exists." in error.value.message_dict["code"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "eform, fragment",
    [
        ([{"name": "a", "type": "hologram", "label_lv": "A"}], "unknown field type"),
        (
            [{"name": "a", "type": "text", "label_lv": "A"}, {"name": "a", "type": "text", "label_lv": "B"}],
            "twice",
        ),
    ],
)
def test_bad_eform_is_refused(people, eform, fragment):
    with pytest.raises(ValidationError) as error:
        services.service_create(actor=Actor(user=people["vsaa_admin"]), data={**NEW, "eform": eform})
    assert any(fragment in m for m in error.value.message_dict["eform"])
    assert not Service.objects.filter(code="7001").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field",
    [
        ({"code": "12"}, "code"),
        ({"title_lv": ""}, "title_lv"),
        ({"processing_days": -1}, "processing_days"),
        ({"fee_eur": "abc"}, "fee_eur"),
        ({"fee_eur": "5.00", "payment_mode": "none"}, "payment_mode"),
        ({"channels": {}}, "channels"),
        ({"channels": {"teleport": {}}}, "channels"),
        ({"channels": {"agency": {}}}, "eform"),
        ({"legal_basis": [{"title": "X", "url": "javascript:alert(1)"}]}, "legal_basis"),
        ({"life_events": ["no_such_event"]}, "life_events"),
        ({"agency": "PMLP"}, "agency"),
    ],
)
def test_bad_data_is_refused(people, change, field):
    with pytest.raises(ValidationError) as error:
        services.service_create(actor=Actor(user=people["vsaa_admin"]), data={**NEW, **change})
    assert field in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["citizen", "vsaa_staff", "pmlp_admin"])
def test_denied_edits_change_nothing(people, who):
    service = Service.objects.get(code="1011")
    before = (
        working(service),
        service.state,
        service.version,
        ServiceVersion.objects.count(),
        AuditEvent.objects.count(),
    )
    user = people[who]
    data = {**working(service), "title_lv": "Nozagts"}
    for call in (
        lambda: services.service_update(service=service, actor=Actor(user=user), data=data),
        lambda: services.service_publish(service=service, actor=Actor(user=user)),
        lambda: services.service_withdraw(service=service, actor=Actor(user=user)),
    ):
        with pytest.raises(PermissionDenied):
            call()
    service.refresh_from_db()
    after = (
        working(service),
        service.state,
        service.version,
        ServiceVersion.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


@pytest.mark.django_db
def test_withdraw_then_republish(people):
    admin = people["platform_admin"]
    service = Service.objects.get(code="1031")  # PMLP: a platform admin edits all
    services.service_withdraw(service=service, actor=Actor(user=admin))
    with pytest.raises(ServiceNotFound):
        service_get_published(code="1031")
    with pytest.raises(EditingNotAllowed):
        services.service_withdraw(service=service, actor=Actor(user=admin))
    assert (
        services.service_publish(service=service, actor=Actor(user=admin)) is None
    )  # same content: no new version
    assert service_get_published(code="1031").version == 1


@pytest.mark.django_db
def test_editing_a_draft_applies_directly_and_discard(people):
    admin = people["vsaa_admin"]
    service = services.service_create(actor=Actor(user=admin), data=NEW)
    services.service_update(
        service=service, actor=Actor(user=admin), data={**working(service), "title_en": "Changed"}
    )
    service.refresh_from_db()
    assert service.title_en == "Changed" and service.pending is None

    services.service_publish(service=service, actor=Actor(user=admin))
    services.service_update(
        service=service, actor=Actor(user=admin), data={**working(service), "title_en": "Again"}
    )
    service.refresh_from_db()
    assert service.pending
    services.service_discard_pending(service=service, actor=Actor(user=admin))
    service.refresh_from_db()
    assert service.pending is None and service.title_en == "Changed"


@pytest.mark.django_db
def test_guardian_object_permission_grants_one_service(people):
    from guardian.shortcuts import assign_perm

    staff = people["vsaa_staff"]
    service = Service.objects.get(code="1011")
    with pytest.raises(PermissionDenied):
        services.service_update(service=service, actor=Actor(user=staff), data=working(service))
    assign_perm("catalogue.edit_service", staff, service)
    staff = type(staff).objects.get(pk=staff.pk)  # fresh permission cache
    services.service_update(
        service=service, actor=Actor(user=staff), data={**working(service), "title_en": "Childbirth grant"}
    )
    assert Service.objects.get(code="1011").pending["title_en"] == "Childbirth grant"
    with pytest.raises(PermissionDenied):
        services.service_update(service=Service.objects.get(code="1012"), actor=Actor(user=staff), data={})


@pytest.mark.django_db
def test_a_revoked_or_expired_agency_admin_may_not_edit(people, pilot):
    from datetime import timedelta

    from django.utils import timezone

    from catalogue.permissions import service_may_edit

    from .factories import person_user

    service = Service.objects.get(code="1011")
    revoked = person_user(role="agency_admin", agency=pilot.agencies["VSAA"])
    revoked.staff_roles.update(revoked_at=timezone.now())
    expired = person_user(role="agency_admin", agency=pilot.agencies["VSAA"])
    expired.staff_roles.update(
        valid_from=timezone.now() - timedelta(days=10), valid_until=timezone.now() - timedelta(days=1)
    )
    assert service_may_edit(people["vsaa_admin"], service)
    assert not service_may_edit(revoked, service)
    assert not service_may_edit(expired, service)
    with pytest.raises(PermissionDenied):
        services.service_publish(service=service, actor=Actor(user=expired))


@pytest.mark.django_db
def test_a_version_written_before_the_new_rules_existed_does_not_make_a_republish_a_change(people):
    # given version 1 of 1033 was written before services had the subject and minor rules
    admin = people["platform_admin"]
    service = Service.objects.get(code="1033")
    version = ServiceVersion.objects.get(service=service, number=1)
    for key in ("one_open_case_per_subject", "minor_may_be_client"):
        del version.snapshot[key]
    version.save(update_fields=["snapshot"])
    services.service_withdraw(service=service, actor=Actor(user=admin))

    # when it is published again unchanged
    published = services.service_publish(service=service, actor=Actor(user=admin))

    # then no new version appears: the missing keys read as the values every service had then
    assert published is None
    assert ServiceVersion.objects.filter(service=service).count() == 1


@pytest.mark.django_db
def test_pending_changes_saved_before_the_new_rules_existed_read_with_their_defaults(people):
    admin = people["vsaa_admin"]
    service = Service.objects.get(code="1013")
    data = working(service)
    services.service_update(
        service=service, actor=Actor(user=admin), data={**data, "title_en": "Parental allowance"}
    )
    pending = dict(Service.objects.get(pk=service.pk).pending)
    del pending["one_open_case_per_subject"], pending["minor_may_be_client"]
    Service.objects.filter(pk=service.pk).update(pending=pending)

    snapshot = working(Service.objects.get(pk=service.pk))

    assert snapshot["one_open_case_per_subject"] is False and snapshot["minor_may_be_client"] is False
    assert snapshot["title_en"] == "Parental allowance"
