"""Writes to the catalogue: services, their versions, their e-forms, their search text.

Editing follows a draft/publish cycle:
- a new service is a draft; edits to a draft apply to it directly (nobody outside sees it);
- edits to a published (or withdrawn) service are kept in `Service.pending` until published,
  so the public keeps seeing the published entry and cases keep filing under its version;
- service_publish applies the pending changes and writes a ServiceVersion (who, when, what changed);
- service_withdraw hides the service from the public.
Every write checks permissions.service_may_edit and records an audit event.

Modules by topic, every name re-exported here: `editing` (the editor's actions), `validation`
(checking an editor's data), `snapshots` (a service as JSON, and diffs), `search_index` (the
stored search text and vectors).
"""

from ..search import PG_SEARCH_CONFIG  # re-exported for old imports; defined in catalogue.search
from .agencies import agency_create, agency_update, centre_create, centre_update
from .agency_settings import agency_four_eyes_set
from .editing import (
    service_create,
    service_discard_pending,
    service_publish,
    service_update,
    service_update_section,
    service_version_create,
    service_withdraw,
)
from .search_index import service_search_refresh
from .snapshots import (
    BOOLEAN_FIELDS,
    EDITABLE_FIELDS,
    SNAPSHOT_DEFAULTS,
    SNAPSHOT_FIELDS,
    service_snapshot,
    service_snapshot_diff,
    service_working_snapshot,
    snapshot_with_defaults,
)
from .statistics import service_page_view_count
from .validation import TEXT_LIMITS, service_data_clean

__all__ = [
    "BOOLEAN_FIELDS",
    "EDITABLE_FIELDS",
    "PG_SEARCH_CONFIG",
    "SNAPSHOT_DEFAULTS",
    "SNAPSHOT_FIELDS",
    "TEXT_LIMITS",
    "agency_create",
    "agency_four_eyes_set",
    "agency_update",
    "centre_create",
    "centre_update",
    "service_create",
    "service_data_clean",
    "service_discard_pending",
    "service_publish",
    "service_page_view_count",
    "service_search_refresh",
    "service_snapshot",
    "service_snapshot_diff",
    "service_update",
    "service_update_section",
    "service_version_create",
    "service_withdraw",
    "service_working_snapshot",
    "snapshot_with_defaults",
]
