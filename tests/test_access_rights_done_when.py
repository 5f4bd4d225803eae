"""Issue "access rights", done when: VSAA's authorised person (Rita) asks the ministry for admin rights
for Māris until 31.12.2027 with a signed .asice; Dace (platform admin) approves; Māris grants Edgars
the staff role for three months and revokes it; Edgars, logged in, loses access on his next request;
the register shows the whole history; both receive the expiry warnings as the clock moves.
(The browser walks the same way in tests/browser/test_access_rights.py.)"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from access_rights import selectors, services
from access_rights.tests.signed_samples import asice_bytes
from catalogue.demo import load_pilot_catalogue
from eaccount.demo import load_demo_people
from eaccount.models import Message, StaffRole
from eaccount.selectors import staff_role_facts_forget
from kernel.actors import Actor
from notifications.models import Notification
from requests_registry.tests.factories import login

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")


@pytest.fixture
def people():
    load_pilot_catalogue()
    people = load_demo_people()
    # Māris and Edgars start without rights: the story gives them theirs
    for key in ("vsaa_admin", "vsaa_staff"):
        StaffRole.objects.filter(user=people[key].user).update(revoked_at=timezone.now())
        staff_role_facts_forget(user_id=people[key].user.pk)
    return people


def test_the_access_rights_story(client, people):
    rita, maris, edgars, dace = (
        people[k].user for k in ("vsaa_authorised", "vsaa_admin", "vsaa_staff", "platform_admin")
    )
    vsaa = StaffRole.objects.get(user=rita, revoked_at__isnull=True).agency

    # Rita asks the ministry for admin rights for Māris until 31.12.2027, the request signed (.asice)
    request = services.access_request_submit(
        actor=Actor(user=rita),
        agency=vsaa,
        entries=[
            services.EntryData(
                action="grant",
                kind="agency_admin",
                personal_code=people["vsaa_admin"].personal_code,
                position="Pakalpojumu vadītājs",
                email="maris@example.lv",
                valid_until=datetime.date(2027, 12, 31),
            )
        ],
        document=SimpleUploadedFile("pieprasijums.asice", asice_bytes()),
    )
    assert Notification.objects.filter(
        topic="access_request_submitted", recipient_person=people["platform_admin"]
    ).exists()

    # Dace approves: Māris is VSAA's admin through 31.12.2027
    services.access_request_approve(actor=Actor(user=dace), request_id=request.pk)
    role = StaffRole.objects.get(user=maris, kind="agency_admin", revoked_at__isnull=True)
    assert role.valid_until == datetime.datetime(2028, 1, 1, tzinfo=RIGA)
    assert role.access_request_entries.get().request == request

    # Māris grants Edgars the staff role for three months; Edgars works
    today = timezone.localdate()
    edgars_role = services.staff_grant(
        actor=Actor(user=maris),
        personal_code=people["vsaa_staff"].personal_code,
        kind="agency_staff",
        agency=vsaa,
        valid_until=today + datetime.timedelta(days=91),
    )
    login(client, edgars)
    assert client.get(reverse("requests_registry:agency-case-list")).status_code == 200

    # the clock moves to 14 and then 3 days before Edgars's term ends: Edgars and Māris are warned, once each
    end = edgars_role.valid_until
    for days in (14, 3):
        now = end - datetime.timedelta(days=days, hours=1)
        services.staff_roles_expiry_warn(actor=Actor.system("test"), now=now)
        services.staff_roles_expiry_warn(actor=Actor.system("test"), now=now)
    for person in (people["vsaa_staff"], people["vsaa_admin"]):
        keys = Notification.objects.filter(topic="staff_role_expiring", recipient_person=person).values_list(
            "dedupe_key", flat=True
        )
        assert sorted({key.split(":")[3] for key in keys}) == ["14", "3"], person
        assert (
            Message.objects.filter(person=person, subject__contains=people["vsaa_staff"].first_name).count()
            >= 2
        )

    # and Māris's own term: he and the ministry are warned 14 days before 31.12.2027
    services.staff_roles_expiry_warn(
        actor=Actor.system("test"), now=datetime.datetime(2027, 12, 17, 12, tzinfo=RIGA)
    )
    assert Notification.objects.filter(
        topic="staff_role_expiring",
        recipient_person=people["vsaa_admin"],
        dedupe_key__contains=f"role-expiry:{role.pk}:",
    ).exists()
    assert Notification.objects.filter(
        topic="staff_role_expiring",
        recipient_person=people["platform_admin"],
        dedupe_key__contains=f"role-expiry:{role.pk}:",
    ).exists()

    # Māris revokes it: Edgars, still logged in, is refused on his next request
    services.staff_revoke(actor=Actor(user=maris), role_id=edgars_role.pk, reason="Projekts beidzies")
    assert client.get(reverse("requests_registry:agency-case-list")).status_code == 404

    # the register shows the whole history: Dace's grant to Māris on the request, Māris's grant and revocation
    scope = selectors.scope_narrowed(selectors.scope_administered(user=maris), agency_id=vsaa.pk)
    history = list(selectors.register_history(scope=scope).values_list("action", "actor_id", "object_id"))
    assert ("role.grant", dace.pk, str(role.pk)) in history
    assert ("role.grant", maris.pk, str(edgars_role.pk)) in history
    assert ("role.revoke", maris.pk, str(edgars_role.pk)) in history
    login(client, maris)
    csv_text = b"".join(
        client.get(reverse("access_rights:register"), {"format": "csv"}).streaming_content
    ).decode()
    assert people["vsaa_staff"].personal_code in csv_text and request.number in csv_text
