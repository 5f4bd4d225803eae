"""Call scripts: created and saved (a new version each time, optimistic locking on `version`) by
the owning agency's staff, published only when their graph is sound (knowledge_base.scripts)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation

from audit.services import record
from kernel.actors import Actor

from .. import rules
from .. import scripts as graphs
from ..constants import KnowledgeAuditAction, ScriptState
from ..exceptions import ScriptEditNotAllowed, ScriptInvalid, ScriptVersionConflict
from ..models import Script, ScriptVersion


def _script_refused(actor: Actor, script: Script | None, agency) -> None:
    record(
        action=KnowledgeAuditAction.SCRIPT_EDIT_REFUSED,
        actor=actor,
        target=script,
        object_type="" if script else "knowledge_base.script",
        data={"agency": agency.code},
    )


def script_edit_check(*, actor: Actor, script: Script) -> None:
    """Refuse (ScriptEditNotAllowed, the attempt audited) anyone but the owning agency's staff: for
    the editor's pages, before they read what was posted. script_save and script_publish ask the
    same rule again with the row locked."""
    if not rules.script_edit_allowed(script, viewer=rules.viewer_for_actor(actor)):
        _script_refused(actor, script, script.owner_agency)
        raise ScriptEditNotAllowed


def script_create(
    *, actor: Actor, owner_agency, title_lv: str, graph: dict, title_en: str = "", services=()
) -> Script:
    """A draft script of `owner_agency` with its first version (a draft may be unsound: it is checked
    when published)."""
    viewer = rules.viewer_for_actor(actor)
    if not rules.script_create_allowed(viewer=viewer, agency_id=owner_agency.pk):
        _script_refused(actor, None, owner_agency)
        raise ScriptEditNotAllowed
    if not (title_lv or "").strip():
        raise ScriptInvalid({"title_lv": [translation.gettext("Give the script a Latvian title.")]})
    with transaction.atomic():
        script = Script.objects.create(
            title_lv=title_lv.strip()[:300],
            title_en=(title_en or "").strip()[:300],
            owner_agency=owner_agency,
            owner=actor.user_or_none,
            version=1,
        )
        script.services.set(list(services))
        ScriptVersion.objects.create(script=script, number=1, graph=graph, author=actor.user_or_none)
        record(action=KnowledgeAuditAction.SCRIPT_SAVE, actor=actor, target=script, data={"version": 1})
    return script


def script_save(*, actor: Actor, script: Script, expected_version: int, graph: dict) -> ScriptVersion:
    """A new draft version of the graph (optimistic locking as for articles); the published version
    stays what specialists run until script_publish."""
    viewer = rules.viewer_for_actor(actor)
    with transaction.atomic():
        locked = Script.objects.select_for_update().select_related("owner_agency").get(pk=script.pk)
        if rules.script_edit_allowed(locked, viewer=viewer):
            if locked.version != expected_version:
                raise ScriptVersionConflict(current_version=locked.version)
            locked.version += 1
            locked.save(update_fields=["version"])
            version = ScriptVersion.objects.create(
                script=locked, number=locked.version, graph=graph, author=actor.user_or_none
            )
            record(
                action=KnowledgeAuditAction.SCRIPT_SAVE,
                actor=actor,
                target=locked,
                data={"version": locked.version},
            )
            return version
    _script_refused(actor, script, script.owner_agency)
    raise ScriptEditNotAllowed


def script_publish(*, actor: Actor, script: Script, expected_version: int | None = None) -> Script:
    """Publish the script's latest version, if its graph is sound (scripts.graph_problems): a node
    that cannot be reached, or a loop with no way to an end, is refused with the problems listed.
    `expected_version` (the editor's page): the version the editor looked at — if someone saved
    since, ScriptVersionConflict and nothing is published."""
    viewer = rules.viewer_for_actor(actor)
    with transaction.atomic():
        locked = Script.objects.select_for_update().select_related("owner_agency").get(pk=script.pk)
        if rules.script_edit_allowed(locked, viewer=viewer):
            if expected_version is not None and locked.version != expected_version:
                raise ScriptVersionConflict(current_version=locked.version)
            latest = ScriptVersion.objects.filter(script=locked).order_by("-number").first()
            problems = graphs.graph_problems(latest.graph if latest else None)
            if problems:
                raise ScriptInvalid({"graph": problems})
            latest.published_at = timezone.now()
            latest.save(update_fields=["published_at"])
            locked.published = latest
            locked.state = ScriptState.PUBLISHED
            locked.save(update_fields=["published", "state"])
            record(
                action=KnowledgeAuditAction.SCRIPT_PUBLISH,
                actor=actor,
                target=locked,
                data={"version": latest.number},
            )
            return locked
    _script_refused(actor, script, script.owner_agency)
    raise ScriptEditNotAllowed
