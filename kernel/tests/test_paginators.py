"""The kernel's paginators never raise on page numbers a visitor types."""

import pytest
from django.contrib.auth.models import Group

from kernel.paginators import CappedPaginator, SafePaginator, WindowCountPaginator


@pytest.mark.django_db
@pytest.mark.parametrize("paginator_class", [SafePaginator, CappedPaginator, WindowCountPaginator])
@pytest.mark.parametrize("number", ["99999999999999999999", "0", "-1", "x", "", None, "1e3", "٣"])
def test_any_page_number_gives_a_page(paginator_class, number):
    paginator = paginator_class(Group.objects.order_by("pk"), 10)

    page = paginator.get_page(number)

    assert page.number == 1
