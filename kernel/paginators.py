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
