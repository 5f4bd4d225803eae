"""The case API for agencies' back-office systems (and, read-only, for a logged-in person).

Thin: validate the input, call one selector or service of the core, shape the answer.
"""

import re

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status as http
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

import catalogue.selectors as catalogue_selectors
from api_clients.api.authentication import ApiClientAuthentication, api_actor
from api_clients.api.idempotency import idempotency_parameter, idempotent_call
from api_clients.api.openapi import problem_responses
from api_clients.api.permissions import ApiClientOnly, ApiClientOrSessionReadOnly, api_client_of
from eaccount import services as eaccount_services
from kernel.errors import Invalid

from .. import selectors, services
from ..constants import CASE_NUMBER_REGEX
from ..exceptions import CaseNotFound
from .serializers import (
    CaseCreateIn,
    CaseDetailOut,
    CaseListQuery,
    CasePageOut,
    StatusChangeIn,
    case_detail_from_rows,
    case_detail_out,
    case_out,
)

_NUMBER = re.compile(CASE_NUMBER_REGEX)

PROBLEMS = {
    400: "The request does not match this schema (problem details with `errors`).",
    401: "No or an invalid API key / session.",
    403: "Authenticated, but not allowed (e.g. a person writing).",
    404: "No such case, or not one of your agency's (the same answer); or a stale cursor.",
    409: "Refused transition (`current`, `requested`), or a request with this Idempotency-Key is "
    "still in progress.",
    413: "The request body is too large.",
    422: "Well-formed but refused by a rule the schema cannot state: a check digit, a service that is "
    "not your agency's, case data too large, or an Idempotency-Key used with another request.",
}


def _problems(*codes: int) -> dict:
    return problem_responses({code: PROBLEMS[code] for code in codes})


IDEMPOTENCY_PARAMETER = idempotency_parameter()


class CasePagination(CursorPagination):
    """Oldest change first, by (updated_at, id): a changed case moves to the end, so a client that
    follows `next` links (or asks again with `updated_since`) sees every change."""

    ordering = ("updated_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


def _cases_for(request, **filters):
    client = api_client_of(request)
    if client is not None:
        return selectors.case_list_for_agency(agency_id=client.agency_id, **filters)
    return selectors.case_list_for_user(user=request.user, **filters)


def _case_for(request, number: str):
    """The case, if the caller may see it; CaseNotFound for missing, foreign and malformed alike."""
    if not isinstance(number, str) or not _NUMBER.match(number):
        raise CaseNotFound(number)
    found = list(
        selectors.case_api_lean(_cases_for(request), with_data=True).filter(number=number).order_by()[:1]
    )
    if not found:
        raise CaseNotFound(number)
    return found[0]


def _history(*, case, client_view: bool):
    """The history rows (oldest first) as dicts: one query, only the columns the API answers with."""
    rows = selectors.case_history(case=case, client_view=client_view)
    return rows.select_related(None).prefetch_related(None).values(*selectors.HISTORY_VALUES)


class CaseApiView(APIView):
    authentication_classes = [ApiClientAuthentication, SessionAuthentication]
    permission_classes = [ApiClientOrSessionReadOnly]


class CaseListView(CaseApiView):
    @extend_schema(
        operation_id="cases_list",
        summary="List cases",
        description=(
            "An API client sees the cases of its agency's services; a logged-in person the cases of "
            "everyone they may act for. Cursor pagination ordered by (updated_at, id), oldest change "
            "first: follow `next` to the end, then poll again with `updated_since`."
        ),
        parameters=[CaseListQuery],
        responses={200: CasePageOut, **_problems(400, 401, 404)},
        tags=["cases"],
    )
    def get(self, request):
        query = CaseListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = {
            "status": query.validated_data.get("status"),
            "service_code": query.validated_data.get("service"),
            "updated_since": query.validated_data.get("updated_since"),
        }
        cases = selectors.case_api_page_query(_cases_for(request, **filters))
        paginator = CasePagination()
        page = paginator.paginate_queryset(cases, request, view=self)
        if api_client_of(request) is not None:  # an agency's system read these clients' cases
            services.case_api_list_record(actor=api_actor(request), cases=page)
        return paginator.get_paginated_response([case_out(case) for case in page])

    @extend_schema(
        operation_id="cases_create",
        summary="Register a case received on another channel",
        description=(
            "So that the registry is complete: a case received at the agency, by phone, post or e-mail "
            "or at a one-stop centre. The client is found by personal code or registration number "
            "(created from the given names when new); the service must be one of your agency's. "
            "Idempotent with the Idempotency-Key header."
        ),
        request=CaseCreateIn,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: OpenApiResponse(
                CaseDetailOut, description="Created (replayed on a retry with the same key)."
            ),
            **_problems(400, 401, 403, 409, 413, 422),
        },
        tags=["cases"],
    )
    def post(self, request):
        client = api_client_of(request)
        if client is None:
            self.permission_denied(request, message=ApiClientOnly.message)
        payload = CaseCreateIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data

        def register():
            try:
                service = catalogue_selectors.service_get_published(code=data["service"])
            except ObjectDoesNotExist:
                service = None
            if service is None or service.agency_id != client.agency_id:
                raise Invalid({"service": [_("No published service of your agency has this code.")]})
            with transaction.atomic():  # a client created here goes again if the case is refused
                try:
                    party = eaccount_services.party_find_or_create(**data["client"])
                except ValidationError as error:  # a check digit, or names missing for a new client
                    raise Invalid(error.message_dict) from None
                case = services.case_register_received(
                    actor=api_actor(request, channel=data["channel"]),
                    service=service,
                    client=party,
                    external_reference=data["external_reference"],
                    data=data["data"],
                    status=data["status"],
                    note=data["note"],
                )
            case = _case_for(request, case.number)
            body = case_detail_out(case, _history(case=case, client_view=False))
            location = reverse("requests_registry_api:case-detail", kwargs={"number": case.number})
            return Response(body, status=http.HTTP_201_CREATED, headers={"Location": location})

        return idempotent_call(view=self, request=request, payload=request.data, handler=register)


class CaseDetailView(CaseApiView):
    @extend_schema(
        operation_id="cases_retrieve",
        summary="A case with its status history",
        description="A person sees only the history entries meant for the client.",
        responses={200: CaseDetailOut, **_problems(401, 404)},
        tags=["cases"],
    )
    def get(self, request, number: str):
        client = api_client_of(request)
        if client is not None:  # the hot path: two fixed SQL statements, and the audit row
            case, history = selectors.case_detail_rows_for_agency(agency_id=client.agency_id, number=number)
            services.case_api_read_record(actor=api_actor(request), case=case)
            return Response(case_detail_from_rows(case, history))
        case = _case_for(request, number)
        services.case_api_read_record(actor=api_actor(request), case=case)
        return Response(
            case_detail_out(case, _history(case=case, client_view=api_client_of(request) is None))
        )


class CaseStatusChangeView(CaseApiView):
    permission_classes = [ApiClientOnly]

    @extend_schema(
        operation_id="cases_status_changes_create",
        summary="Push a status change",
        description=(
            "Moves the case to `status` if the status pipeline allows it (else 409 with `current` and "
            "`requested`) and records who (this API client), when, the channel and the note. "
            "Requires the Idempotency-Key header (400 without it)."
        ),
        request=StatusChangeIn,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: OpenApiResponse(CaseDetailOut, description="Changed; the case with its history."),
            **_problems(400, 401, 403, 404, 409, 413, 422),
        },
        tags=["cases"],
    )
    def post(self, request, number: str):
        payload = StatusChangeIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data

        def change():
            case = _case_for(request, number)
            case = services.case_change_status(
                actor=api_actor(request, channel=data["channel"]),
                case=case,
                to=data["status"],
                note=data["note"],
                visible_to_client=data["visible_to_client"],
            )
            case = _case_for(request, case.number)
            body = case_detail_out(case, _history(case=case, client_view=False))
            return Response(body, status=http.HTTP_201_CREATED)

        return idempotent_call(view=self, request=request, payload=request.data, handler=change)
