"""Paginators for pages: a page number from the query string never raises, and never costs a scan
past what is shown."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window
from django.utils.translation import gettext_lazy as _


class SafePaginator(Paginator):
    """get_page() clamps absurd page numbers before Django turns them into OFFSETs."""

    def validate_number(self, number):
        try:
            if isinstance(number, str) and (not number.strip().isdigit() or len(number.strip()) > 7):
                raise ValueError
            number = int(number)
        except (TypeError, ValueError, OverflowError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        return super().validate_number(number)


class CappedPaginator(SafePaginator):
    """Counts at most `cap` rows (COUNT over a LIMITed subquery), so the list of an agency with a
    million cases does not count them all on every page; beyond the cap the user narrows the filter."""

    cap = 2000

    @property
    def count(self) -> int:
        if not hasattr(self, "_capped_count"):
            self._capped_count = self.object_list.order_by()[: self.cap + 1].count()
        return min(self._capped_count, self.cap)

    @property
    def capped(self) -> bool:
        return self.count >= self.cap and self._capped_count > self.cap


class CountedPaginator(SafePaginator):
    """For a list whose total is known already (counted with other figures in one grouped query):
    a page is one LIMIT/OFFSET query, with no COUNT."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # Paginator.count is a cached_property: this is its value


class WindowCountPaginator(SafePaginator):
    """Reads the total from the page query itself (COUNT(*) OVER ()), so a search scans its
    matches once instead of twice (a COUNT query and then the page). Falls back to a COUNT
    query only for a page past the end."""

    def page(self, number):
        number = self._int(number)
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(full_count=Window(Count("pk")))[bottom : bottom + self.per_page]
        )
        if rows:
            self.__dict__["count"] = rows[0].full_count
        else:
            self.__dict__["count"] = self.object_list.count()
            if number > 1:
                raise EmptyPage(_("That page contains no results"))
        return self._get_page(rows, number, self)

    def _int(self, number) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            if isinstance(number, str) and len(number.strip()) > 7:
                raise ValueError
            number = int(number)
        except (TypeError, ValueError, OverflowError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(1, self.num_pages))


class LookaheadPage:
    """A page of a LookaheadPaginator: the rows, and whether there is a page before and after."""

    def __init__(self, rows: list, number: int, paginator: LookaheadPaginator):
        self.object_list = rows[: paginator.per_page]
        self.number = number
        self.paginator = paginator
        self._has_next = len(rows) > paginator.per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class LookaheadPaginator:
    """Pages without counting: each page fetches one row more than it shows, to know whether a
    next page exists. For long lists whose total nobody needs (an agency's million cases): "next"
    instead of "page 3 of 40,000", and no COUNT over the filter. `num_pages` is None (not known)."""

    num_pages = None
    MAX_PAGE = 9_999_999

    def __init__(self, object_list, per_page: int):
        self.object_list = object_list
        self.per_page = per_page

    def get_page(self, number) -> LookaheadPage:
        try:
            number = int(str(number).strip()) if number is not None and len(str(number).strip()) <= 7 else 1
        except ValueError:
            number = 1
        number = min(max(number, 1), self.MAX_PAGE)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:  # past the end: the first page
            return self.get_page(1)
        return LookaheadPage(rows, number, self)
