"""Reads of the catalogue, and who may see what.

Visibility ("in context", concept 4.4.1.1) is decided from the viewer's facts, passed in as
arguments so the catalogue needs nothing from the apps above it:
- anonymous visitors (`audiences=None`): every published service that is not internal;
- a logged-in person: the services for their audience(s) (persons; organisations too when they
  represent a company), minus municipality-specific services of other municipalities;
- officials (`is_official=True`): everything published, including internal services.
Drafts and withdrawn services are never visible here (the editing pages use their own selectors).

Modules by topic, every name re-exported here: `public` (what a viewer sees, service pages,
navigation), `search` (finding services), `editing` (the agency editing pages and the preview),
`versions` (published versions and the history page).
"""

from ..search import PG_SEARCH_CONFIG  # re-exported for old imports; defined in catalogue.search
from .editing import PREVIEW_FIELDS, service_get_any, service_list_editable, service_preview
from .public import (
    ANONYMOUS,
    DEFAULT_INSTRUCTIONS,
    ChannelView,
    ServiceNotFound,
    Viewer,
    agencies,
    agency_get_by_code,
    category_get,
    category_tree,
    centre_get_by_code,
    centres,
    life_event_get,
    life_event_list,
    service_codes_delegable,
    service_codes_where,
    service_get_published,
    service_get_visible,
    service_list_visible,
    service_page_channels,
    service_with_details,
    services_by_codes,
    services_by_ids,
    services_delegable_offered,
    services_for_authorised_filing,
    services_of_agencies,
    services_published_choices,
)
from .search import LIST_FIELDS, search_wants_fuzzy, service_search, service_search_page
from .versions import (
    EXTRA_LABELS,
    change_display,
    field_label,
    service_history_entries,
    service_publish_review,
    service_version_current,
    service_version_get,
    service_versions,
    service_versions_display,
)

__all__ = [
    "ANONYMOUS",
    "ChannelView",
    "DEFAULT_INSTRUCTIONS",
    "EXTRA_LABELS",
    "LIST_FIELDS",
    "PG_SEARCH_CONFIG",
    "PREVIEW_FIELDS",
    "ServiceNotFound",
    "Viewer",
    "agencies",
    "agency_get_by_code",
    "category_get",
    "category_tree",
    "centre_get_by_code",
    "centres",
    "life_event_get",
    "life_event_list",
    "search_wants_fuzzy",
    "service_codes_delegable",
    "service_codes_where",
    "service_get_any",
    "service_get_published",
    "service_get_visible",
    "service_list_editable",
    "service_list_visible",
    "service_page_channels",
    "service_preview",
    "service_search",
    "service_search_page",
    "change_display",
    "field_label",
    "service_history_entries",
    "service_publish_review",
    "service_version_current",
    "service_version_get",
    "service_versions",
    "service_versions_display",
    "service_with_details",
    "services_by_codes",
    "services_by_ids",
    "services_delegable_offered",
    "services_of_agencies",
    "services_published_choices",
    "services_for_authorised_filing",
]
