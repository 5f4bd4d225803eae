"""Demo cases for the demo people (safe to run again: each case is keyed by its external reference)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from stdnum.lv import pvn

from catalogue.selectors import ServiceNotFound, service_get_published
from kernel.actors import Actor
from kernel.working_days import working_days_before

from . import services
from .constants import Basis, CaseStatus, Channel
from .models import Case, Consultation

BACK_OFFICE = "VSAA back office (demo)"
# a one-page PDF for the demo result (the result's file check reads the content, not the name)
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DEMO_CONSULTATION_TOPIC = "Kā pieteikt bērna piedzimšanas pabalstu"


def _user(people: dict, key: str):
    person = people.get(key)
    return getattr(person, "user", None) if person is not None else None


def _newborn_data() -> dict:
    """Anna's newborn (born six weeks before the demo is loaded: the e-form takes the last 12 months)."""
    born = timezone.localdate() - datetime.timedelta(days=42)
    body = f"{born:%d%m%y}2{417:03d}"
    return {
        "child_personal_code": f"{body[:6]}-{body[6:]}{pvn.calc_check_digit_pers(body)}",
        "child_birth_date": born.isoformat(),
        "iban": "LV80BANK0000435195001",
    }


@transaction.atomic
def load_demo_cases(people: dict) -> int:
    """Create the demo cases and consultations that do not exist yet; returns how many were created."""
    anna = people.get("citizen_parent")
    anna_user = _user(people, "citizen_parent")
    staff = _user(people, "vsaa_staff")
    staff_actor = Actor(user=staff, channel=Channel.AGENCY)
    created = 0

    def exists(ref: str) -> bool:
        return Case.objects.filter(external_reference=ref).exists()

    try:
        # Anna's childbirth benefit for her son, filed online, in progress with a question answered
        ref = "demo:anna-1011"
        if anna is not None and anna_user is not None and not exists(ref):
            case = services.case_submit(
                actor=Actor(user=anna_user, principal=anna, basis=Basis.SELF, channel=Channel.E_SERVICE),
                service=service_get_published(code="1011"),
                client=anna,
                data=_newborn_data(),
                external_reference=ref,
            )
            services.case_change_status(actor=Actor.system(BACK_OFFICE), case=case, to=CaseStatus.REGISTERED)
            services.case_change_status(actor=staff_actor, case=case, to=CaseStatus.IN_PROGRESS)
            services.case_request_info(
                actor=staff_actor, case=case, question="Lūdzu, norādiet, vai bērns dzīvo kopā ar Jums."
            )
            created += 1
        # a case received by post for the company of the board member
        ref = "demo:koks-1040"
        company = None
        board_member = people.get("board_member")
        if board_member is not None:
            membership = board_member.board_memberships.select_related("organisation").first()
            company = membership.organisation if membership else None
        if company is not None and not exists(ref):
            services.case_register_received(
                actor=Actor.system("UR back office (demo)", channel=Channel.POST),
                service=service_get_published(code="1040"),
                client=company,
                external_reference=ref,
                status=CaseStatus.REGISTERED,
            )
            created += 1
        # a completed case of Anna's, registered at the agency, its result in her e-account, awaiting
        # her feedback
        ref = "demo:anna-1036"
        if anna is not None and not exists(ref):
            back_office = Actor.system("PMLP back office (demo)", channel=Channel.AGENCY)
            case = services.case_register_received(
                actor=back_office,
                service=service_get_published(code="1036"),
                client=anna,
                external_reference=ref,
                status=CaseStatus.IN_PROGRESS,
            )
            services.case_attach_result(
                actor=back_office,
                case=case,
                file=SimpleUploadedFile("izzina.pdf", DEMO_PDF, content_type="application/pdf"),
                title="Izziņa",
                complete=True,
                note="Izziņa izsniegta klātienē un nosūtīta uz e-kontu.",
            )
            created += 1
        # Anna phoned the Valmiera one-stop centre before applying; she has not rated the advice yet
        specialist = _user(people, "centre_specialist")
        if (
            anna is not None
            and specialist is not None
            and not Consultation.objects.filter(client_person=anna, topic=DEMO_CONSULTATION_TOPIC).exists()
        ):
            service = service_get_published(code="1011")
            role = specialist.staff_roles.filter(centre__isnull=False).select_related("centre").first()
            services.consultation_register(
                actor=Actor(user=specialist, channel=Channel.PHONE),
                channel=Channel.PHONE,
                topic=DEMO_CONSULTATION_TOPIC,
                duration_minutes=6,
                outcome="answered",
                service=service,
                client=anna,
                agency=service.agency,
                centre=role.centre if role else None,
            )
            created += 1
        # Pēteris's application about his insurance record, brought on paper to the Valmiera centre and
        # registered there: its planned date passed three working days ago (the escalation job
        # raises it to the centre's supervisor, Inga)
        ref = "demo:late-1018"
        board_member = people.get("board_member")
        if board_member is not None and specialist is not None and not exists(ref):
            role = specialist.staff_roles.filter(centre__isnull=False).select_related("centre").first()
            case = services.case_register_received(
                actor=Actor.system("Valmieras VPVKAC (demo)", channel=Channel.POST),
                service=service_get_published(code="1018"),
                client=board_member,
                external_reference=ref,
                status=CaseStatus.IN_PROGRESS,
            )
            late = working_days_before(timezone.localdate(), 3)
            Case.objects.filter(pk=case.pk).update(
                centre=role.centre if role else None, planned_completion=late
            )
            created += 1
    except ServiceNotFound:  # the catalogue was not loaded
        pass
    return created
