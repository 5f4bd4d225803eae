"""The agency's audit log (`/services/manage/audit/`): the events about an agency's services, cases
and staff, for its admins (a platform admin picks the agency) — nothing of other agencies; filtered,
paged by a keyset, exported as CSV; actions by their translated names (every action the code base
records has one: checked over the source)."""

from __future__ import annotations

import ast
import csv
import datetime
import io
import itertools
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from api_clients.services import api_client_create
from audit import services as audit
from audit.actions import ACTION_LABELS, action_choices, action_label, object_type_label
from audit.models import AuditEvent
from catalogue import services as catalogue_services
from catalogue.models import Service
from catalogue.selectors.audit_log import AuditLogCursor, audit_log_page
from catalogue.services.snapshots import service_working_snapshot
from kernel.actors import Actor

from .factories import person_user

URL = reverse("catalogue:audit-log")
BASE_DIR = Path(__file__).resolve().parents[2]


# --- every recorded action has a translated name ----------------------------------------------------

APPS = (
    "kernel",
    "outbox",
    "audit",
    "api_clients",
    "catalogue",
    "eaccount",
    "delegation",
    "notifications",
    "knowledge_base",
    "requests_registry",
    "payments",
    "workplace",
    "access_rights",
    "portal",
)
RECORDERS = {"record", "record_reads", "record_select"}  # audit.services' functions
ADMIN_VERBS = ("add", "change", "delete")  # audit.admin_mixins.AuditedAdminMixin's events


class Unresolved(Exception):
    pass


class _Module:
    """What one source file says about names: what is assigned to them, passed as a keyword of that
    name, or given as a parameter's default — where an action given by name comes from."""

    def __init__(self, path: Path, tree: ast.Module):
        self.path = path
        self.values: dict[str, list[ast.expr]] = defaultdict(list)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._assign(target, node.value)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self._assign(node.target, node.value)
            elif isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg:
                        self.values[keyword.arg].append(keyword.value)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                positional = [*args.posonlyargs, *args.args]
                for arg, default in zip(
                    positional[len(positional) - len(args.defaults) :], args.defaults, strict=True
                ):
                    self.values[arg.arg].append(default)
                for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                    if default is not None:
                        self.values[arg.arg].append(default)

    def _assign(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.values[target.id].append(value)
        elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
            for one_target, one_value in zip(target.elts, value.elts, strict=False):
                self._assign(one_target, one_value)


def _sources():
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            parts = path.relative_to(BASE_DIR).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _class_values(trees) -> dict[str, dict[str, str]]:
    """Every class's string attributes (a TextChoices member's value: the first of its tuple)."""
    classes: dict[str, dict[str, str]] = defaultdict(dict)
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if not (isinstance(item, ast.Assign) and len(item.targets) == 1):
                    continue
                target, value = item.targets[0], item.value
                if isinstance(value, ast.Tuple) and value.elts:
                    value = value.elts[0]
                if (
                    isinstance(target, ast.Name)
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    classes[node.name][target.id] = value.value
    return classes


def _resolve(expr: ast.expr, module: _Module, classes, seen: frozenset) -> set:
    """The action codes (str) or patterns (re.Pattern, for an f-string) an expression may be."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _resolve(expr.body, module, classes, seen) | _resolve(expr.orelse, module, classes, seen)
    if isinstance(expr, ast.JoinedStr):
        pattern = "".join(
            re.escape(part.value) if isinstance(part, ast.Constant) else ".+" for part in expr.values
        )
        return {re.compile(pattern)}
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        value = classes.get(expr.value.id, {}).get(expr.attr)
        if value is None:
            raise Unresolved(f"{module.path}:{expr.lineno}: {ast.unparse(expr)}")
        return {value}
    if isinstance(expr, ast.Name):
        if expr.id in seen:
            return set()
        found: set = set()
        for value in module.values.get(expr.id, []):
            if value is not expr:
                found |= _resolve(value, module, classes, seen | {expr.id})
        if not found and not seen:
            raise Unresolved(f"{module.path}:{expr.lineno}: {ast.unparse(expr)}")
        return found
    raise Unresolved(f"{module.path}:{expr.lineno}: {ast.unparse(expr)}")


def recorded_actions() -> set:
    """Every action the code base passes to audit.services' record functions (a code, or the pattern
    of an f-string), and the Django admin's `audit_action` events."""
    sources = list(_sources())
    classes = _class_values(tree for _path, tree in sources)
    actions: set = set()
    for path, tree in sources:
        module = _Module(path, tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):  # AuditedAdminMixin's subclasses name their events
                for item in node.body:
                    if (
                        isinstance(item, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == "audit_action" for t in item.targets)
                        and isinstance(item.value, ast.Constant)
                        and item.value.value
                    ):
                        actions |= {f"{item.value.value}.{verb}" for verb in ADMIN_VERBS}
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in RECORDERS:
                continue
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            if None in keywords:
                raise Unresolved(f"{path}:{node.lineno}: an action passed in **kwargs")
            if "action" not in keywords:
                continue  # not audit's (e.g. a local function named record)
            value = keywords["action"]
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr == "_action"
            ):
                continue  # AuditedAdminMixin's own: its subclasses' audit_action above
            actions |= _resolve(value, module, classes, frozenset())
    return actions


def test_every_action_the_code_base_records_has_a_translated_name():
    # given every action string given to audit.record / record_reads / record_select in our apps
    actions = recorded_actions()
    codes = {a for a in actions if isinstance(a, str)}
    patterns = [a for a in actions if isinstance(a, re.Pattern)]
    # the scan sees through constants, choices, defaults and admin pages
    assert {
        "case.view",
        "case.status",
        "case.paid",
        "proactive_rule.create",
        "workplace.escalation",
        "invoice.overdue",
        "register.person.add",
        "catalogue.service.publish",
        "role.grant",
    } <= codes
    assert len(codes) > 100
    # then each has a name, and each f-string's codes do
    missing = sorted(code for code in codes if code not in ACTION_LABELS)
    assert not missing, f"name these actions in audit/actions.py ACTION_LABELS: {missing}"
    for pattern in patterns:
        assert any(pattern.fullmatch(code) for code in ACTION_LABELS), f"no name matches {pattern.pattern}"


def test_an_action_has_its_name_in_the_active_language_and_an_unknown_one_its_code():
    with translation.override("en"):
        assert action_label("case.view") == "Case viewed"
        assert object_type_label("requests_registry.case") == "Case"
    with translation.override("lv"):
        assert action_label("invoice.issue") not in ("", "invoice.issue", "Invoice issued")
    assert action_label("no.such_action") == "no.such_action"
    assert object_type_label("no.such") == "no.such"
    with translation.override("en"):
        labels = [label for _code, label in action_choices(["case.view", "auth.login", "role.grant"])]
    assert labels == ["Case viewed", "Logged in", "Role granted"]


# --- the log's data ---------------------------------------------------------------------------------


# the catalogue's tests import no app above the catalogue: cases and persons through the models' names
_case_serials = itertools.count(7_000_001)


def _named_user(first: str, last: str, *, role: str | None = None, agency=None):
    user = person_user(role=role, agency=agency)
    user.person.first_name, user.person.last_name = first, last
    user.person.save(update_fields=["first_name", "last_name"])
    return user


def _case(service: Service, client_person=None):
    """A submitted case of `service` (of a new client unless given)."""
    if client_person is None:
        client_person = person_user().person
    return apps.get_model("requests_registry", "Case").objects.create(
        number=f"{service.code}-{next(_case_serials):07d}",
        service=service,
        client_person=client_person,
        channel="e_service",
        planned_completion=timezone.localdate() + datetime.timedelta(days=10),
    )


def _login_high(client, user):
    """Logged in with eID (high assurance), as the staff pages want."""
    client.logout()
    client.force_login(user)
    session = client.session
    session["assurance_level"] = "high"
    session.save()
    return client


def _staff_opens(client, staff, case, *, ip: str = "127.0.0.1") -> AuditEvent:
    """`staff` opens the case's page at work (requests_registry's staff case page): its read event."""
    _login_high(client, staff)
    url = reverse("requests_registry:agency-case-detail", args=[case.number])
    assert client.get(url, REMOTE_ADDR=ip).status_code == 200
    return AuditEvent.objects.filter(action="case.view", object_id=str(case.pk)).latest("id")


def _at(monkeypatch, when: datetime.datetime):
    """Events recorded now are stamped `when` (auto_now_add reads timezone.now)."""
    monkeypatch.setattr(timezone, "now", lambda: when)


@pytest.fixture
def agencies(pilot):
    return pilot.agencies["VSAA"], pilot.agencies["PMLP"]


@pytest.fixture
def log(client, agencies, people):
    """Events of VSAA and of PMLP: a service change, a role grant and a staff member's read of a case
    each, and one event of nobody's agency."""
    vsaa, pmlp = agencies
    staff_of = {"VSAA": people["vsaa_staff"], "PMLP": person_user(role="agency_staff", agency=pmlp)}
    events = {}
    for agency, admin in ((vsaa, people["vsaa_admin"]), (pmlp, people["pmlp_admin"])):
        service = Service.objects.filter(agency=agency).order_by("code").first()
        staff = staff_of[agency.code]
        case = _case(service)
        events[agency.code] = {
            "service": audit.record(
                action="catalogue.service.update",
                actor=Actor(user=admin, ip="10.0.0.1"),
                target=service,
                data={"code": service.code},
            ),
            "role": audit.record(
                action="role.grant", actor=Actor(user=admin), target=staff.staff_roles.get()
            ),
            "read": _staff_opens(client, staff, case, ip="10.0.0.2"),
            "case": case,
            "service_code": service.code,
        }
    client.logout()
    audit.record(action="auth.login", actor=Actor(user=people["citizen"]))
    return events


def _ids(response) -> set[int]:
    return {row.id for row in response.context["page"].rows}


# --- who sees what ----------------------------------------------------------------------------------


def test_the_log_of_an_agency_holds_its_events_only(log, agencies):
    vsaa, pmlp = agencies
    vsaa_ids = set(AuditEvent.objects.filter(agency_id=vsaa.pk).values_list("id", flat=True))
    pmlp_ids = set(AuditEvent.objects.filter(agency_id=pmlp.pk).values_list("id", flat=True))
    assert len(vsaa_ids) == 3 and len(pmlp_ids) == 3  # a service change, a role grant, a case read
    assert {r.id for r in audit_log_page(agency_ids=[vsaa.pk], limit=100).rows} == vsaa_ids
    assert {r.id for r in audit_log_page(agency_ids=[pmlp.pk], limit=100).rows} == pmlp_ids
    assert audit_log_page(agency_ids=[]).rows == []


@pytest.mark.parametrize(
    ("who", "own", "other"), [("vsaa_admin", "VSAA", "PMLP"), ("pmlp_admin", "PMLP", "VSAA")]
)
def test_an_agency_admins_page_shows_their_agency_and_nothing_of_another(
    login, people, log, agencies, who, own, other
):
    by_code = {agency.code: agency for agency in agencies}
    client = login(people[who])
    response = client.get(URL)
    assert response.status_code == 200
    shown = _ids(response)
    assert shown == set(AuditEvent.objects.filter(agency_id=by_code[own].pk).values_list("id", flat=True))
    assert not shown & set(
        AuditEvent.objects.filter(agency_id=by_code[other].pk).values_list("id", flat=True)
    )
    # naming the other agency is refused, and shows nothing
    response = client.get(URL, {"agency": other})
    assert response.status_code == 400
    assert response.context["page"].rows == []
    # and so is its CSV
    response = client.get(URL, {"agency": other, "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    # its case numbers find nothing in one's own log
    other_number = log[other]["case"].number
    response = client.get(URL, {"object": other_number})
    assert response.status_code == 200
    assert response.context["page"].rows == []


def test_a_platform_admin_sees_the_agency_they_pick_only(login, people, log, agencies):
    vsaa, pmlp = agencies
    client = login(people["platform_admin"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["page"].rows == []  # they pick one first
    assert response.context["agency_chosen"] is False
    for agency in (vsaa, pmlp):
        response = client.get(URL, {"agency": agency.code})
        assert response.status_code == 200
        assert _ids(response) == set(
            AuditEvent.objects.filter(agency_id=agency.pk).values_list("id", flat=True)
        )


@pytest.mark.parametrize("who", ["vsaa_staff", "citizen"])
def test_staff_and_citizens_get_not_found(login, people, log, who):
    client = login(people[who])
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"format": "csv"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, log):
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=" in response["Location"]


# --- what a row says --------------------------------------------------------------------------------


def test_a_row_says_who_what_when_why_from_where_and_on_what(login, people, log):
    client = login(people["vsaa_admin"])
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    rows = {row.id: row for row in response.context["page"].rows}
    read = rows[log["VSAA"]["read"].pk]
    case = log["VSAA"]["case"]
    assert read.action_label == "Case viewed"
    assert read.object_text == case.number
    assert read.reason == f"case processing: {case.number}"
    assert read.ip_address == "10.0.0.2"
    service_row = rows[log["VSAA"]["service"].pk]
    assert (service_row.action_label, service_row.object_text) == (
        "Service changed",
        log["VSAA"]["service_code"],
    )
    assert service_row.actor == str(people["vsaa_admin"])
    html = response.content.decode()
    assert "Case viewed" in html and "Service changed" in html and "Role granted" in html
    table = html[html.index('data-testid="audit-log-table"') : html.index("</table>")]
    assert "case.view" not in table.replace('data-action="case.view"', "")  # names, not codes
    assert case.number in html and "10.0.0.2" in html


def test_a_hostile_label_is_escaped(login, people, agencies):
    vsaa, _pmlp = agencies
    audit.record(
        action="catalogue.service.update",
        actor=Actor(system_label="<script>alert(1)</script>"),
        agency_id=vsaa.pk,
        reason='<img src=x onerror="alert(2)">',
    )
    response = login(people["vsaa_admin"]).get(URL)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


# --- filters and pages ------------------------------------------------------------------------------


def test_filters_by_period_actor_action_and_object(login, people, log, agencies, monkeypatch):
    vsaa, _pmlp = agencies
    earlier = timezone.now() - datetime.timedelta(days=40)
    with monkeypatch.context() as patch:
        _at(patch, earlier)
        old = audit.record(action="role.revoke", actor=Actor(system_label="Vecais robots"), agency_id=vsaa.pk)
    client = login(people["vsaa_admin"])
    today = timezone.localdate()

    def shown(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.context["form"].errors
        return _ids(response)

    assert old.pk in shown()
    # period
    assert shown(date_from=earlier.date().isoformat(), date_to=earlier.date().isoformat()) == {old.pk}
    assert old.pk not in shown(date_from=(today - datetime.timedelta(days=1)).isoformat())
    assert shown(date_to=(earlier.date() - datetime.timedelta(days=1)).isoformat()) == set()
    # actor: a part of the name, any case
    assert shown(actor="VECAIS rob") == {old.pk}
    # action
    assert shown(action="case.view") == {log["VSAA"]["read"].pk}
    # object: a case number, a service code
    case = log["VSAA"]["case"]
    assert shown(object=case.number) == {log["VSAA"]["read"].pk}
    assert shown(object=log["VSAA"]["service_code"]) == {log["VSAA"]["service"].pk}
    # a period that ends before it starts is refused with the field named
    response = client.get(URL, {"date_from": today.isoformat(), "date_to": earlier.date().isoformat()})
    assert response.status_code == 400
    assert "date_to" in response.context["form"].errors


def test_pages_follow_a_keyset_newest_first_without_gaps_or_repeats(login, people, agencies):
    vsaa, _pmlp = agencies
    reads = [
        {
            "object_type": "requests_registry.case",
            "object_id": i,
            "agency_id": vsaa.pk,
            "data": {"number": f"n{i}"},
        }
        for i in range(120)
    ]
    audit.record_reads(action="case.view", actor=Actor(system_label="Robots"), reads=reads)
    client = login(people["vsaa_admin"])
    seen: list[int] = []
    query: dict = {}
    for _ in range(5):
        response = client.get(URL, query)
        assert response.status_code == 200
        page = response.context["page"]
        seen += [row.id for row in page.rows]
        if not page.has_next:
            break
        query = {"after": page.next_cursor.encode()}
        assert f"after={page.next_cursor.encode()}" in response.content.decode()
    expected = list(
        AuditEvent.objects.filter(agency_id=vsaa.pk).order_by("-at", "-id").values_list("id", flat=True)
    )
    assert seen == expected and len(seen) == 120
    # a forged page link is refused
    assert client.get(URL, {"after": "not-a-cursor"}).status_code == 400
    last = AuditEvent.objects.filter(agency_id=vsaa.pk).latest("at", "id")
    assert AuditLogCursor.decode(AuditLogCursor(at=last.at, id=last.pk).encode()) == AuditLogCursor(
        last.at, last.pk
    )
    assert AuditLogCursor.decode("1.2.3") is None and AuditLogCursor.decode("") is None


def test_the_page_reads_a_fixed_number_of_queries(login, people, agencies, django_assert_num_queries):
    vsaa, _pmlp = agencies
    client = login(people["vsaa_admin"])

    def given(n):
        audit.record_reads(
            action="case.view",
            actor=Actor(system_label="Robots"),
            reads=[
                {"object_type": "requests_registry.case", "object_id": i, "agency_id": vsaa.pk}
                for i in range(n)
            ],
        )
        client.get(URL)  # warm the session and the role facts

    given(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    expected = len(few.captured_queries)
    given(80)  # more than a page
    with django_assert_num_queries(expected):
        response = client.get(URL, {"action": "case.view", "actor": "rob", "object": "X"})
    with django_assert_num_queries(expected):
        response = client.get(URL)
    assert len(response.context["page"].rows) == 50 and response.context["page"].has_next
    # the events' query: agency_id IN (…) ordered by at, id descending (the (agency_id, at) index)
    sql = [q["sql"] for q in few.captured_queries if "audit_auditevent" in q["sql"]]
    assert len(sql) == 1
    assert '"audit_auditevent"."agency_id" IN' in sql[0]
    assert re.search(r'ORDER BY (2|"audit_auditevent"\."at") DESC, (1|"audit_auditevent"\."id") DESC', sql[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
def test_the_events_query_uses_the_agency_time_index(agencies):
    vsaa, _pmlp = agencies
    audit.record(action="role.grant", agency_id=vsaa.pk)
    events = AuditEvent.objects.filter(agency_id__in=[vsaa.pk]).order_by("-at", "-id")
    from audit.selectors import events_of_agencies

    query = events_of_agencies(agency_ids=[vsaa.pk], actor_contains="a")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for qs in (events, query):
            sql, params = qs[:51].query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "audit_agency_at_idx" in plan, plan


# --- the CSV ----------------------------------------------------------------------------------------


def test_the_csv_is_streamed_with_a_bom_and_spreadsheet_safe_cells(login, people, log, agencies):
    vsaa, _pmlp = agencies
    audit.record(
        action="catalogue.service.update",
        actor=Actor(system_label='=HYPERLINK("http://x")'),
        agency_id=vsaa.pk,
        reason="+1 Bērziņa",
    )
    client = login(people["vsaa_admin"])
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Date and time", "Who", "What"]
    data = rows[1:]
    assert len(data) == AuditEvent.objects.filter(agency_id=vsaa.pk).count()
    assert '\'=HYPERLINK("http://x")' in [row[1] for row in data]
    assert "'+1 Bērziņa" in [row[4] for row in data]
    assert "Case viewed" in [row[2] for row in data]
    assert log["VSAA"]["case"].number in [row[7] for row in data]
    assert log["PMLP"]["case"].number not in body
    # the filter applies to the CSV too
    response = client.get(URL, {"format": "csv", "action": "case.view"})
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")))
    )
    assert [row[3] for row in rows[1:]] == ["case.view"]


# --- which events are in an agency's log ------------------------------------------------------------


def test_the_agencys_services_cases_and_staff_events_carry_the_agency(client, agencies, people):
    vsaa, _pmlp = agencies
    admin = people["vsaa_admin"]
    service = Service.objects.get(code="1014")
    # a service edit (the catalogue's service)
    catalogue_services.service_update(
        actor=Actor(user=admin),
        service=service,
        data={**service_working_snapshot(service=service), "title_en": "Changed"},
    )
    edit = AuditEvent.objects.filter(action="catalogue.service.update").latest("id")
    # a staff member opens a case page
    read = _staff_opens(client, people["vsaa_staff"], _case(service))
    # the agency's admin grants a role on the access-rights page
    newcomer = person_user()
    _login_high(client, admin)
    response = client.post(
        reverse("access_rights:staff"),
        {
            "scope": f"agency:{vsaa.pk}",
            "personal_code": newcomer.person.personal_code,
            "kind": "agency_staff",
            "valid_until": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = AuditEvent.objects.filter(action="role.grant").latest("id")
    assert grant.object_id == str(newcomer.staff_roles.get().pk)
    assert (edit.agency_id, read.agency_id, grant.agency_id) == (vsaa.pk, vsaa.pk, vsaa.pk)


def test_agency_and_centre_changes_are_in_the_agencys_and_the_municipalitys_log(agencies, people, pilot):
    vsaa, _pmlp = agencies
    platform = Actor(user=people["platform_admin"])
    catalogue_services.agency_update(actor=platform, agency=vsaa, data={"phone": "+371 67000001"})
    assert AuditEvent.objects.filter(action="catalogue.agency.update").latest("id").agency_id == vsaa.pk
    riga = pilot.agencies["RIGA"]
    centre = catalogue_services.centre_create(
        actor=platform,
        data={
            "code": "RIGA-TEST",
            "name_lv": "Rīgas testa centrs",
            "name_en": "Riga test centre",
            "municipality": riga.code,
        },
    )
    assert AuditEvent.objects.filter(action="catalogue.centre.create").latest("id").agency_id == riga.pk
    catalogue_services.centre_update(actor=platform, centre=centre, data={"address": "Brīvības iela 2"})
    assert AuditEvent.objects.filter(action="catalogue.centre.update").latest("id").agency_id == riga.pk


def test_an_agency_systems_api_read_of_a_case_is_in_the_agencys_log(client, agencies):
    vsaa, _pmlp = agencies
    case = _case(Service.objects.get(code="1014"))
    key = api_client_create(agency=vsaa, name="VSAA back office").key
    url = reverse("requests_registry_api:case-detail", kwargs={"number": case.number})
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert AuditEvent.objects.filter(action="case.api_read").latest("id").agency_id == vsaa.pk


# --- done when: "Māris sees in VSAA's audit log that Edgars opened Anna's case, with the reason" ----------


def test_maris_sees_that_edgars_opened_annas_case_with_the_reason(client, agencies):
    vsaa, _pmlp = agencies
    maris = _named_user("Māris", "Liepa", role="agency_admin", agency=vsaa)
    edgars = _named_user("Edgars", "Zariņš", role="agency_staff", agency=vsaa)
    anna = _named_user("Anna", "Bērziņa").person
    case = _case(Service.objects.get(code="1014"), client_person=anna)
    # Edgars opens Anna's case at work
    _staff_opens(client, edgars, case)
    # Māris opens VSAA's audit log
    _login_high(client, maris)
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"object": case.number})
    assert response.status_code == 200
    (row,) = response.context["page"].rows
    assert (row.actor, row.action_label, row.object_text) == ("Edgars Zariņš", "Case viewed", case.number)
    assert row.acting_for == "Anna Bērziņa"
    assert row.reason == f"case processing: {case.number}"
    html = response.content.decode()
    for text in (
        "Edgars Zariņš",
        "Case viewed",
        case.number,
        "Anna Bērziņa",
        f"case processing: {case.number}",
    ):
        assert text in html
