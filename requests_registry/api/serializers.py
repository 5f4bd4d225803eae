"""Input and output shapes of the case API (kept lean: plain fields, no nested model serializers)."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from api_clients.api.openapi import StrictQuery
from kernel.errors import Invalid

from ..constants import CASE_NUMBER_REGEX, CaseStatus, Channel

SERVICE_CODE_PATTERN = r"^[0-9]{4,6}$"
PERSONAL_CODE_PATTERN = r"^[0-3][0-9]{5}-?[0-9]{5}$"
REGISTRATION_NUMBER_PATTERN = r"^[4-9][0-9]{10}$"
RECEIVED_STATUS_VALUES = (CaseStatus.SUBMITTED, CaseStatus.REGISTERED)
DATA_MAX_BYTES = 64 * 1024

# --- output ------------------------------------------------------------------------------------------


class ClientOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=["person", "organisation"])
    identifier = serializers.CharField(help_text="Personal code (DDMMYY-NNNNN) or registration number.")
    name = serializers.CharField()


class StatusChangeOut(serializers.Serializer):
    seq = serializers.IntegerField()
    from_status = serializers.CharField(help_text="Empty for the first entry (the submission).")
    to_status = serializers.ChoiceField(choices=CaseStatus.choices)
    at = serializers.DateTimeField()
    by = serializers.CharField(help_text="The person or system that made the change.")
    channel = serializers.CharField()
    note = serializers.CharField()
    visible_to_client = serializers.BooleanField()


class CaseOut(serializers.Serializer):
    number = serializers.RegexField(CASE_NUMBER_REGEX, help_text="Service code and sequence: 1011-0000042.")
    service = serializers.CharField(help_text="Service code.")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    basis = serializers.CharField()
    client = ClientOut()
    external_reference = serializers.CharField()
    planned_completion = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class CaseDetailOut(CaseOut):
    data = serializers.JSONField(help_text="The data given with the case (the e-form's fields).")
    history = StatusChangeOut(many=True, help_text="Status history, oldest first.")


class CasePageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page (a cursor link), or null.")
    previous = serializers.URLField(allow_null=True)
    results = CaseOut(many=True)


# Plain functions do the work (DRF's field machinery costs a lot per object on hot paths); the
# serializers above describe the same shapes in the OpenAPI schema and the tests check they agree.


def _dt(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def client_out(case) -> dict:
    if case.client_person_id:
        person = case.client_person
        return {"type": "person", "identifier": person.personal_code, "name": person.full_name}
    organisation = case.client_organisation
    return {"type": "organisation", "identifier": organisation.registration_number, "name": organisation.name}


def case_out(case) -> dict:
    return {
        "number": case.number,
        "service": case.service.code,
        "status": case.status,
        "channel": case.channel,
        "basis": case.basis,
        "client": client_out(case),
        "external_reference": case.external_reference,
        "planned_completion": case.planned_completion.isoformat() if case.planned_completion else None,
        "created_at": _dt(case.created_at),
        "updated_at": _dt(case.updated_at),
        "completed_at": _dt(case.completed_at),
    }


def status_change_out(row: dict) -> dict:
    """One history row, from `.values(*HISTORY_VALUES)`."""
    if row["system_label"]:
        by = row["system_label"]
    elif row["actor__person__first_name"] is not None:
        by = f"{row['actor__person__first_name']} {row['actor__person__last_name']}"
    else:
        by = row["actor__username"] or ""
    return {
        "seq": row["seq"],
        "from_status": row["from_status"],
        "to_status": row["to_status"],
        "at": _dt(row["at"]),
        "by": by,
        "channel": row["channel"],
        "note": row["note"],
        "visible_to_client": row["visible_to_client"],
    }


def case_detail_from_rows(first: dict, rows: list[dict]) -> dict:
    """The same answer as case_detail_out, from selectors.case_detail_rows_for_agency."""
    if first["case__client_person_id"] is not None:
        client = {
            "type": "person",
            "identifier": first["case__client_person__personal_code"],
            "name": f"{first['case__client_person__first_name']} {first['case__client_person__last_name']}",
        }
    else:
        client = {
            "type": "organisation",
            "identifier": first["case__client_organisation__registration_number"],
            "name": first["case__client_organisation__name"],
        }
    planned = first["case__planned_completion"]
    return {
        "number": first["case__number"],
        "service": first["case__service__code"],
        "status": first["case__status"],
        "channel": first["case__channel"],
        "basis": first["case__basis"],
        "client": client,
        "external_reference": first["case__external_reference"],
        "planned_completion": planned.isoformat() if planned else None,
        "created_at": _dt(first["case__created_at"]),
        "updated_at": _dt(first["case__updated_at"]),
        "completed_at": _dt(first["case__completed_at"]),
        "data": first["case__data"],
        "history": [status_change_out(row) for row in rows],
    }


def case_detail_out(case, history) -> dict:
    body = case_out(case)
    body["data"] = case.data
    body["history"] = [status_change_out(change) for change in history]
    return body


# --- input -------------------------------------------------------------------------------------------


class CaseListQuery(StrictQuery):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    service = serializers.RegexField(
        SERVICE_CODE_PATTERN, required=False, help_text="Service code, e.g. 1011."
    )
    updated_since = serializers.DateTimeField(
        required=False, help_text="Only cases changed at or after this time (ISO 8601, with a time zone)."
    )
    cursor = serializers.CharField(
        required=False, max_length=500, trim_whitespace=False, help_text="From a `next`/`previous` link."
    )
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, help_text="Default 50.")


class PersonClientIn(serializers.Serializer):
    personal_code = serializers.RegexField(
        PERSONAL_CODE_PATTERN, help_text="DDMMYY-NNNNN (the check digit is checked: 422 if wrong)."
    )
    first_name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Needed when the person is new."
    )
    last_name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Needed when the person is new."
    )


class OrganisationClientIn(serializers.Serializer):
    registration_number = serializers.RegexField(
        REGISTRATION_NUMBER_PATTERN, help_text="11 digits (the check digit is checked: 422 if wrong)."
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Needed when the organisation is new."
    )


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="ClientIn",
        serializers=[PersonClientIn, OrganisationClientIn],
        resource_type_field_name=None,
    )
)
class ClientIn(serializers.Field):
    """A person (by personal code) or an organisation (by registration number), never both."""

    default_error_messages = {
        "either": _("Give either personal_code (a person) or registration_number (an organisation)."),
        "not_an_object": _("Expected an object."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("not_an_object")
        if ("personal_code" in data) == ("registration_number" in data):
            self.fail("either")
        shape = PersonClientIn if "personal_code" in data else OrganisationClientIn
        serializer = shape(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def to_representation(self, value):
        return value


RECEIVED_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.E_SERVICE]
RECEIVED_STATUSES = [(value, label) for value, label in CaseStatus.choices if value in RECEIVED_STATUS_VALUES]


class CaseCreateIn(serializers.Serializer):
    service = serializers.RegexField(SERVICE_CODE_PATTERN, help_text="A service of your agency, e.g. 1011.")
    client = ClientIn(help_text="The client: found by personal code or registration number, created if new.")
    channel = serializers.ChoiceField(
        choices=RECEIVED_CHANNELS,
        help_text="Where the case was received (any channel but e_service: e-service cases are filed "
        "by the client online).",
    )
    status = serializers.ChoiceField(
        choices=RECEIVED_STATUSES,
        default=CaseStatus.REGISTERED,
        help_text="The status it is registered in: submitted or registered (default).",
    )
    external_reference = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    data = serializers.DictField(
        required=False,
        default=dict,
        help_text="Case data (free form, at most 64 kB as JSON; 422 if larger).",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate_data(self, value):
        # the shape is the schema's (400); the size is a rule about the content (422)
        if len(json.dumps(value, default=str)) > DATA_MAX_BYTES:
            raise Invalid({"data": [_("The data is too large (at most 64 kB).")]})
        return value


class StatusChangeIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, help_text="The new status.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    visible_to_client = serializers.BooleanField(required=False, default=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.AGENCY)
