"""Visit statistics of the service pages (issue 15 item 5): the counting on the public page, the
statistics page (who sees which agency, the period form, the tables and the SVG chart), and its reads
(one query each, a fixed number for the page)."""

import re
import threading
from datetime import date, timedelta
from types import SimpleNamespace
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.charts import daily_views_bar_chart, x_label_indexes, y_ticks
from catalogue.constants import ServiceState
from catalogue.models import Agency, Service, ServicePageView
from catalogue.selectors import statistics as stats
from catalogue.services import service_page_view_count
from kernel.actors import Actor

from .factories import ServiceFactory

URL = "/services/manage/statistics/"
SVG = "{http://www.w3.org/2000/svg}"


def views_of(service):
    return {row.day: row.views for row in ServicePageView.objects.filter(service=service)}


def add_views(service, days_ago: int, views: int):
    ServicePageView.objects.create(
        service=service, day=timezone.localdate() - timedelta(days=days_ago), views=views
    )


def svg_of(body: str) -> Element:
    """The page's inline chart, parsed as XML (it fails on anything not well-formed)."""
    match = re.search(r"<svg\b.*?</svg>", body, re.S)
    assert match, "no inline <svg> in the page"
    return ElementTree.fromstring(match.group(0))


def bars(svg: Element) -> list[Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "chart-bar"]


# --- counting ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_views_of_the_public_page_count_two(client, pilot):
    service = Service.objects.get(code="1014")
    assert client.get("/services/1014/").status_code == 200
    assert client.get("/services/1014/").status_code == 200
    assert views_of(service) == {timezone.localdate(): 2}
    assert not client.cookies.get("sessionid")  # an anonymous visit leaves no session behind


@pytest.mark.django_db
def test_another_day_makes_a_new_row(pilot):
    service = Service.objects.get(code="1014")
    monday, tuesday = date(2025, 3, 3), date(2025, 3, 4)
    for day, times in ((monday, 2), (tuesday, 1)):
        for _ in range(times):
            service_page_view_count(service=service, day=day)
    assert views_of(service) == {monday: 2, tuesday: 1}


@pytest.mark.django_db
def test_a_drafts_preview_by_its_editor_is_not_counted(login, people, pilot):
    draft = ServiceFactory(agency=pilot.agencies["VSAA"], state=ServiceState.DRAFT)
    client = login(people["vsaa_admin"])
    assert client.get(f"/services/manage/{draft.code}/preview/").status_code == 200
    client.get(f"/services/{draft.code}/")  # the public page of a draft: not found, and not a visit
    assert client.get("/services/manage/1014/preview/").status_code == 200  # an editor's preview
    assert not ServicePageView.objects.exists()


@pytest.mark.django_db
def test_a_withdrawn_services_page_is_not_counted(client, pilot):
    service = ServiceFactory(agency=pilot.agencies["VSAA"], state=ServiceState.WITHDRAWN)
    assert client.get(f"/services/{service.code}/").status_code == 404
    assert not ServicePageView.objects.exists()


def _in_thread(work):
    """Run `work` on its own database connection (autocommit) and return its result."""
    result, error = {}, {}

    def run():
        try:
            result["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            error["exc"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if "exc" in error:
        raise error["exc"]
    return result.get("value")


def test_concurrent_first_views_all_count(django_db_setup, django_db_blocker):
    """Eight first views of a day at once, each on its own connection: whichever of them race for the
    row's INSERT (the loser's unique violation turns into an UPDATE), every view is counted and none
    fails. Needs real concurrent transactions: PostgreSQL only.

    Everything runs on threads' own connections (committed, then deleted), so the module's pilot
    catalogue, kept in an open transaction on the main connection, is neither seen nor waited for."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    with django_db_blocker.unblock():

        def setup():
            agency = Agency.objects.create(code="RACE-STATS", name_lv="Sacensību iestāde")
            return Service.objects.create(
                code="999901", title_lv="Sacensību pakalpojums", agency=agency, state="published", version=1
            )

        service = _in_thread(setup)
        barrier = threading.Barrier(8, timeout=10)
        errors = []

        def count():
            try:
                barrier.wait()  # all eight start together, none has found the day's row yet
                service_page_view_count(service=service)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                connections.close_all()

        try:
            threads = [threading.Thread(target=count) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert not errors
            rows = _in_thread(lambda: list(ServicePageView.objects.filter(service_id=service.pk)))
            assert [row.views for row in rows] == [8]
        finally:

            def cleanup():
                ServicePageView.objects.filter(service_id=service.pk).delete()
                Service.objects.filter(pk=service.pk).delete()
                Agency.objects.filter(code="RACE-STATS").delete()

            _in_thread(cleanup)


# --- who sees what -----------------------------------------------------------------------------------


@pytest.fixture
def two_agencies(pilot):
    """A viewed service of VSAA and one of PMLP, with hostile-looking titles."""
    vsaa = ServiceFactory(
        agency=pilot.agencies["VSAA"], title_lv="VSAA <b>lapa</b>", title_en="VSAA <b>page</b>"
    )
    pmlp = ServiceFactory(agency=pilot.agencies["PMLP"], title_lv="PMLP lapa", title_en="PMLP page")
    add_views(vsaa, 0, 3)
    add_views(vsaa, 2, 4)
    add_views(pmlp, 1, 5)
    add_views(Service.objects.get(code="1014"), 40, 9)  # outside the default 30 days
    return SimpleNamespace(vsaa=vsaa, pmlp=pmlp)


ACCESS = {"anonymous": 302, "citizen": 404, "vsaa_staff": 404, "vsaa_admin": 200, "pmlp_admin": 200}


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(ACCESS))
def test_only_agency_admins_open_the_page(login, people, who):
    assert login(people[who]).get(URL).status_code == ACCESS[who]


@pytest.mark.django_db
def test_each_admin_sees_only_their_own_agency(login, people, two_agencies):
    body = login(people["vsaa_admin"]).get(URL).content.decode()
    assert f'data-service="{two_agencies.vsaa.code}"' in body
    assert f'data-service="{two_agencies.pmlp.code}"' not in body and "PMLP page" not in body
    assert '<td data-testid="services-total">7</td>' in body  # 3 + 4 in the last 30 days; 9 is older
    assert 'name="agency"' not in body  # one agency: nothing to pick

    body = login(people["pmlp_admin"]).get(URL).content.decode()
    assert f'data-service="{two_agencies.pmlp.code}"' in body
    assert f'data-service="{two_agencies.vsaa.code}"' not in body
    assert '<td data-testid="services-total">5</td>' in body


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["PMLP", "NOSUCH", "<script>"])
def test_another_agencys_code_is_not_found(login, people, two_agencies, code):
    assert login(people["vsaa_admin"]).get(URL, {"agency": code}).status_code == 404


@pytest.mark.django_db
def test_the_platform_admin_picks_the_agency(login, people, two_agencies):
    client = login(people["platform_admin"])
    first = client.get(URL)
    assert first.status_code == 200
    body = first.content.decode()
    assert 'id="agency-form"' in body and '<option value="PMLP">' in body
    assert 'id="period-form"' not in body and "<svg" not in body

    body = client.get(URL, {"agency": "PMLP"}).content.decode()
    assert f'data-service="{two_agencies.pmlp.code}"' in body
    assert f'data-service="{two_agencies.vsaa.code}"' not in body
    assert '<input type="hidden" name="agency" value="PMLP">' in body
    assert "agency=PMLP" in body  # the per-service links keep the agency


@pytest.mark.django_db
def test_service_titles_are_escaped(login, people, two_agencies):
    body = login(people["vsaa_admin"]).get(URL).content.decode()
    assert "<b>page</b>" not in body and "<b>lapa</b>" not in body
    assert "&lt;b&gt;" in body


# --- the tables and the chart ------------------------------------------------------------------------


@pytest.mark.django_db
def test_views_per_service_and_per_day(login, people, two_agencies):
    client = login(people["vsaa_admin"])
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert [(row["service"].code, row["views"]) for row in response.context["rows"]][0] == (
        two_agencies.vsaa.code,
        7,
    )
    assert 'data-service="1014"' in body  # a public service with no views in the period: 0
    today = timezone.localdate()
    assert re.search(rf'<tr data-day="{today:%Y-%m-%d}"><th scope="row">[^<]+</th><td>3</td>', body)
    assert re.search(rf'<tr data-day="{today - timedelta(days=1):%Y-%m-%d}">.*?<td>0</td>', body)

    # one chosen service; 1014's only views are older: a period that covers them
    start = today - timedelta(days=45)
    response = client.get(
        URL, {"date_from": start.isoformat(), "date_to": today.isoformat(), "service": "1014"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["chosen"].code == "1014"
    assert '<td data-testid="days-total">9</td>' in body
    assert '<td data-testid="services-total">16</td>' in body
    assert len(bars(svg_of(body))) == 46


@pytest.mark.django_db
def test_an_empty_period_shows_no_views(login, people, two_agencies):
    client = login(people["vsaa_admin"])
    response = client.get(URL, {"date_from": "2024-01-01", "date_to": "2024-01-31"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="no-views"' in body
    assert "<svg" not in body and 'id="per-service-table"' not in body


@pytest.mark.django_db
def test_a_service_without_views_in_the_period_says_so(login, people, two_agencies):
    body = login(people["vsaa_admin"]).get(URL, {"service": "1014"}).content.decode()
    assert 'data-testid="no-views-service"' in body and "<svg" not in body
    assert 'id="per-service-table"' in body


@pytest.mark.django_db
def test_the_chart_is_well_formed_svg_with_a_bar_per_day(login, people, two_agencies):
    today = timezone.localdate()
    start = today - timedelta(days=6)
    client = login(people["vsaa_admin"])
    client.cookies["django_language"] = "en"
    body = client.get(URL, {"date_from": start.isoformat()}).content.decode()
    svg = svg_of(body)
    assert svg.get("role") == "img"
    label = svg.get("aria-label")
    assert label and "7 views" in label
    assert svg.find(f"{SVG}title").text == label
    found = bars(svg)
    assert [rect.get("data-day") for rect in found] == [
        (start + timedelta(days=n)).isoformat() for n in range(7)
    ]
    assert [int(rect.get("data-views")) for rect in found] == [0, 0, 0, 0, 4, 0, 3]
    heights = [float(rect.get("height")) for rect in found]
    assert heights[4] > heights[6] > 0 and heights[0] == 0
    assert " style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]  # CSP: no inline styles

    # the default period: 30 bars
    assert len(bars(svg_of(login(people["vsaa_admin"]).get(URL).content.decode()))) == 30


def test_the_chart_escapes_and_parses_for_any_length():
    for count in (1, 2, 7, 30, 366):
        days = [
            SimpleNamespace(day=date(2024, 1, 1) + timedelta(days=n), views=(n * 7) % 11)
            for n in range(count)
        ]
        svg = ElementTree.fromstring(str(daily_views_bar_chart(days, chart_id='x"><script>')))
        assert len(bars(svg)) == count
        assert svg.get("id") == 'x"><script>'  # escaped in the attribute, read back as text
    assert y_ticks(0) == [0, 1] and y_ticks(7) == [0, 2, 4, 6, 8] and y_ticks(1000)[-1] == 1000
    assert x_label_indexes(1) == [0] and x_label_indexes(30)[0] == 0 and x_label_indexes(30)[-1] == 29


# --- the period form ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2025-03-10", "date_to": "2025-03-01"}, "date_to"),
        ({"date_from": "2024-01-01", "date_to": "2025-01-02"}, "date_to"),  # 368 days
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_to": "1999-12-31"}, "date_to"),
        ({"date_from": "9999-12-31"}, "date_from"),  # in the future
        ({"date_from": "not a date"}, "date_from"),
        ({"service": "1030"}, "service"),  # PMLP's
        ({"service": "<script>"}, "service"),
    ],
)
def test_bad_periods_are_refused_next_to_their_field(login, people, two_agencies, params, field):
    response = login(people["vsaa_admin"]).get(URL, params)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert "<svg" not in body and "<script>" not in body


@pytest.mark.django_db
def test_a_year_is_the_longest_period(login, people, two_agencies):
    today = timezone.localdate()
    start = today - timedelta(days=365)
    response = login(people["vsaa_admin"]).get(URL, {"date_from": start.isoformat()})
    assert response.status_code == 200
    assert len(response.context["days"]) == 366


# --- reads: one query each, a fixed number for the page -----------------------------------------------


@pytest.mark.django_db
def test_each_read_is_one_query(people, two_agencies, django_assert_num_queries):
    agency = two_agencies.vsaa.agency
    actor = Actor(user=people["vsaa_admin"])
    start, end = stats.statistics_period_default()
    with django_assert_num_queries(1):
        services = stats.statistics_services(agency_id=agency.pk)
    with django_assert_num_queries(1):
        rows = stats.page_views_by_service(agency_id=agency.pk, start=start, end=end, services=services)
    with django_assert_num_queries(1):
        days = stats.page_views_by_day(agency_id=agency.pk, start=start, end=end)
    assert sum(row.views for row in rows) == sum(day.views for day in days) == 7
    assert [a.code for a in stats.statistics_agencies(actor=actor)] == ["VSAA"]
    assert stats.statistics_agencies(actor=Actor(user=people["citizen"])) == []
    assert stats.statistics_agencies(actor=Actor()) == []
    with pytest.raises(stats.StatisticsAgencyNotFound):
        stats.statistics_agency_get(actor=actor, code="PMLP")


def _page_queries(client, params=None) -> tuple[int, int]:
    """(all queries of the request, those of the statistics: agencies, services, two sums)"""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params or {}).status_code == 200
    return len(queries), sum('"catalogue_' in q["sql"] for q in queries)


@pytest.mark.django_db
def test_the_page_makes_a_fixed_number_of_queries(login, people, two_agencies):
    client = login(people["vsaa_admin"])
    _page_queries(client)  # the first request also reads what is cached for the process
    few = _page_queries(client)
    assert few[1] == 4
    for n in range(8):
        service = ServiceFactory(agency=two_agencies.vsaa.agency)
        for days_ago in range(0, 30, 3):
            add_views(service, days_ago, n + 1)
    assert _page_queries(client) == few
    assert _page_queries(client, {"service": two_agencies.vsaa.code}) == few
    start = timezone.localdate() - timedelta(days=365)
    assert _page_queries(client, {"date_from": start.isoformat()}) == few
