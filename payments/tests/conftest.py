import pytest

from kernel.actors import Actor
from payments import services
from payments.constants import InvoiceKind
from requests_registry.tests.factories import AgencyFactory, CaseFactory, UserFactory

from .factories import FeeServiceFactory


@pytest.fixture
def system():
    return Actor.system("tests")


@pytest.fixture
def fee_service():
    return FeeServiceFactory(
        code="1036", agency=AgencyFactory(code="PMLP"), title_lv="Izziņa no Iedzīvotāju reģistra"
    )


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def case(fee_service, owner):
    return CaseFactory(service=fee_service, client_person=owner.person)


@pytest.fixture
def issue(system):
    def issue(case, kind=InvoiceKind.PREPAYMENT):
        return services.invoice_issue(actor=system, case=case, kind=kind)

    return issue
