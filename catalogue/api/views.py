"""The public, read-only catalogue API (and the editing calls for agency admins, same permission check)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from api_clients.api.authentication import api_actor
from api_clients.api.openapi import StrictQuery, problem_responses
from catalogue import selectors, services
from catalogue.constants import Audience
from catalogue.models import Service
from catalogue.selectors import Viewer
from catalogue.selectors.editing import service_get_editable
from catalogue.viewer import viewer_is_official
from kernel.constants import Channel
from kernel.paginators import WindowCountPaginator

# --- output -------------------------------------------------------------------------------------


class AgencyOutput(serializers.Serializer):
    code = serializers.CharField()
    name_lv = serializers.CharField()
    name_en = serializers.CharField()


class ServiceListOutput(serializers.Serializer):
    code = serializers.CharField()
    title_lv = serializers.CharField()
    title_en = serializers.CharField()
    agency = AgencyOutput()
    audience = serializers.ChoiceField(choices=Audience.choices)
    fee_eur = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    payment_mode = serializers.CharField()
    processing_days = serializers.IntegerField()
    channels = serializers.SerializerMethodField()
    is_e_service = serializers.BooleanField()
    version = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_channels(self, obj) -> list[str]:
        return [sc.channel.code for sc in obj.service_channels.all()]

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CentreOutput(serializers.Serializer):
    code = serializers.CharField()
    name_lv = serializers.CharField()
    name_en = serializers.CharField()
    address = serializers.CharField()


class ChannelOutput(serializers.Serializer):
    code = serializers.CharField(source="channel.code")
    name_lv = serializers.CharField(source="channel.name_lv")
    name_en = serializers.CharField(source="channel.name_en")
    instructions_lv = serializers.CharField()
    instructions_en = serializers.CharField()
    centres = CentreOutput(many=True, source="centres.all")


class ChoiceOutput(serializers.Serializer):
    value = serializers.CharField()
    label_lv = serializers.CharField()
    label_en = serializers.CharField(required=False)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "description": "number field: the limit"},
            {"type": "string", "description": "number field: a decimal as text; date field: YYYY-MM-DD"},
        ]
    }
)
class EFormLimitOutput(serializers.Field):
    """A number field's limit is a number (or a decimal as text); a date field's, an ISO date."""

    def to_representation(self, value):
        return value


class EFormFieldOutput(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    label_lv = serializers.CharField()
    label_en = serializers.CharField()
    required = serializers.BooleanField()
    help_lv = serializers.CharField()
    help_en = serializers.CharField()
    max_length = serializers.IntegerField(required=False)
    min = EFormLimitOutput(required=False)
    max = EFormLimitOutput(required=False)
    choices = ChoiceOutput(many=True, required=False)
    allowed_extensions = serializers.ListField(child=serializers.CharField(), required=False)
    max_size_kb = serializers.IntegerField(required=False)
    not_in_future = serializers.BooleanField(required=False, help_text="date: today or earlier")
    not_in_past = serializers.BooleanField(required=False, help_text="date: today or later")
    max_months_ago = serializers.IntegerField(required=False, help_text="date: at most so many months ago")
    max_months_ahead = serializers.IntegerField(
        required=False, help_text="date: at most so many months from today"
    )
    subject = serializers.CharField(
        required=False,
        help_text="personal_code, date: whom the field is about; one subject's code and date of birth agree",
    )
    case_subject = serializers.BooleanField(
        required=False, help_text="personal_code: the person the case is about (one per form)"
    )


class LegalActOutput(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()


class ServiceDetailOutput(ServiceListOutput):
    description_lv = serializers.CharField()
    description_en = serializers.CharField()
    category = serializers.SerializerMethodField()
    authorised_filing_allowed = serializers.BooleanField()
    delegable = serializers.BooleanField()
    one_open_case_per_subject = serializers.BooleanField()
    minor_may_be_client = serializers.BooleanField()
    internal = serializers.BooleanField()
    municipality_specific = serializers.BooleanField()
    facets = serializers.SerializerMethodField()
    life_events = serializers.SerializerMethodField()
    legal_basis = LegalActOutput(many=True)
    channels = ChannelOutput(many=True, source="service_channels.all")
    eform = serializers.SerializerMethodField()

    def get_category(self, obj) -> str | None:
        return obj.category.slug if obj.category_id else None

    def get_facets(self, obj) -> dict[str, dict]:
        return {
            name: {"available": getattr(obj, f"facet_{name}"), "note": getattr(obj, f"facet_{name}_note")}
            for name in ("multichannel", "territorial", "all_groups", "cross_border")
        }

    def get_life_events(self, obj) -> list[str]:
        return [e.code for e in obj.life_events.all()]

    @extend_schema_field(EFormFieldOutput(many=True))
    def get_eform(self, obj) -> list[dict]:
        return obj.eform


# --- views ---------------------------------------------------------------------------------------


class ServiceListQuery(StrictQuery):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Search text; Latvian endings and diacritics do not matter.",
    )
    agency = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="Holder agency code, e.g. VSAA."
    )
    life_event = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="Life event code, e.g. child_birth."
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, help_text="Channel code.")
    audience = serializers.ChoiceField(
        choices=Audience.choices, required=False, help_text="person or organisation."
    )
    category = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Category slug (a top category includes its children).",
    )
    page = serializers.IntegerField(required=False, min_value=1, help_text="From 1.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, help_text="Default 20.")


READ_PROBLEMS = problem_responses(
    {
        400: "A query parameter does not match this schema (problem details with `errors`).",
        404: "No such published service, or a page past the last one.",
    }
)
WRITE_PROBLEMS = problem_responses(
    {
        400: "The body does not match this schema, or the e-form definition is not valid.",
        403: "Not logged in, no CSRF token, or not an agency admin of this service's agency.",
        404: "No such service, or another agency's (the same answer).",
    }
)
WRITE_AUTH = (
    " Editing needs the session of an agency admin of the service's agency (or a platform admin), "
    "logged in through the portal, and Django's CSRF token in the `X-CSRFToken` header; API keys of "
    "back-office systems cannot edit the catalogue."
)


class CataloguePagination(PageNumberPagination):
    django_paginator_class = WindowCountPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ServiceListApi(ListAPIView):
    """Published services: every public one, internal ones too for a logged-in official."""

    pagination_class = CataloguePagination
    permission_classes = [AllowAny]
    authentication_classes = [SessionAuthentication]
    serializer_class = ServiceListOutput

    @extend_schema(
        parameters=[ServiceListQuery],
        responses={200: ServiceListOutput(many=True), **READ_PROBLEMS},
        summary="List and search published services",
        tags=["catalogue"],
    )
    def get(self, request, *args, **kwargs):
        query = ServiceListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.query = query.validated_data
        return super().get(request, *args, **kwargs)

    def _search(self, *, fuzzy: bool = False):
        query = self.query
        return selectors.service_search(
            viewer=Viewer(is_official=viewer_is_official(self.request)),
            q=query.get("q") or "",
            agency=query.get("agency") or None,
            life_event=query.get("life_event") or None,
            channel=query.get("channel") or None,
            audience=query.get("audience") or None,
            category=query.get("category") or None,
            fuzzy=fuzzy,
        )

    def get_queryset(self):
        return self._search()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        if selectors.search_wants_fuzzy(
            q=request.query_params.get("q"), count=self.paginator.page.paginator.count
        ):
            page = self.paginate_queryset(self._search(fuzzy=True))  # nothing found: a typo?
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ServiceUpdateInput(serializers.Serializer):
    """Fields an editor may change; anything left out keeps its current (working) value."""

    title_lv = serializers.CharField(required=False, max_length=400)
    title_en = serializers.CharField(required=False, allow_blank=True, max_length=400)
    description_lv = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    processing_days = serializers.IntegerField(required=False, min_value=0, max_value=3650)
    fee_eur = serializers.DecimalField(
        required=False, allow_null=True, max_digits=9, decimal_places=2, min_value=0
    )
    payment_mode = serializers.CharField(required=False)
    eform = serializers.JSONField(required=False)


def _service_editable(request, code: str) -> Service:
    """The service the caller may edit, or 404 alike for a missing code and another agency's service
    (as the editing pages answer): probing codes tells nothing."""
    try:
        return service_get_editable(user=request.user, code=code)
    except selectors.ServiceNotFound:
        raise Http404 from None


class ServiceDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    authentication_classes = [SessionAuthentication]
    serializer_class = ServiceDetailOutput

    def _editable(self, request, code: str) -> Service:
        if not request.user.is_authenticated:
            raise PermissionDenied()
        return _service_editable(request, code)

    @extend_schema(
        summary="One published service with its e-form definition",
        responses={200: ServiceDetailOutput, **READ_PROBLEMS},
        tags=["catalogue"],
    )
    def get(self, request, code: str):
        try:
            service = selectors.service_get_visible(
                code=code, viewer=Viewer(is_official=viewer_is_official(request))
            )
        except selectors.ServiceNotFound:
            raise Http404 from None
        service = selectors.service_with_details(service=service)
        return Response(ServiceDetailOutput(service, context={"request": request}).data)

    @extend_schema(
        summary="Change a service (agency admins of its agency, platform admins); saved as unpublished changes",
        description="Saved as the service's working copy; the public sees it once published." + WRITE_AUTH,
        request=ServiceUpdateInput,
        responses={
            **WRITE_PROBLEMS,
            200: inline_serializer(
                "ServiceUpdateOutput",
                {
                    "code": serializers.CharField(),
                    "state": serializers.CharField(),
                    "has_pending_changes": serializers.BooleanField(),
                },
            ),
        },
        tags=["catalogue editing"],
    )
    def patch(self, request, code: str):
        service = self._editable(request, code)
        data = ServiceUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        working = services.service_working_snapshot(service=service)
        changes = dict(data.validated_data)
        if "fee_eur" in changes:
            changes["fee_eur"] = None if changes["fee_eur"] is None else str(changes["fee_eur"])
        working.update(changes)
        service = services.service_update(actor=api_actor(request), service=service, data=working)
        return Response(
            {"code": service.code, "state": service.state, "has_pending_changes": service.pending is not None}
        )


class ServicePublishApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    authentication_classes = [SessionAuthentication]
    serializer_class = None

    @extend_schema(
        summary="Publish a service's changes as a new version",
        description="The working copy becomes the published version." + WRITE_AUTH,
        request=None,
        responses={
            **WRITE_PROBLEMS,
            200: inline_serializer(
                "ServicePublishOutput",
                {"code": serializers.CharField(), "version": serializers.IntegerField()},
            ),
        },
        tags=["catalogue editing"],
    )
    def post(self, request, code: str):
        service = _service_editable(request, code)
        services.service_publish(actor=api_actor(request), service=service)
        return Response({"code": service.code, "version": service.version}, status=status.HTTP_200_OK)
