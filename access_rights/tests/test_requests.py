"""Annex 2 requests to the ministry: submit (with the signed document), approve, refuse — the
services of access_rights.services.requests."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from access_rights import services
from access_rights.constants import AccessRequestStatus
from access_rights.exceptions import (
    AccessRequestDecided,
    AccessRequestDecisionNotAllowed,
    AccessRequestNotAllowed,
)
from access_rights.models import AccessRequest, AccessRequestEntry
from access_rights.services import EntryData
from access_rights.tests.signed_samples import asice_bytes, pdf_signed_bytes, upload
from audit.models import AuditEvent
from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory
from eaccount.models import StaffRole, User
from eaccount.tests.factories import PersonFactory, StaffRoleFactory, UserFactory, new_personal_code_for
from kernel.actors import Actor
from kernel.errors import Invalid, NotFound
from notifications.models import Notification

pytestmark = pytest.mark.django_db

REFUSED = "access_rights.refused"


# --- helpers -----------------------------------------------------------------------------------------


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def next_midnight(day):
    """The moment a role "until `day`" ends: the midnight after it, in Riga."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def grant(person, *, kind="agency_admin", days: int | None = 30, permanent=False, **fields) -> EntryData:
    return EntryData(
        action="grant",
        kind=kind,
        personal_code=fields.pop("personal_code", None) or person.personal_code,
        email=fields.pop("email", "darbinieks@iestade.lv"),
        phone=fields.pop("phone", "+371 20000000"),
        position=fields.pop("position", "Vecākais referents"),
        valid_until=None if permanent or days is None else in_days(days),
        permanent=permanent,
        **fields,
    )


def revoke(person, *, kind="agency_admin") -> EntryData:
    return EntryData(action="revoke", kind=kind, personal_code=person.personal_code)


def asice(name="pieprasijums.asice"):
    return upload(name, asice_bytes())


def refused_events(actor_user=None, attempted: str | None = None):
    events = AuditEvent.objects.filter(action=REFUSED)
    if actor_user is not None:
        events = events.filter(actor_id=actor_user.pk)
    if attempted is not None:
        events = events.filter(data__attempted=attempted)
    return events


def notices(topic: str, person=None):
    rows = Notification.objects.filter(topic=topic)
    return rows.filter(recipient_person=person) if person is not None else rows


def stored_files(root) -> list:
    folder = root / "access_requests"
    return list(folder.iterdir()) if folder.exists() else []


def state():
    """What a refused action must leave as it was."""
    return (
        AccessRequest.objects.count(),
        AccessRequestEntry.objects.count(),
        list(StaffRole.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(AccessRequest.objects.order_by("pk").values_list("pk", "status", "decided_by", "decided_at")),
        list(AccessRequestEntry.objects.order_by("pk").values_list("pk", "role")),
        Notification.objects.count(),
        User.objects.count(),
    )


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture
def agency():
    return AgencyFactory(code="AGA")


@pytest.fixture
def other_agency():
    return AgencyFactory(code="AGB")


@pytest.fixture
def centre():
    return ServiceCentreFactory(code="VPVKAC-C")


@pytest.fixture
def ministry():
    """The platform admin who decides."""
    return StaffRoleFactory(kind="platform_admin").user


@pytest.fixture
def submitter(agency):
    """The agency's authorised person (its admin)."""
    return StaffRoleFactory(kind="agency_admin", agency=agency).user


@pytest.fixture
def employee():
    """The employee named in the request: in the register, with a login."""
    return UserFactory().person


@pytest.fixture
def submitted(submitter, agency, employee, ministry):
    """A pending request of the agency: grant `employee` agency_admin until 30 days from now."""
    return services.access_request_submit(
        actor=Actor(user=submitter), agency=agency, entries=[grant(employee)], document=asice()
    )


# --- submit ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("pieprasijums.asice", asice_bytes(), "asice"),
        ("pieprasijums.edoc", asice_bytes(), "asice"),
        ("pieprasijums.pdf", pdf_signed_bytes(), "pdf"),
    ],
)
def test_a_request_with_a_good_signed_document_is_recorded(
    settings, submitter, agency, employee, ministry, name, content, kind
):
    request = services.access_request_submit(
        actor=Actor(user=submitter),
        agency=agency,
        entries=[grant(employee, days=30)],
        document=upload(name, content),
        note="  Jauns administrators  ",
    )

    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING
    assert (request.agency, request.centre, request.submitted_by) == (agency, None, submitter)
    assert request.note == "Jauns administrators"
    assert request.document_kind == kind
    assert request.document_name == name
    assert len(request.document_sha256) == 64
    assert request.document_signatures  # the signature file(s) or field(s) found
    with request.document.open("rb") as stored:
        assert stored.read() == content
    assert len(stored_files(settings.MEDIA_ROOT)) == 1
    (entry,) = request.entries.all()
    assert (entry.action, entry.kind, entry.person) == ("grant", "agency_admin", employee)
    assert (entry.valid_until, entry.permanent, entry.role) == (in_days(30), False, None)
    assert (entry.email, entry.phone, entry.position) == (
        "darbinieks@iestade.lv",
        "+371 20000000",
        "Vecākais referents",
    )
    assert AuditEvent.objects.filter(action="access_request.submit", actor_id=submitter.pk).count() == 1
    assert not StaffRole.objects.filter(user__person=employee).exists()  # nothing granted yet


def test_a_centre_request_asks_for_the_centre_admin(centre, employee, ministry):
    specialist = StaffRoleFactory(kind="centre_specialist", centre=centre).user

    request = services.access_request_submit(
        actor=Actor(user=specialist),
        centre=centre,
        entries=[grant(employee, kind="centre_admin", permanent=True)],
        document=upload("p.pdf", pdf_signed_bytes()),
    )

    (entry,) = request.entries.all()
    assert (request.centre, request.agency) == (centre, None)
    assert (entry.kind, entry.permanent, entry.valid_until) == ("centre_admin", True, None)


def test_the_municipality_asks_for_its_centre(centre, employee, ministry):
    municipality_admin = StaffRoleFactory(kind="agency_admin", agency=centre.municipality).user

    request = services.access_request_submit(
        actor=Actor(user=municipality_admin),
        centre=centre,
        entries=[grant(employee, kind="centre_admin")],
        document=asice(),
    )

    assert request.centre == centre


def test_the_platform_admins_are_notified_of_a_new_request(submitter, agency, employee, ministry):
    second = StaffRoleFactory(kind="platform_admin").user
    former = StaffRoleFactory(kind="platform_admin", revoked_at=timezone.now()).user

    request = services.access_request_submit(
        actor=Actor(user=submitter), agency=agency, entries=[grant(employee)], document=asice()
    )

    for admin in (ministry, second):
        rows = notices("access_request_submitted", admin.person)
        assert rows.exists()
        assert all(row.link_url.endswith(f"/{request.pk}/") for row in rows)
        assert {row.context["number"] for row in rows} == {request.number}
    assert not notices("access_request_submitted", former.person).exists()
    assert not notices("access_request_submitted", submitter.person).exists()
    assert not notices("access_request_submitted", employee).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (None, None),  # no document at all
        ("pieprasijums.pdf", asice_bytes()),  # a container named as a PDF
        ("pieprasijums.asice", pdf_signed_bytes()),  # a PDF named as a container
        ("pieprasijums.edoc", b"plain text, not a container"),
        ("pieprasijums.pdf", pdf_signed_bytes(signed=False)),  # a PDF without a signature
        ("pieprasijums.asice", asice_bytes(signature=False)),  # a container without a signature
        ("pieprasijums.docx", b"PK\x03\x04 whatever"),  # a type not accepted
        ("pieprasijums.pdf", b""),  # empty
    ],
)
def test_a_request_without_a_good_signed_document_is_refused_and_nothing_is_saved(
    settings, submitter, agency, employee, ministry, name, content
):
    document = upload(name, content) if name else None
    before = state()

    with pytest.raises(Invalid) as raised:
        services.access_request_submit(
            actor=Actor(user=submitter), agency=agency, entries=[grant(employee)], document=document
        )

    assert raised.value.status == 422
    assert list(raised.value.field_errors) == ["document"]
    assert raised.value.field_errors["document"][0]
    assert state() == before
    assert stored_files(settings.MEDIA_ROOT) == []
    assert not AuditEvent.objects.filter(action="access_request.submit").exists()


def test_the_entry_errors_and_the_document_error_come_together(submitter, agency, ministry):
    with pytest.raises(Invalid) as raised:
        services.access_request_submit(
            actor=Actor(user=submitter),
            agency=agency,
            entries=[grant(None, personal_code=new_personal_code_for(4242))],
            document=None,
        )

    assert set(raised.value.field_errors) == {"entries-0-personal_code", "document"}


@pytest.mark.parametrize("code", [new_personal_code_for(987654), "010101-10000", "not a code"])
def test_an_unknown_or_malformed_personal_code_is_refused_on_its_row(
    settings, submitter, agency, employee, ministry, code
):
    before = state()

    with pytest.raises(Invalid) as raised:
        services.access_request_submit(
            actor=Actor(user=submitter),
            agency=agency,
            entries=[grant(employee), grant(None, personal_code=code)],
            document=asice(),
        )

    assert set(raised.value.field_errors) == {"entries-1-personal_code"}
    assert state() == before
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize(
    "entry_fields",
    [
        {"days": -1},  # yesterday
        {"days": 0},  # today: a right holds at least until the end of a later day
        {"days": None},  # neither a date nor permanent
    ],
)
def test_a_term_that_is_not_after_today_is_refused(submitter, agency, employee, ministry, entry_fields):
    before = state()

    with pytest.raises(Invalid) as raised:
        services.access_request_submit(
            actor=Actor(user=submitter),
            agency=agency,
            entries=[grant(employee, **entry_fields)],
            document=asice(),
        )

    assert set(raised.value.field_errors) == {"entries-0-valid_until"}
    assert state() == before


def test_both_a_date_and_permanent_is_refused(submitter, agency, employee, ministry):
    entry = EntryData(
        action="grant",
        kind="agency_admin",
        personal_code=employee.personal_code,
        valid_until=in_days(30),
        permanent=True,
    )

    with pytest.raises(Invalid) as raised:
        services.access_request_submit(
            actor=Actor(user=submitter), agency=agency, entries=[entry], document=asice()
        )

    assert set(raised.value.field_errors) == {"entries-0-valid_until"}


@pytest.mark.parametrize(
    ("scope", "kind"),
    [
        ("agency", "centre_admin"),  # the other scope's admin
        ("agency", "agency_staff"),  # not admin-level: the agency admin grants it themselves
        ("agency", "platform_admin"),
        ("centre", "agency_admin"),
        ("centre", "centre_specialist"),
        ("agency", "no_such_kind"),
    ],
)
def test_a_kind_that_does_not_fit_the_scope_is_refused(centre, agency, employee, ministry, scope, kind):
    user = StaffRoleFactory(kind="agency_admin", agency=agency).user
    StaffRole.objects.create(user=user, kind="centre_admin", centre=centre, permanent=True)
    where = {"agency": agency} if scope == "agency" else {"centre": centre}
    before = state()

    with pytest.raises(Invalid) as raised:
        services.access_request_submit(
            actor=Actor(user=user), entries=[grant(employee, kind=kind)], document=asice(), **where
        )

    assert set(raised.value.field_errors) == {"entries-0-kind"}
    assert state() == before


def test_revoking_a_right_the_person_does_not_hold_is_refused(submitter, agency, other_agency, ministry):
    holds_elsewhere = StaffRoleFactory(kind="agency_admin", agency=other_agency).user.person
    holds_lesser = StaffRoleFactory(kind="agency_staff", agency=agency).user.person
    held_before = StaffRoleFactory(kind="agency_admin", agency=agency, revoked_at=timezone.now()).user.person
    no_login = PersonFactory()
    before = state()

    with pytest.raises(Invalid) as raised:
        services.access_request_submit(
            actor=Actor(user=submitter),
            agency=agency,
            entries=[revoke(holds_elsewhere), revoke(holds_lesser), revoke(held_before), revoke(no_login)],
            document=asice(),
        )

    assert set(raised.value.field_errors) == {f"entries-{row}-personal_code" for row in range(4)}
    assert state() == before


def test_a_person_named_twice_for_the_same_role_is_refused(submitter, agency, employee, ministry):
    with pytest.raises(Invalid) as raised:
        services.access_request_submit(
            actor=Actor(user=submitter),
            agency=agency,
            entries=[grant(employee), grant(employee, permanent=True)],
            document=asice(),
        )

    assert set(raised.value.field_errors) == {"entries-1-personal_code"}


def test_a_request_names_between_one_and_five_employees(submitter, agency, ministry):
    with pytest.raises(Invalid) as none:
        services.access_request_submit(
            actor=Actor(user=submitter), agency=agency, entries=[], document=asice()
        )
    people = [PersonFactory() for _ in range(6)]
    with pytest.raises(Invalid) as six:
        services.access_request_submit(
            actor=Actor(user=submitter), agency=agency, entries=[grant(p) for p in people], document=asice()
        )

    assert set(none.value.field_errors) == {"__all__"}
    assert set(six.value.field_errors) == {"__all__"}
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize("who", ["admin_of_other_agency", "staff_of_other_agency", "citizen", "ministry"])
def test_a_request_for_an_agency_one_does_not_work_for_is_refused_and_audited(
    settings, agency, other_agency, employee, ministry, who
):
    user = {
        "admin_of_other_agency": lambda: StaffRoleFactory(kind="agency_admin", agency=other_agency).user,
        "staff_of_other_agency": lambda: StaffRoleFactory(kind="agency_staff", agency=other_agency).user,
        "citizen": lambda: UserFactory(),
        "ministry": lambda: ministry,
    }[who]()
    before = state()

    with pytest.raises(AccessRequestNotAllowed) as raised:
        services.access_request_submit(
            actor=Actor(user=user), agency=agency, entries=[grant(employee)], document=asice()
        )

    assert raised.value.status == 403
    assert state() == before
    assert stored_files(settings.MEDIA_ROOT) == []
    (event,) = refused_events(user)
    assert event.data["attempted"] == "access_request.submit"
    assert (event.object_type, event.object_id) == ("catalogue.agency", str(agency.pk))


def test_a_request_for_a_centre_one_does_not_work_for_is_refused(agency, centre, employee, ministry):
    other_centre_admin = StaffRoleFactory(kind="centre_admin").user

    with pytest.raises(AccessRequestNotAllowed):
        services.access_request_submit(
            actor=Actor(user=other_centre_admin),
            centre=centre,
            entries=[grant(employee, kind="centre_admin")],
            document=asice(),
        )

    assert refused_events(other_centre_admin, "access_request.submit").count() == 1
    assert not AccessRequest.objects.exists()


def test_a_request_names_exactly_one_scope(submitter, agency, centre, employee, ministry):
    StaffRole.objects.create(user=submitter, kind="centre_admin", centre=centre, permanent=True)
    for where in ({}, {"agency": agency, "centre": centre}):
        with pytest.raises(AccessRequestNotAllowed):
            services.access_request_submit(
                actor=Actor(user=submitter), entries=[grant(employee)], document=asice(), **where
            )

    assert not AccessRequest.objects.exists()


# --- approve -----------------------------------------------------------------------------------------


def test_approval_grants_the_role_until_the_midnight_after_the_date(submitted, ministry, employee, agency):
    services.access_request_approve(actor=Actor(user=ministry), request_id=submitted.pk)

    submitted.refresh_from_db()
    role = StaffRole.objects.get(user__person=employee)
    assert (role.kind, role.agency, role.centre) == ("agency_admin", agency, None)
    assert role.valid_until == next_midnight(in_days(30))
    assert timezone.localtime(role.valid_until).time() == time.min
    assert (role.permanent, role.revoked_at, role.granted_by) == (False, None, ministry)
    assert submitted.entries.get().role == role
    assert submitted.status == AccessRequestStatus.APPROVED
    assert submitted.decided_by == ministry
    assert submitted.decided_at is not None
    assert submitted.refusal_reason == ""
    assert AuditEvent.objects.filter(action="access_request.approve", actor_id=ministry.pk).count() == 1
    assert AuditEvent.objects.filter(
        action="role.grant", object_type="eaccount.staffrole", object_id=str(role.pk)
    ).exists()


def test_approval_of_a_permanent_right(submitter, agency, employee, ministry):
    request = services.access_request_submit(
        actor=Actor(user=submitter),
        agency=agency,
        entries=[grant(employee, permanent=True)],
        document=asice(),
    )

    services.access_request_approve(actor=Actor(user=ministry), request_id=request.pk)

    role = StaffRole.objects.get(user__person=employee)
    assert (role.permanent, role.valid_until) == (True, None)
    assert request.entries.get().role == role


def test_approval_for_a_centre_grants_the_centre_admin(centre, employee, ministry):
    specialist = StaffRoleFactory(kind="centre_specialist", centre=centre).user
    request = services.access_request_submit(
        actor=Actor(user=specialist),
        centre=centre,
        entries=[grant(employee, kind="centre_admin", days=10)],
        document=asice(),
    )

    services.access_request_approve(actor=Actor(user=ministry), request_id=request.pk)

    role = StaffRole.objects.get(user__person=employee)
    assert (role.kind, role.centre, role.agency) == ("centre_admin", centre, None)
    assert role.valid_until == next_midnight(in_days(10))


def test_approval_gives_a_person_without_a_login_one(submitter, agency, ministry):
    person = PersonFactory()
    request = services.access_request_submit(
        actor=Actor(user=submitter), agency=agency, entries=[grant(person)], document=asice()
    )

    services.access_request_approve(actor=Actor(user=ministry), request_id=request.pk)

    user = User.objects.get(person=person)
    assert user.username == person.personal_code
    assert not user.has_usable_password()
    assert StaffRole.objects.get(user=user).kind == "agency_admin"


def test_the_submitter_and_the_employee_are_notified_of_the_approval(
    submitted, ministry, submitter, employee
):
    services.access_request_approve(actor=Actor(user=ministry), request_id=submitted.pk)

    decided = notices("access_request_decided", submitter.person)
    assert decided.exists()
    assert {row.context["number"] for row in decided} == {submitted.number}
    assert notices("staff_role_changed", employee).exists()
    assert not notices("access_request_decided", employee).exists()


def test_approving_twice_is_refused_and_nothing_is_doubled(submitted, ministry, employee):
    services.access_request_approve(actor=Actor(user=ministry), request_id=submitted.pk)
    after_first = state()
    events = AuditEvent.objects.count()

    with pytest.raises(AccessRequestDecided) as raised:
        services.access_request_approve(actor=Actor(user=ministry), request_id=submitted.pk)

    assert raised.value.status == 409
    assert state() == after_first
    assert StaffRole.objects.filter(user__person=employee).count() == 1
    assert AuditEvent.objects.filter(action="access_request.approve").count() == 1
    assert AuditEvent.objects.filter(action="role.grant").count() == 1
    assert AuditEvent.objects.count() == events


def test_a_second_platform_admin_cannot_approve_a_decided_request_either(submitted, ministry):
    services.access_request_approve(actor=Actor(user=ministry), request_id=submitted.pk)
    another = StaffRoleFactory(kind="platform_admin").user

    with pytest.raises(AccessRequestDecided):
        services.access_request_approve(actor=Actor(user=another), request_id=submitted.pk)
    with pytest.raises(AccessRequestDecided):
        services.access_request_refuse(actor=Actor(user=another), request_id=submitted.pk, reason="Par vēlu")

    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_by) == (AccessRequestStatus.APPROVED, ministry)


def test_a_platform_admin_cannot_approve_their_own_request(agency, employee):
    both = StaffRoleFactory(kind="platform_admin").user
    StaffRole.objects.create(user=both, kind="agency_admin", agency=agency, permanent=True)
    request = services.access_request_submit(
        actor=Actor(user=both), agency=agency, entries=[grant(employee)], document=asice()
    )
    before = state()

    with pytest.raises(AccessRequestDecisionNotAllowed) as raised:
        services.access_request_approve(actor=Actor(user=both), request_id=request.pk)

    assert raised.value.status == 403
    assert state() == before


def test_a_platform_admin_named_in_the_request_cannot_approve_it(submitter, agency, employee):
    named = StaffRoleFactory(kind="platform_admin").user
    request = services.access_request_submit(
        actor=Actor(user=submitter),
        agency=agency,
        entries=[grant(employee), grant(named.person, permanent=True)],
        document=asice(),
    )
    before = state()

    with pytest.raises(AccessRequestDecisionNotAllowed):
        services.access_request_approve(actor=Actor(user=named), request_id=request.pk)

    assert state() == before
    # another platform admin may
    services.access_request_approve(
        actor=Actor(user=StaffRoleFactory(kind="platform_admin").user), request_id=request.pk
    )
    assert StaffRole.objects.filter(user=named, kind="agency_admin", agency=agency).count() == 1


@pytest.mark.parametrize(
    "who", ["submitter", "other_agency_admin", "staff", "citizen", "former_platform_admin", "inactive_admin"]
)
def test_only_a_platform_admin_approves(submitted, submitter, other_agency, agency, employee, who):
    user = {
        "submitter": lambda: submitter,
        "other_agency_admin": lambda: StaffRoleFactory(kind="agency_admin", agency=other_agency).user,
        "staff": lambda: StaffRoleFactory(kind="agency_staff", agency=agency).user,
        "citizen": lambda: UserFactory(),
        "former_platform_admin": lambda: (
            StaffRoleFactory(
                kind="platform_admin",
                valid_from=timezone.now() - timedelta(days=60),
                valid_until=timezone.now() - timedelta(days=1),
            ).user
        ),
        "inactive_admin": lambda: (
            StaffRoleFactory(kind="platform_admin", user=UserFactory(is_active=False)).user
        ),
    }[who]()
    before = state()

    with pytest.raises(AccessRequestDecisionNotAllowed) as raised:
        services.access_request_approve(actor=Actor(user=user), request_id=submitted.pk)

    assert raised.value.status == 403
    assert state() == before


def test_a_request_that_does_not_exist_is_not_found(ministry):
    with pytest.raises(NotFound):
        services.access_request_approve(actor=Actor(user=ministry), request_id=987654)
    with pytest.raises(NotFound):
        services.access_request_refuse(actor=Actor(user=ministry), request_id=987654, reason="Nav")


def test_a_revoke_entry_revokes_the_current_role(submitter, agency, ministry):
    held = StaffRoleFactory(kind="agency_admin", agency=agency)
    holder = held.user.person
    request = services.access_request_submit(
        actor=Actor(user=submitter), agency=agency, entries=[revoke(holder)], document=asice()
    )

    services.access_request_approve(actor=Actor(user=ministry), request_id=request.pk)

    held.refresh_from_db()
    assert held.revoked_at is not None
    assert request.entries.get().role == held
    assert not StaffRole.objects.active().filter(user__person=holder).exists()
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(held.pk)).count() == 1
    told = notices("staff_role_changed", holder)
    assert told.exists()
    assert all(row.dedupe_key.startswith("role-revoke:") for row in told)


def test_a_grant_entry_replaces_the_current_role_with_the_new_term(submitter, agency, ministry):
    old = StaffRoleFactory(kind="agency_admin", agency=agency, valid_until=timezone.now() + timedelta(days=3))
    holder = old.user.person
    request = services.access_request_submit(
        actor=Actor(user=submitter), agency=agency, entries=[grant(holder, days=365)], document=asice()
    )

    services.access_request_approve(actor=Actor(user=ministry), request_id=request.pk)

    old.refresh_from_db()
    (current,) = StaffRole.objects.active().filter(user__person=holder)
    assert old.revoked_at is not None
    assert current.pk != old.pk
    assert current.valid_until == next_midnight(in_days(365))
    assert request.entries.get().role == current


def test_approval_changes_only_the_requests_scope(submitter, agency, other_agency, ministry):
    elsewhere = StaffRoleFactory(kind="agency_admin", agency=other_agency)
    request = services.access_request_submit(
        actor=Actor(user=submitter), agency=agency, entries=[grant(elsewhere.user.person)], document=asice()
    )

    services.access_request_approve(actor=Actor(user=ministry), request_id=request.pk)

    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None
    assert StaffRole.objects.active().filter(user=elsewhere.user).count() == 2


# --- refuse ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_refusal_needs_a_reason(submitted, ministry, reason):
    before = state()

    with pytest.raises(Invalid) as raised:
        services.access_request_refuse(actor=Actor(user=ministry), request_id=submitted.pk, reason=reason)

    assert set(raised.value.field_errors) == {"reason"}
    assert state() == before


def test_refusal_closes_the_request_and_the_submitter_is_told_why(submitted, ministry, submitter, employee):
    services.access_request_refuse(
        actor=Actor(user=ministry),
        request_id=submitted.pk,
        reason="  Nav paraksttiesīgās personas paraksta  ",
    )

    submitted.refresh_from_db()
    assert submitted.status == AccessRequestStatus.REFUSED
    assert submitted.refusal_reason == "Nav paraksttiesīgās personas paraksta"
    assert submitted.decided_by == ministry
    assert submitted.decided_at is not None
    assert submitted.entries.get().role is None
    assert not StaffRole.objects.filter(user__person=employee).exists()
    told = notices("access_request_decided", submitter.person)
    assert told.exists()
    assert all("Nav paraksttiesīgās personas paraksta" in row.context["reason"] for row in told)
    assert not notices("staff_role_changed").exists()
    (event,) = AuditEvent.objects.filter(action="access_request.refuse")
    assert (event.actor_id, event.reason) == (ministry.pk, "Nav paraksttiesīgās personas paraksta")


def test_a_refused_request_cannot_be_approved_later(submitted, ministry, employee):
    services.access_request_refuse(actor=Actor(user=ministry), request_id=submitted.pk, reason="Nav pamata")

    with pytest.raises(AccessRequestDecided):
        services.access_request_approve(actor=Actor(user=ministry), request_id=submitted.pk)

    assert not StaffRole.objects.filter(user__person=employee).exists()


def test_only_a_platform_admin_refuses(submitted, submitter):
    before = state()

    with pytest.raises(AccessRequestDecisionNotAllowed):
        services.access_request_refuse(actor=Actor(user=submitter), request_id=submitted.pk, reason="Atsaucu")

    assert state() == before


@pytest.mark.parametrize("decision", ["approve", "refuse"])
@pytest.mark.parametrize("who", ["submitter", "citizen", "own_request", "named"])
def test_a_refused_decision_is_audited(submitted, submitter, agency, employee, decision, who):
    if who == "own_request":  # a platform admin who also works for the agency and submitted it
        user = StaffRoleFactory(kind="platform_admin").user
        StaffRole.objects.create(user=user, kind="agency_admin", agency=agency, permanent=True)
        request = services.access_request_submit(
            actor=Actor(user=user), agency=agency, entries=[grant(employee)], document=asice()
        )
    elif who == "named":  # a platform admin named in the request
        user = StaffRoleFactory(kind="platform_admin").user
        request = services.access_request_submit(
            actor=Actor(user=submitter), agency=agency, entries=[grant(user.person)], document=asice()
        )
    else:
        user = submitter if who == "submitter" else UserFactory()
        request = submitted

    with pytest.raises(AccessRequestDecisionNotAllowed):
        if decision == "approve":
            services.access_request_approve(actor=Actor(user=user), request_id=request.pk)
        else:
            services.access_request_refuse(actor=Actor(user=user), request_id=request.pk, reason="Nē")

    (event,) = refused_events(user)
    assert event.data["attempted"] == f"access_request.{decision}"
    assert (event.object_type, event.object_id) == ("access_rights.accessrequest", str(request.pk))
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING


# --- PostgreSQL: two platform admins decide at once ----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["approve", "refuse"])
def test_two_platform_admins_deciding_at_once_decide_once(submitter, agency, employee, second):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("select_for_update needs PostgreSQL")
    admins = [StaffRoleFactory(kind="platform_admin").user for _ in range(2)]
    request = services.access_request_submit(
        actor=Actor(user=submitter), agency=agency, entries=[grant(employee)], document=asice()
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, how):
        try:
            barrier.wait()
            if how == "approve":
                services.access_request_approve(actor=Actor(user=user), request_id=request.pk)
            else:
                services.access_request_refuse(actor=Actor(user=user), request_id=request.pk, reason="Nē")
            outcomes.append("done")
        except AccessRequestDecided:
            outcomes.append("decided")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(admins[0], "approve")),
        threading.Thread(target=decide, args=(admins[1], second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["decided", "done"]
    request.refresh_from_db()
    assert request.status in (AccessRequestStatus.APPROVED, AccessRequestStatus.REFUSED)
    granted = StaffRole.objects.filter(user__person=employee).count()
    assert granted == (1 if request.status == AccessRequestStatus.APPROVED else 0)
    decisions = AuditEvent.objects.filter(action__in=["access_request.approve", "access_request.refuse"])
    assert decisions.count() == 1
