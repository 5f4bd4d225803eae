"""Call scripts for officials: the list, and a run one node a page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.errors import DomainError

from .. import rules, scripts, selectors, services
from ..constants import NodeKind
from ..exceptions import ScriptNotFound, ScriptRunNotFound
from ..forms import FinishForm, StepForm
from .common import actor_of, official_required, pick, require_official, viewer_of


@official_required
def script_list(request):
    viewer = viewer_of(request)
    require_official(viewer)
    found = list(selectors.script_list_for(viewer=viewer))
    return render(
        request,
        "knowledge_base/scripts.html",
        {
            "scripts": found,
            "editable": {script.pk for script in found if rules.script_edit_allowed(script, viewer=viewer)},
            "may_create": rules.script_create_allowed(viewer=viewer),
        },
    )


@require_POST
@official_required
def script_start(request, pk: int):
    viewer = viewer_of(request)
    try:
        script = selectors.script_get_for(viewer=viewer, pk=pk)
    except ScriptNotFound:
        raise Http404 from None
    run = services.script_run_start(actor=actor_of(request, viewer), script=script)
    return redirect("knowledge_base:run", pk=run.pk)


def _run(viewer, pk):
    try:
        return selectors.script_run_get_for(viewer=viewer, pk=pk)
    except ScriptRunNotFound:
        raise Http404 from None


def _run_page(request, viewer, run, *, step_form=None, finish_form=None, status=200):
    graph = run.script_version.graph
    node = scripts.node_get(graph, run.current_node)
    article_ids, service_codes = scripts.graph_links({"nodes": {run.current_node: node}})
    articles, linked_services = selectors.script_run_links(
        viewer=viewer, article_ids=article_ids, service_codes=service_codes
    )
    options = [pick(option, "label") for option in node.get("options") or []]
    is_question = node.get("kind") == NodeKind.QUESTION
    at_end = node.get("kind") == NodeKind.END
    trail = [pick(scripts.node_get(graph, step["node"]), "text") for step in run.path[:-1]]
    return render(
        request,
        "knowledge_base/run.html",
        {
            "run": run,
            "script": run.script_version.script,
            "node": node,
            "node_text": pick(node, "text"),
            "is_question": is_question,
            "at_end": at_end,
            "step_form": step_form
            or (StepForm(options=options) if is_question and not run.is_finished else None),
            "finish_form": finish_form or (FinishForm() if not at_end and not run.is_finished else None),
            "articles": articles,
            "linked_services": linked_services,
            "trail": trail,
        },
        status=status,
    )


@official_required
def run_detail(request, pk: int):
    viewer = viewer_of(request)
    run = _run(viewer, pk)
    if request.method != "POST":
        return _run_page(request, viewer, run)
    node = scripts.node_get(run.script_version.graph, run.current_node)
    answer = None
    if node.get("kind") == NodeKind.QUESTION:
        form = StepForm(request.POST, options=[pick(o, "label") for o in node.get("options") or []])
        if not form.is_valid():
            return _run_page(request, viewer, run, step_form=form, status=400)
        answer = form.cleaned_data["answer"]
    try:
        services.script_run_step(actor=actor_of(request, viewer), run=run, answer=answer)
    except DomainError as error:
        messages.error(request, error.message)
        return _run_page(request, viewer, _run(viewer, pk), status=error.status)
    return redirect("knowledge_base:run", pk=run.pk)


@require_POST
@official_required
def run_finish(request, pk: int):
    viewer = viewer_of(request)
    run = _run(viewer, pk)
    node = scripts.node_get(run.script_version.graph, run.current_node)
    outcome = None
    if node.get("kind") != NodeKind.END:
        form = FinishForm(request.POST)
        if not form.is_valid():
            return _run_page(request, viewer, run, finish_form=form, status=400)
        outcome = form.cleaned_data["outcome"]
    try:
        services.script_run_finish(actor=actor_of(request, viewer), run=run, outcome=outcome)
    except DomainError as error:
        messages.error(request, error.message)
        return _run_page(request, viewer, _run(viewer, pk), status=error.status)
    messages.success(request, _("The conversation is recorded."))
    return redirect("knowledge_base:run", pk=run.pk)
