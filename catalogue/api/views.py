"""The public, read-only catalogue API (and the editing calls for agency admins, same permission check)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from api_clients.api.authentication import api_actor
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


class EFormFieldOutput(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    label_lv = serializers.CharField()
    label_en = serializers.CharField()
    required = serializers.BooleanField()
    help_lv = serializers.CharField()
    help_en = serializers.CharField()
    max_length = serializers.IntegerField(required=False)
    min = serializers.CharField(required=False)
    max = serializers.CharField(required=False)
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

LIST_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Search text; Latvian endings and diacritics do not matter."
    ),
    OpenApiParameter("agency", OpenApiTypes.STR, description="Holder agency code, e.g. VSAA."),
    OpenApiParameter("life_event", OpenApiTypes.STR, description="Life event code, e.g. child_birth."),
    OpenApiParameter("channel", OpenApiTypes.STR, enum=Channel.values, description="Channel code."),
    OpenApiParameter(
        "audience", OpenApiTypes.STR, enum=Audience.values, description="person or organisation."
    ),
    OpenApiParameter(
        "category", OpenApiTypes.STR, description="Category slug (a top category includes its children)."
    ),
]


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
        parameters=LIST_PARAMETERS, summary="List and search published services", tags=["catalogue"]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _search(self, *, fuzzy: bool = False):
        params = self.request.query_params
        return selectors.service_search(
            viewer=Viewer(is_official=viewer_is_official(self.request)),
            q=(params.get("q") or "")[:10_000],
            agency=params.get("agency") or None,
            life_event=params.get("life_event") or None,
            channel=params.get("channel") or None,
            audience=params.get("audience") or None,
            category=params.get("category") or None,
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

    @extend_schema(summary="One published service with its e-form definition", tags=["catalogue"])
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
        request=ServiceUpdateInput,
        responses={
            200: inline_serializer(
                "ServiceUpdateOutput",
                {
                    "code": serializers.CharField(),
                    "state": serializers.CharField(),
                    "has_pending_changes": serializers.BooleanField(),
                },
            )
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
        request=None,
        responses={
            200: inline_serializer(
                "ServicePublishOutput",
                {"code": serializers.CharField(), "version": serializers.IntegerField()},
            )
        },
        tags=["catalogue editing"],
    )
    def post(self, request, code: str):
        service = _service_editable(request, code)
        services.service_publish(actor=api_actor(request), service=service)
        return Response({"code": service.code, "version": service.version}, status=status.HTTP_200_OK)
