"""A person's current and previous personal code (Reg. 401 Annex 1 3.15): found by either, never
shared with anybody in either column — by the service, the form, the admin and the database."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from eaccount import selectors, services
from eaccount.forms import PersonForm
from eaccount.models import Person
from kernel.actors import Actor
from kernel.constants import Channel
from kernel.errors import Invalid

from .factories import PersonFactory, UserFactory, new_personal_code_for, personal_code_for

pytestmark = pytest.mark.django_db

OLD = "161175-19997"  # an old-format code
NEW = new_personal_code_for(4242)  # a new-format `32…` code
OTHER_OLD = personal_code_for(77)


def with_previous_code(current=NEW, previous=OLD, **kwargs):
    return services.person_create(
        personal_code=current,
        previous_personal_code=previous,
        first_name="Inese",
        last_name="Kalna",
        **kwargs,
    )


def test_the_previous_code_is_stored_normalised_and_gives_the_birth_date_of_an_old_code():
    person = with_previous_code(previous="16117519997")

    assert (person.personal_code, person.previous_personal_code) == (NEW, OLD)
    assert person.personal_codes == [NEW, OLD]


def test_a_person_without_a_previous_code_stores_none():
    person = services.person_create(
        personal_code=OLD, first_name="A", last_name="B", previous_personal_code=""
    )

    assert person.previous_personal_code is None


@pytest.mark.parametrize("spelling", [OLD, "16117519997", " LV 161175 19997 ", NEW, NEW.replace("-", "")])
def test_a_person_is_found_by_either_code_in_any_spelling(spelling):
    person = with_previous_code()
    PersonFactory()  # somebody else

    assert selectors.person_get_by_personal_code(personal_code=spelling) == person


@pytest.mark.parametrize(
    "given, field, message",
    [
        # the new person's previous code is somebody's current code
        ({"personal_code": NEW, "previous_personal_code": OTHER_OLD}, "previous_personal_code", "current"),
        # the new person's current code is somebody's previous code
        ({"personal_code": OLD, "previous_personal_code": None}, "personal_code", "previous"),
        # the new person's previous code is somebody's previous code too
        (
            {"personal_code": personal_code_for(78), "previous_personal_code": OLD},
            "previous_personal_code",
            "already",
        ),
        # the previous code is the person's own current one
        ({"personal_code": NEW, "previous_personal_code": NEW}, "previous_personal_code", "differ"),
    ],
)
def test_a_code_is_never_shared_across_the_two_columns(given, field, message):
    # given somebody whose current code is OTHER_OLD, and somebody whose previous code is OLD
    PersonFactory(personal_code=OTHER_OLD)
    PersonFactory(personal_code=new_personal_code_for(1), previous_personal_code=OLD)
    count = Person.objects.count()

    # when a person is created whose codes clash with theirs (or with each other)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.person_create(first_name="A", last_name="B", **given)

    # then the clash is said on the field, in words, and nobody is created
    with translation.override("en"):
        messages = refused.value.message_dict[field]
    assert any(message in text for text in messages), messages
    assert Person.objects.count() == count


def test_the_person_form_says_which_code_is_taken_in_the_page_language():
    PersonFactory(personal_code=NEW, previous_personal_code=OLD)

    with translation.override("en"):
        form = PersonForm(data={"personal_code": "16117519997", "first_name": "A", "last_name": "B"})
        errors = [str(message) for message in form.errors.get("personal_code")]

    assert errors == ["This personal code is another person's previous personal code."]


def test_the_person_form_normalises_the_previous_code_and_refuses_another_persons_current_one():
    PersonFactory(personal_code=OTHER_OLD)

    form = PersonForm(
        data={
            "personal_code": NEW,
            "previous_personal_code": OTHER_OLD.replace("-", ""),
            "first_name": "A",
            "last_name": "B",
        }
    )

    assert not form.is_valid()
    assert list(form.errors) == ["previous_personal_code"]
    assert form.cleaned_data.get("previous_personal_code") is None


def test_the_person_form_saves_a_previous_code():
    form = PersonForm(
        data={
            "personal_code": NEW,
            "previous_personal_code": "16117519997",
            "first_name": "A",
            "last_name": "B",
        }
    )

    assert form.is_valid(), form.errors
    assert form.save().previous_personal_code == OLD


def test_editing_a_person_keeps_their_own_codes_valid():
    person = PersonFactory(personal_code=NEW, previous_personal_code=OLD)

    form = PersonForm(
        instance=person,
        data={"personal_code": NEW, "previous_personal_code": OLD, "first_name": "Changed", "last_name": "B"},
    )

    assert form.is_valid(), form.errors


# --- a new code: the old one becomes the previous one ------------------------------------------------


@pytest.fixture
def actor():
    return Actor(user=UserFactory(is_superuser=True), channel=Channel.AGENCY, ip="192.0.2.10")


def test_a_new_code_makes_the_old_one_previous_and_both_find_the_person(actor):
    person = PersonFactory(personal_code=OLD)

    services.person_change_personal_code(actor=actor, person=person, personal_code=NEW.replace("-", ""))

    person.refresh_from_db()
    assert (person.personal_code, person.previous_personal_code) == (NEW, OLD)
    assert selectors.person_get_by_personal_code(personal_code=OLD) == person
    assert selectors.person_get_by_personal_code(personal_code=NEW) == person
    event = AuditEvent.objects.get(action="person.personal_code_change")
    assert event.data == {"personal_code": NEW, "previous_personal_code": OLD}
    assert event.ip_address == "192.0.2.10"


@pytest.mark.parametrize("taken_as", ["personal_code", "previous_personal_code"])
def test_a_new_code_that_is_another_persons_is_refused_and_nothing_changes(actor, taken_as):
    person = PersonFactory(personal_code=OLD)
    PersonFactory(**{"personal_code": OTHER_OLD, taken_as: NEW})

    with pytest.raises(Invalid) as refused:
        services.person_change_personal_code(actor=actor, person=person, personal_code=NEW)

    assert list(refused.value.field_errors) == ["personal_code"]
    person.refresh_from_db()
    assert (person.personal_code, person.previous_personal_code) == (OLD, None)
    assert not AuditEvent.objects.filter(action="person.personal_code_change").exists()


# --- the admin ---------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("term", [OLD, OLD.replace("-", ""), "161175"])
def test_the_admin_finds_a_person_by_the_previous_code(superuser_client, term):
    person = PersonFactory(personal_code=NEW, previous_personal_code=OLD)
    PersonFactory()

    response = superuser_client.get(reverse("admin:eaccount_person_changelist"), {"q": term})

    assert list(response.context["cl"].result_list) == [person]
    assert OLD in response.content.decode()


def test_the_admin_refuses_a_previous_code_that_is_another_persons_current_code(superuser_client):
    PersonFactory(personal_code=OTHER_OLD)

    response = superuser_client.post(
        reverse("admin:eaccount_person_add"),
        {"personal_code": NEW, "previous_personal_code": OTHER_OLD, "first_name": "A", "last_name": "B"},
    )

    assert response.status_code == 200
    assert "previous_personal_code" in response.context["adminform"].form.errors
    assert not Person.objects.filter(personal_code=NEW).exists()


# --- the database: the last word, also between concurrent transactions (PostgreSQL) ------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "first, second",
    [
        ({"personal_code": OLD}, {"personal_code": NEW, "previous_personal_code": OLD}),
        ({"personal_code": NEW, "previous_personal_code": OLD}, {"personal_code": OLD}),
    ],
)
def test_the_database_refuses_a_shared_code_past_the_orm_checks(first, second):
    Person.objects.create(first_name="A", last_name="B", **first)

    with pytest.raises(IntegrityError, match="person_codes_not_shared"), transaction.atomic():
        Person.objects.create(first_name="C", last_name="D", **second)

    assert Person.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_transactions_cannot_both_take_one_code_in_the_two_columns():
    # given one transaction that has written a person with OLD as current code and not yet committed
    written, results = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                Person.objects.create(personal_code=OLD, first_name="A", last_name="B")
                written.set()
                time.sleep(0.5)  # the second one starts meanwhile and must wait for this one
            results["first"] = "ok"
        finally:
            connections.close_all()

    def second():
        try:
            written.wait(10)
            with transaction.atomic():
                Person.objects.create(
                    personal_code=NEW, previous_personal_code=OLD, first_name="C", last_name="D"
                )
            results["second"] = "ok"
        except IntegrityError:
            results["second"] = "refused"
        finally:
            connections.close_all()

    # when another transaction writes a person with OLD as previous code at the same time
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then it waited for the first and was refused: OLD belongs to one person only
    assert results == {"first": "ok", "second": "refused"}
    assert list(Person.objects.values_list("personal_code", flat=True)) == [OLD]
