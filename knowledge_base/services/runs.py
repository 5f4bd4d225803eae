"""Runs of call scripts: an official walks the published version step by step; the path and the
outcome are recorded."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation

from audit.services import record
from kernel.actors import Actor

from .. import rules
from .. import scripts as graphs
from ..constants import MAX_SCRIPT_RUN_STEPS, KnowledgeAuditAction, NodeKind, ScriptOutcome
from ..exceptions import ScriptRunClosed, ScriptRunInvalidStep, ScriptRunNotAllowed
from ..models import Script, ScriptRun


def _now_iso() -> str:
    return timezone.now().isoformat()


@transaction.atomic
def script_run_start(*, actor: Actor, script: Script) -> ScriptRun:
    """An official starts the published version of a script: the run stands at its start node."""
    viewer = rules.viewer_for_actor(actor)
    if not rules.script_run_allowed(viewer=viewer) or script.published_id is None:
        raise ScriptRunNotAllowed
    version = script.published
    start = version.graph["start"]
    centre_id = actor.centre_id
    if centre_id is None and len(viewer.centre_ids) == 1:
        centre_id = next(iter(viewer.centre_ids))
    run = ScriptRun.objects.create(
        script_version=version,
        user=actor.user_or_none,
        centre_id=centre_id,
        current_node=start,
        path=[{"node": start, "answer": None, "at": _now_iso()}],
    )
    record(action=KnowledgeAuditAction.SCRIPT_RUN_START, actor=actor, target=run, data={"script": script.pk})
    return run


def _locked_run(actor: Actor, run: ScriptRun) -> ScriptRun:
    locked = ScriptRun.objects.select_for_update().select_related("script_version").get(pk=run.pk)
    user = actor.user_or_none
    if user is None or locked.user_id != user.pk:
        raise ScriptRunNotAllowed
    if locked.is_finished:
        raise ScriptRunClosed
    return locked


@transaction.atomic
def script_run_step(*, actor: Actor, run: ScriptRun, answer: int | None = None) -> ScriptRun:
    """Go one node on: a question takes the index of the answer chosen, a start or note node none.
    Reaching an end node sets the run's outcome; `script_run_finish` then closes it."""
    locked = _locked_run(actor, run)
    graph = locked.script_version.graph
    target = graphs.step_target(graph, locked.current_node, answer)
    if target is None or len(locked.path) >= MAX_SCRIPT_RUN_STEPS:
        raise ScriptRunInvalidStep
    path = list(locked.path)
    path[-1] = {**path[-1], "answer": answer}
    path.append({"node": target, "answer": None, "at": _now_iso()})
    locked.path = path
    locked.current_node = target
    node = graphs.node_get(graph, target)
    locked.outcome = node.get("outcome", "") if node.get("kind") == NodeKind.END else ""
    locked.save(update_fields=["path", "current_node", "outcome"])
    return locked


@transaction.atomic
def script_run_finish(*, actor: Actor, run: ScriptRun, outcome: str | None = None) -> ScriptRun:
    """Close the run: at an end node with that node's outcome; before one (the caller hung up, the
    specialist stopped) with the `outcome` the specialist gives."""
    locked = _locked_run(actor, run)
    node = graphs.node_get(locked.script_version.graph, locked.current_node)
    if node.get("kind") == NodeKind.END:
        locked.outcome = node["outcome"]
    elif outcome in ScriptOutcome.values:
        locked.outcome = outcome
    else:
        raise ScriptRunInvalidStep({"outcome": [translation.gettext("Say how the conversation ended.")]})
    locked.finished_at = timezone.now()
    locked.save(update_fields=["outcome", "finished_at"])
    record(
        action=KnowledgeAuditAction.SCRIPT_RUN_FINISH,
        actor=actor,
        target=locked,
        data={"outcome": locked.outcome, "steps": len(locked.path)},
    )
    return locked
