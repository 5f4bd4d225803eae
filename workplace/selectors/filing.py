"""Reads of visits and authorised e-services, for the specialist who holds them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from catalogue import selectors as catalogue_selectors
from catalogue.eforms import eform_display
from eaccount.selectors import organisation_get_by_registration_number, person_get_by_personal_code
from kernel.actors import Actor
from kernel.identifiers import normalise_personal_code, normalise_registration_number

from ..exceptions import FilingNotFound, VisitNotFound
from ..models import AuthorisedFiling, Visit


def _user_id(actor: Actor):
    return getattr(actor.user_or_none, "pk", None)


def client_get_by_code(*, organisation: bool, code: str):
    """The person with this personal code (current or previous) or the organisation with this
    registration number; None for none, and for a malformed code."""
    try:
        if organisation:
            return organisation_get_by_registration_number(
                registration_number=normalise_registration_number(code.strip())
            )
        return person_get_by_personal_code(personal_code=normalise_personal_code(code.strip()))
    except ValidationError:
        return None


def visit_get_for_specialist(*, actor: Actor, pk) -> Visit:
    """The visit, for the specialist who holds it (open or ended); VisitNotFound for anyone else."""
    visit = (
        Visit.objects.select_related("client_person", "client_organisation", "centre")
        .filter(pk=pk, specialist_id=_user_id(actor))
        .first()
    )
    if visit is None:
        raise VisitNotFound()
    return visit


def visits_open_of(*, actor: Actor) -> QuerySet[Visit]:
    return (
        Visit.objects.select_related("client_person", "client_organisation")
        .filter(specialist_id=_user_id(actor), ended_at__isnull=True)
        .order_by("-started_at")
    )


def filing_get_for_specialist(*, actor: Actor, pk) -> AuthorisedFiling:
    """The filing, for the specialist who holds it; FilingNotFound for anyone else."""
    filing = (
        AuthorisedFiling.objects.select_related(
            "client_person", "service__agency", "centre", "case", "visit", "specialist__person"
        )
        .filter(pk=pk, specialist_id=_user_id(actor))
        .first()
    )
    if filing is None:
        raise FilingNotFound()
    return filing


def filings_of_visit(*, visit: Visit) -> QuerySet[AuthorisedFiling]:
    return (
        AuthorisedFiling.objects.select_related("service", "case").filter(visit=visit).order_by("-created_at")
    )


def filings_of_client(*, person, limit: int = 20) -> list[AuthorisedFiling]:
    """The authorised e-services filed for `person`, newest first (the profile lists them)."""
    return list(
        AuthorisedFiling.objects.select_related("service", "case", "centre")
        .filter(client_person=person)
        .order_by("-created_at")[:limit]
    )


def services_for_authorised_filing() -> list:
    return catalogue_selectors.services_for_authorised_filing()


def service_for_authorised_filing(*, code: str):
    """The published service with this code (the service decides whether it may be filed so, and
    refuses with the reason); None when there is none."""
    try:
        return catalogue_selectors.service_get_published(code=code)
    except catalogue_selectors.ServiceNotFound:
        return None


def filing_form_rows(*, filing: AuthorisedFiling) -> list[dict]:
    """The entered data with the e-form's labels, as filed (the case's version once filed)."""
    if filing.case_id is not None and filing.case.service_version_id is not None:
        definition = filing.case.service_version.eform
    else:
        definition = catalogue_selectors.service_version_current(service=filing.service).eform
    return eform_display(definition=definition, cleaned=filing.form_data)


def services_for_paper() -> list:
    """Every published service: a centre registers applications for any agency's service."""
    return catalogue_selectors.services_published_choices()
