"""An agency's own settings of its catalogue, changed by its administrators (and platform admins).

Now one: four eyes on publishing (`Agency.four_eyes_publishing`): a change of one of the agency's
services is published by an administrator who did not prepare it (rules.service_publish_by_allowed,
checked by services.editing.service_publish).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

import audit.services as audit
from kernel.actors import Actor
from kernel.errors import PermissionDenied

from ..models import Agency
from ..permissions import agency_settings_may_change


@transaction.atomic
def agency_four_eyes_set(*, actor: Actor, agency: Agency, on: bool) -> Agency:
    """Turn four eyes on publishing on or off for the agency. Audited in the agency's log; nothing is
    written or recorded when the setting already has that value."""
    if not agency_settings_may_change(actor.user_or_none, agency):
        raise PermissionDenied(_("Only an administrator of this agency may change its settings."))
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    on = bool(on)
    if locked.four_eyes_publishing != on:
        locked.four_eyes_publishing = on
        locked.save(update_fields=["four_eyes_publishing"])
        audit.record(
            action="catalogue.agency.four_eyes_set",
            actor=actor,
            target=locked,
            agency_id=locked.pk,
            data={"code": locked.code, "four_eyes_publishing": on},
        )
    agency.four_eyes_publishing = locked.four_eyes_publishing
    return locked
