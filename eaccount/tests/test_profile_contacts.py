"""The e-account page: contact details (phone checked, a new e-mail confirmed by a link), the
language of notices and the notice choices, for oneself, a minor child and a company; the refusals
of what the page does not offer (issue 11, item 5)."""

import datetime
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from eaccount import selectors, services
from eaccount.constants import NoticeKind
from eaccount.models import NoticePreference, Organisation, PendingEmail, Person
from eaccount.tests.factories import (
    BoardMembershipFactory,
    OrganisationFactory,
    ParentChildFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
    personal_code_for,
    registration_number_next,
)
from kernel.actors import Actor

pytestmark = pytest.mark.django_db

PROFILE = "/account/profile/"
CONTACTS = "/account/profile/contacts/"
LANGUAGE = "/account/profile/language/"
NOTICES = "/account/profile/notices/"
MOBILE = "+371 21234567"
MOBILE_E164 = "+37121234567"


def login(client, user, *, english=True):
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()
    if english:
        client.cookies["django_language"] = "en"
    return client


def act_for(client, party):
    kind = "person" if isinstance(party, Person) else "organisation"
    response = client.post(reverse("delegation:act-for"), {"principal": f"{kind}:{party.pk}"})
    assert response.status_code == 302


def key(party) -> str:
    return f"{party.party_kind}:{party.pk}"


def contacts(client, party, *, email, phone="", **extra):
    return client.post(CONTACTS, {"party": key(party), "email": email, "phone": phone, **extra})


def notices(client, party, **kinds):
    return client.post(NOTICES, {"party": key(party), **kinds})


def confirmation_link() -> str:
    assert mail.outbox, "no confirmation e-mail was sent"
    return re.search(r"https?://[^/\s]+(/account/profile/email/confirm/[^/\s]+/)", mail.outbox[-1].body)[1]


@pytest.fixture
def user():
    return UserFactory(person=PersonFactory(email="anna@example.lv", phone=""))


# --- phone -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [MOBILE, "21234567", "+371 2123 4567"])
def test_a_valid_phone_is_kept_in_e164_and_the_change_audited_masked(client, user, typed):
    login(client, user)

    response = contacts(client, user.person, email=user.person.email, phone=typed)

    assert response.status_code == 302 and response["Location"].endswith("#contacts")
    user.person.refresh_from_db()
    assert user.person.phone == MOBILE_E164
    event = AuditEvent.objects.get(action="contacts.phone_change")
    assert event.actor_id == user.pk and event.acting_for_id == str(user.person.pk)
    assert event.data["to"] == "+371******67" and MOBILE_E164 not in str(event.data)
    assert "+371 21 234 567" in client.get(PROFILE).content.decode()


@pytest.mark.parametrize("typed", ["123", "+371 999", "abc", "+371 2123456789012345"])
def test_an_invalid_phone_is_refused_and_nothing_changes(client, user, typed):
    login(client, user)

    response = contacts(client, user.person, email=user.person.email, phone=typed)

    assert response.status_code == 200
    assert response.context["contact_form"].errors["phone"] == ["Enter a phone number, e.g. +371 20000000."]
    user.person.refresh_from_db()
    assert user.person.phone == ""
    assert not AuditEvent.objects.filter(action__startswith="contacts.").exists()


def test_the_service_refuses_an_invalid_phone_too(user):
    from kernel.errors import Invalid

    with pytest.raises(Invalid) as refused:
        services.contacts_update(
            actor=Actor(user=user), party=user.person, email="", phone="+371 999", site_url="http://x/"
        )
    assert "phone" in refused.value.field_errors


def test_the_form_says_what_is_wrong_in_latvian_by_default(client, user):
    login(client, user, english=False)

    response = contacts(client, user.person, email="not an address", phone="123")

    page = response.content.decode()
    assert "Ievadiet derīgu e-pasta adresi." in page
    assert "Ievadiet tālruņa numuru, piemēram, +371 20000000." in page
    user.person.refresh_from_db()
    assert user.person.email == "anna@example.lv" and user.person.phone == ""


# --- e-mail: pending until its link is opened -----------------------------------------------------


def test_a_new_email_waits_until_its_link_is_opened_by_the_owner(client, user):
    login(client, user)

    response = contacts(client, user.person, email="Anna.New@Example.LV")

    assert response.status_code == 302
    user.person.refresh_from_db()
    assert user.person.email == "anna@example.lv"  # senders keep using the confirmed address
    pending = PendingEmail.objects.get(person=user.person)
    assert pending.email == "Anna.New@example.lv" and len(pending.token_hash) == 64
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Anna.New@example.lv"]
    link = confirmation_link()
    assert link.split("/")[-2] not in pending.token_hash  # only the hash is kept
    page = client.get(PROFILE).content.decode()
    assert "Anna.New@example.lv" in page and "Waiting for confirmation" in page
    request_event = AuditEvent.objects.get(action="contacts.email_change_request")
    assert request_event.data["to"] == "A***@example.lv"

    shown = client.get(link)  # a GET (a mail scanner) changes nothing
    assert shown.status_code == 200 and "Anna.New@example.lv" in shown.content.decode()
    user.person.refresh_from_db()
    assert user.person.email == "anna@example.lv"

    confirmed = client.post(link)

    assert confirmed.status_code == 302
    user.person.refresh_from_db()
    user.refresh_from_db()
    assert user.person.email == "Anna.New@example.lv" and user.email == "Anna.New@example.lv"
    assert not PendingEmail.objects.exists()
    event = AuditEvent.objects.get(action="contacts.email_confirm")
    assert event.data == {"party": key(user.person), "from": "a***@example.lv", "to": "A***@example.lv"}

    again = client.post(link)  # a link works once
    assert again.status_code == 400 and "does not work" in again.content.decode()


def test_the_mail_goes_in_the_language_of_the_request(client, user):
    login(client, user)  # English
    contacts(client, user.person, email="anna.en@example.lv")
    assert mail.outbox[0].subject == "Confirm your e-mail address for the e-account"
    assert "Anna" in mail.outbox[0].body or user.person.full_name in mail.outbox[0].body


def test_the_same_pending_address_again_sends_nothing_unless_asked_to_resend(client, user):
    login(client, user)
    contacts(client, user.person, email="new@example.lv")
    first = PendingEmail.objects.get().token_hash

    contacts(client, user.person, email="new@example.lv", phone=MOBILE)  # only the phone changed
    assert len(mail.outbox) == 1 and PendingEmail.objects.get().token_hash == first
    contacts(client, user.person, email="new@example.lv", resend="1")  # too soon after the first
    assert len(mail.outbox) == 1

    PendingEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    contacts(client, user.person, email="new@example.lv", resend="1")
    assert len(mail.outbox) == 2 and PendingEmail.objects.get().token_hash != first


def test_forged_expired_replaced_and_cancelled_links_change_nothing(client, user):
    login(client, user)
    contacts(client, user.person, email="first@example.lv")
    first_link = confirmation_link()
    contacts(client, user.person, email="second@example.lv")  # replaces the first
    second_link = confirmation_link()

    for link in (first_link, "/account/profile/email/confirm/forged-token-123/"):
        response = client.post(link)
        assert response.status_code == 400 and "Nothing was changed" in response.content.decode()

    PendingEmail.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(second_link).status_code == 400
    assert client.get(second_link).status_code == 400

    PendingEmail.objects.update(expires_at=timezone.now() + timedelta(hours=1))
    contacts(client, user.person, email="anna@example.lv")  # the confirmed one again: cancels
    assert not PendingEmail.objects.exists()
    assert client.post(second_link).status_code == 400

    user.person.refresh_from_db()
    assert user.person.email == "anna@example.lv"
    assert not AuditEvent.objects.filter(action="contacts.email_confirm").exists()


def test_another_persons_link_changes_nothing_and_the_attempt_is_audited(client, user):
    login(client, user)
    contacts(client, user.person, email="mine@example.lv")
    link = confirmation_link()
    stranger = UserFactory()
    login(client, stranger)

    assert client.get(link).status_code == 400
    response = client.post(link)

    assert response.status_code == 400
    user.person.refresh_from_db()
    assert user.person.email == "anna@example.lv" and PendingEmail.objects.filter(person=user.person).exists()
    refused = AuditEvent.objects.get(action="contacts.refused")
    assert refused.actor_id == stranger.pk and refused.data["claimed_party"] == key(user.person)


def test_an_empty_email_removes_the_address(client, user):
    login(client, user)
    contacts(client, user.person, email="")
    user.person.refresh_from_db()
    assert user.person.email == "" and AuditEvent.objects.filter(action="contacts.email_remove").exists()


# --- language ------------------------------------------------------------------------------------------


def test_preferred_language_of_a_person(client, user):
    login(client, user)
    assert selectors.notice_language(party=user.person) == "lv"

    response = client.post(LANGUAGE, {"party": key(user.person), "language": "en"})

    assert response.status_code == 302
    user.person.refresh_from_db()
    assert user.person.preferred_language == "en" and selectors.notice_language(party=user.person) == "en"
    assert client.post(LANGUAGE, {"party": key(user.person), "language": "de"}).status_code == 200
    user.person.refresh_from_db()
    assert user.person.preferred_language == "en"


# --- notice choices ------------------------------------------------------------------------------------


def test_defaults_reminders_and_proactive_offers_are_off_until_the_person_opts_in(client, user):
    person = user.person
    for kind in ("case_status", "message", "result", "payment_due"):
        assert selectors.notice_channels(party=person, kind=kind) == {"e_account", "email"}
    for kind in ("reminder", "proactive_offer"):
        assert selectors.notice_channels(party=person, kind=kind) == {"e_account"}
    login(client, user)
    page = client.get(PROFILE).content.decode()
    assert 'name="proactive_offer" value="email"' in page
    assert not re.search(r'name="proactive_offer" value="email"[^>]*checked', page)

    response = notices(
        client,
        person,
        case_status=["email"],
        message=["email"],
        result=["email"],
        payment_due=["email"],
        proactive_offer=["email"],
    )

    assert response.status_code == 302
    assert selectors.notice_channels(party=person, kind="proactive_offer") == {"e_account", "email"}
    assert selectors.notice_channels(party=person, kind="reminder") == {"e_account"}
    opt_in = AuditEvent.objects.get(action="notices.opt_in")
    assert opt_in.data["kind"] == "proactive_offer" and opt_in.data["channels"] == ["e_account", "email"]
    assert datetime.datetime.fromisoformat(opt_in.data["at"]) <= timezone.now()
    change = AuditEvent.objects.get(action="notices.change")
    assert change.data["changes"] == {
        "proactive_offer": {"from": ["e_account"], "to": ["e_account", "email"]}
    }

    notices(client, person, case_status=["email"], message=["email"], result=["email"], payment_due=["email"])
    assert selectors.notice_channels(party=person, kind="proactive_offer") == {"e_account"}
    assert AuditEvent.objects.filter(action="notices.opt_out").count() == 1


def test_the_e_account_cannot_be_switched_off(client, user):
    login(client, user)
    notices(client, user.person)  # nothing ticked: e-mail off everywhere, the e-account stays
    for kind in NoticeKind.values:
        assert selectors.notice_channels(party=user.person, kind=kind) == {"e_account"}


def test_sms_is_refused_without_a_mobile_phone(client, user):
    login(client, user)

    response = notices(client, user.person, case_status=["email", "sms"])

    assert response.status_code == 200
    assert response.context["notice_form"].errors["case_status"] == [
        "SMS notices need a mobile phone number: enter one under Contact details."
    ]
    assert not NoticePreference.objects.exists()

    Person.objects.filter(pk=user.person.pk).update(phone="+37167123456")  # a landline: no SMS
    assert notices(client, user.person, case_status=["sms"]).status_code == 200
    assert not NoticePreference.objects.exists()

    contacts(client, user.person, email=user.person.email, phone=MOBILE)
    assert notices(client, user.person, case_status=["email", "sms"]).status_code == 302
    user.person.refresh_from_db()
    assert selectors.notice_channels(party=user.person, kind="case_status") == {"e_account", "email", "sms"}


def test_email_notices_need_a_confirmed_address(client):
    user = UserFactory(person=PersonFactory(email=""))
    login(client, user)
    assert selectors.notice_channels(party=user.person, kind="case_status") == {"e_account"}
    page = client.get(PROFILE).content.decode()
    assert "E-mail is not available" in page
    assert re.search(r'name="case_status" value="email"[^>]*disabled', page)

    response = notices(client, user.person, case_status=["email"])

    assert response.status_code == 200
    assert "confirmed e-mail address" in response.context["notice_form"].errors["case_status"][0]
    contacts(client, user.person, email="pending@example.lv")  # waiting is not confirmed
    assert notices(client, user.person, case_status=["email"]).status_code == 200
    assert not NoticePreference.objects.exists()


def test_a_choice_that_cannot_be_used_now_is_kept(client, user):
    """Without a confirmed address the e-mail boxes are off and disabled; saving the SMS choice
    does not drop the e-mail wish, which comes back with a confirmed address."""
    login(client, user)
    contacts(client, user.person, email="", phone=MOBILE)  # the address removed
    notices(client, user.person, case_status=["sms"])
    user.person.refresh_from_db()
    assert selectors.notice_channels(party=user.person, kind="case_status") == {"e_account", "sms"}
    Person.objects.filter(pk=user.person.pk).update(email="back@example.lv")
    user.person.refresh_from_db()
    assert selectors.notice_channels(party=user.person, kind="case_status") == {"e_account", "email", "sms"}


# --- for whom: a company, a minor child, a delegate ------------------------------------------------


def test_a_board_member_sets_the_companys_contacts_and_notices(client, user):
    company = BoardMembershipFactory(
        person=user.person, organisation=OrganisationFactory(email="")
    ).organisation
    login(client, user)
    act_for(client, company)
    page = client.get(PROFILE)
    assert page.context["party"] == company and "language_form" not in page.context

    assert contacts(client, company, email="birojs@example.lv", phone="+371 29876543").status_code == 302
    client.post(confirmation_link())
    assert notices(client, company, case_status=["email", "sms"]).status_code == 302

    company.refresh_from_db()
    user.person.refresh_from_db()
    assert company.email == "birojs@example.lv" and company.phone == "+37129876543"
    assert user.person.email == "anna@example.lv" and user.person.phone == ""
    assert selectors.notice_channels(party=company, kind="case_status") == {"e_account", "email", "sms"}
    event = AuditEvent.objects.get(action="contacts.phone_change")
    assert event.actor_id == user.pk and event.acting_for_type == "eaccount.organisation"


def test_a_former_board_member_cannot_confirm_the_companys_address(client, user):
    membership = BoardMembershipFactory(person=user.person)
    company = membership.organisation
    login(client, user)
    act_for(client, company)
    contacts(client, company, email="birojs@example.lv")
    link = confirmation_link()
    membership.valid_until = timezone.localdate() - timedelta(days=1)
    membership.save()

    assert client.post(link).status_code == 400
    company.refresh_from_db()
    assert company.email == ""


def test_a_parent_sets_the_contacts_of_a_minor_child(client, user):
    child = ParentChildFactory(parent=user.person).child
    login(client, user)
    act_for(client, child)

    assert contacts(client, child, email=child.email, phone=MOBILE).status_code == 302
    assert client.post(LANGUAGE, {"party": key(child), "language": "en"}).status_code == 302

    child.refresh_from_db()
    assert child.phone == MOBILE_E164 and child.preferred_language == "en"


def test_a_delegate_sees_no_contacts_and_may_not_change_them(client, user):
    principal = UserFactory().person
    apps.get_model("delegation", "Delegation").objects.create(
        principal_person=principal, agent=user.person, valid_from=timezone.localdate()
    )
    login(client, user)
    act_for(client, principal)

    page = client.get(PROFILE)
    assert not page.context["contacts_editable"] and "contact_form" not in page.context
    assert "by delegation" in page.content.decode()

    response = contacts(client, principal, email="agent@example.lv", phone=MOBILE)
    assert response.status_code == 403
    assert notices(client, principal, proactive_offer=["email"]).status_code == 403

    principal.refresh_from_db()
    assert (
        principal.phone == "" and not PendingEmail.objects.exists() and not NoticePreference.objects.exists()
    )
    assert AuditEvent.objects.filter(action="contacts.refused", data__reason="delegate").count() == 2


# --- hidden POSTs: another party named in the form ----------------------------------------------------


def test_a_stranger_naming_a_company_in_the_form_changes_nothing_and_is_audited(client, user):
    company = OrganisationFactory(email="birojs@example.lv")
    login(client, user)

    responses = [
        contacts(client, company, email="evil@example.lv", phone=MOBILE),
        notices(client, company, proactive_offer=["email"]),
        client.post(LANGUAGE, {"party": f"person:{PersonFactory().pk}", "language": "en"}),
        client.post(NOTICES, {"party": "organisation:99999999999999999999", "reminder": ["email"]}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    company.refresh_from_db()
    assert company.email == "birojs@example.lv" and company.phone == ""
    assert not PendingEmail.objects.exists() and not NoticePreference.objects.exists()
    refused = AuditEvent.objects.filter(action="contacts.refused").order_by("id")
    assert [e.data["claimed_party"] for e in refused][:2] == [key(company), key(company)]
    assert all(e.actor_id == user.pk for e in refused)


def test_a_forged_acting_for_in_the_session_falls_back_to_oneself(client, user):
    company = OrganisationFactory()
    login(client, user)
    session = client.session
    session["acting_for"] = key(company)
    session.save()

    assert client.get(PROFILE).context["party"] == user.person
    assert contacts(client, company, email="", phone=MOBILE).status_code == 404
    company.refresh_from_db()
    assert company.phone == ""


def test_a_form_of_another_own_principal_is_refused_as_stale(client, user):
    company = BoardMembershipFactory(person=user.person).organisation
    login(client, user)  # acting for oneself; the form was shown in a tab acting for the company

    response = contacts(client, company, email="", phone=MOBILE)

    assert response.status_code == 403 and "Nothing was changed" in response.content.decode()
    company.refresh_from_db()
    user.person.refresh_from_db()
    assert company.phone == "" and user.person.phone == ""


def test_the_service_refuses_a_party_the_actor_may_not_edit(user):
    from eaccount.exceptions import ContactsNotFound

    company = OrganisationFactory()
    with pytest.raises(ContactsNotFound):
        services.notice_choices_set(actor=Actor(user=user), party=company, choices={"reminder": {"email"}})
    with pytest.raises(ContactsNotFound):
        services.contacts_update(actor=Actor(user=user), party=company, email="", phone="", site_url="/")
    assert not NoticePreference.objects.exists()
    assert AuditEvent.objects.filter(action="contacts.refused").count() == 2


def test_changes_need_a_login_of_substantial_assurance(client, user):
    client.force_login(user)  # no level of assurance in the session
    response = contacts(client, user.person, email="", phone=MOBILE)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    user.person.refresh_from_db()
    assert user.person.phone == ""


# --- the page's cost does not grow with what is stored ----------------------------------------------


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PROFILE).status_code == 200
    return len(captured)


def test_the_profile_page_takes_a_fixed_number_of_queries(client):
    small = UserFactory(person=PersonFactory(phone=""))
    login(client, small)
    _queries(client)  # warm the caches (roles, principals) as a second visit finds them
    few = _queries(client)

    big = UserFactory(person=PersonFactory(phone=MOBILE_E164))
    for kind in NoticeKind.values:
        NoticePreference.objects.create(person=big.person, kind=kind, email=True, sms=True)
    services.contacts_update(
        actor=Actor(user=big), party=big.person, email="new@example.lv", phone=MOBILE, site_url="http://x/"
    )
    for _ in range(3):
        StaffRoleFactory(user=big)
        ParentChildFactory(parent=big.person)
        BoardMembershipFactory(person=big.person)
    login(client, big)
    _queries(client)
    many = _queries(client)

    assert few == many
    assert many <= 8


def test_organisation_and_person_keep_phone_in_e164_through_the_admin_forms():
    from eaccount.forms import OrganisationForm, PersonForm

    form = OrganisationForm(
        data={"registration_number": registration_number_next(), "name": "SIA X", "phone": "29876543"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+37129876543"
    person_form = PersonForm(
        data={"personal_code": personal_code_for(7), "first_name": "A", "last_name": "B", "phone": "+371 999"}
    )
    assert not person_form.is_valid() and list(person_form.errors) == ["phone"]
    assert Organisation.objects.count() == 0
