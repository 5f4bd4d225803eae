from types import SimpleNamespace

import pytest

from catalogue.tests.factories import AgencyFactory, ServiceCentreFactory, ServiceFactory
from eaccount.constants import StaffRoleKind
from eaccount.tests.factories import StaffRoleFactory, UserFactory
from kernel.actors import Actor

from .factories import TopicFactory


@pytest.fixture
def world(db):
    """Two agencies (VSAA, PMLP), a one-stop centre, a VSAA service, a topic, and one person of each
    role (None for anonymous)."""
    vsaa = AgencyFactory(code="VSAA", name_lv="Valsts sociālās apdrošināšanas aģentūra")
    pmlp = AgencyFactory(code="PMLP", name_lv="Pilsonības un migrācijas lietu pārvalde")
    centre = ServiceCentreFactory(code="VPVKAC-VALMIERA")
    other_centre = ServiceCentreFactory(code="VPVKAC-ROJA")
    benefit = ServiceFactory(
        code="1011", agency=vsaa, title_lv="Bērna piedzimšanas pabalsts", title_en="Childbirth benefit"
    )
    passport = ServiceFactory(code="1031", agency=pmlp, title_lv="Pases izsniegšana")
    family = TopicFactory(slug="family", name_lv="Ģimene un bērni", name_en="Family and children")

    def role(kind, **where):
        return StaffRoleFactory(kind=kind, **where).user

    users = {
        "anonymous": None,
        "citizen": UserFactory(),
        "vsaa_staff": role(StaffRoleKind.AGENCY_STAFF, agency=vsaa),
        "vsaa_admin": role(StaffRoleKind.AGENCY_ADMIN, agency=vsaa),
        "pmlp_staff": role(StaffRoleKind.AGENCY_STAFF, agency=pmlp),
        "centre_specialist": role(StaffRoleKind.CENTRE_SPECIALIST, centre=centre),
        "centre_admin": role(StaffRoleKind.CENTRE_ADMIN, centre=centre),
        "other_centre_specialist": role(StaffRoleKind.CENTRE_SPECIALIST, centre=other_centre),
        "platform_admin": role(StaffRoleKind.PLATFORM_ADMIN),
    }
    return SimpleNamespace(
        vsaa=vsaa,
        pmlp=pmlp,
        centre=centre,
        other_centre=other_centre,
        benefit=benefit,
        passport=passport,
        family=family,
        users=users,
    )


@pytest.fixture
def actor_of(world):
    def actor_of(who: str) -> Actor:
        user = world.users[who]
        return Actor(user=user) if user is not None else Actor()

    return actor_of
