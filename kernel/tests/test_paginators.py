"""The kernel's paginators never raise on page numbers a visitor types."""

import pytest
from django.contrib.auth.models import Group

from kernel.paginators import CappedPaginator, CountedPaginator, SafePaginator, WindowCountPaginator


@pytest.mark.django_db
@pytest.mark.parametrize("paginator_class", [SafePaginator, CappedPaginator, WindowCountPaginator])
@pytest.mark.parametrize("number", ["99999999999999999999", "0", "-1", "x", "", None, "1e3", "٣"])
def test_any_page_number_gives_a_page(paginator_class, number):
    paginator = paginator_class(Group.objects.order_by("pk"), 10)

    page = paginator.get_page(number)

    assert page.number == 1


@pytest.mark.django_db
@pytest.mark.parametrize("number, shown", [("2", 2), ("99999999999999999999", 1), ("x", 1), ("7", 3)])
def test_a_counted_paginator_takes_the_total_it_is_given(number, shown, django_assert_num_queries):
    for n in range(25):
        Group.objects.create(name=f"g{n}")
    paginator = CountedPaginator(Group.objects.order_by("pk"), 10, count=25)

    with django_assert_num_queries(1):  # the page's rows: no COUNT
        page = paginator.get_page(number)
        rows = list(page.object_list)

    assert (page.number, paginator.num_pages) == (shown, 3)
    assert len(rows) == (5 if shown == 3 else 10)
