"""The call script editor for the owning agency's staff: a new script, its nodes listed, each edited
on its own small form, nodes added and removed, and publishing. Every change saves a new version
through services.script_save with the version the page was made from: a stale save is told and the
editor's input kept. No JavaScript: one form a page, plain selects for the nodes' targets."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import selectors as catalogue_selectors
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error

from .. import rules, scripts, selectors, services
from ..constants import NodeKind, ScriptOutcome
from ..exceptions import ScriptInvalid, ScriptNotFound, ScriptVersionConflict
from ..forms import NodeAddForm, NodeForm, ScriptCreateForm, VersionForm
from .common import actor_of, official_required, pick, viewer_of


def _script(viewer, pk):
    try:
        return selectors.script_get_for(viewer=viewer, pk=pk)
    except ScriptNotFound:
        raise Http404 from None


def _editable(request, viewer, pk):
    """The script, for its editors. Anyone else who may see it: "not found" for a page, and for a
    POST the service's refusal (403, the attempt audited) before anything posted is read."""
    script = _script(viewer, pk)
    if not rules.script_edit_allowed(script, viewer=viewer):
        if request.method != "POST":
            raise Http404
        services.script_edit_check(actor=actor_of(request, viewer), script=script)
    return script


def _graph_of(script, number=None):
    """The version `number` of the script (the latest without one, or when there is no such one)."""
    version = selectors.script_version_get(script=script, number=number) if number else None
    return version or selectors.script_version_latest(script=script)


def _targets(graph) -> list[tuple[str, str]]:
    return [
        (node_id, f"{node_id}: {_excerpt(pick(node, 'text'))}" if pick(node, "text") else node_id)
        for node_id, node in scripts.nodes_in_order(graph)
        if isinstance(node, dict)
    ]


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _editor_url(script) -> str:
    return reverse("knowledge_base:script-edit", kwargs={"pk": script.pk})


# --- a new script ------------------------------------------------------------------------------------


@official_required
def script_new(request):
    viewer = viewer_of(request)
    if not rules.script_create_allowed(viewer=viewer):
        raise Http404
    agency = catalogue_selectors.agencies(ids=sorted(viewer.agency_ids)).order_by("code").first()
    agency_services = list(catalogue_selectors.services_of_agencies(agency_ids=[agency.pk]))
    form = ScriptCreateForm(request.POST or None, services=agency_services)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                script = services.script_create(
                    actor=actor_of(request, viewer),
                    owner_agency=agency,
                    title_lv=data["title_lv"],
                    title_en=data.get("title_en", ""),
                    graph=scripts.graph_new(text_lv=data["text_lv"].strip(), text_en=data["text_en"].strip()),
                    services=form.selected_services(),
                )
            except DomainError as error:
                form_add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The call script is saved as a draft. Add its nodes."))
                return redirect(_editor_url(script))
    return render(request, "knowledge_base/script_new.html", {"form": form, "agency": agency}, status=status)


# --- the editor: the nodes, adding one, publishing ---------------------------------------------------


def _node_rows(graph) -> list[dict]:
    rows = []
    for node_id, node in scripts.nodes_in_order(graph):
        if not isinstance(node, dict):
            continue
        kind = node.get("kind")
        leads = []
        if kind == NodeKind.QUESTION:
            leads = [
                (pick(option, "label"), option.get("next") or "")
                for option in node.get("options") or []
                if isinstance(option, dict)
            ]
        elif kind in (NodeKind.START, NodeKind.NOTE):
            leads = [("", node.get("next") or "")]
        rows.append(
            {
                "id": node_id,
                "kind": NodeKind(kind).label if kind in NodeKind.values else kind,
                "text": _excerpt(pick(node, "text"), 160),
                "leads": leads,
                "outcome": node.get("outcome") if kind == NodeKind.END else None,
                "is_start": kind == NodeKind.START,
            }
        )
    return rows


def _editor_page(request, script, *, add_form=None, publish_errors=None, status=200):
    latest = selectors.script_version_latest(script=script)
    graph = latest.graph if latest else {}
    outcomes = dict(ScriptOutcome.choices)
    rows = _node_rows(graph)
    for row in rows:
        row["outcome"] = outcomes.get(row["outcome"], "") if row["outcome"] is not None else None
    return render(
        request,
        "knowledge_base/script_editor.html",
        {
            "script": script,
            "latest": latest,
            "rows": rows,
            "problems": publish_errors if publish_errors is not None else scripts.graph_problems(graph),
            "refused": publish_errors is not None,
            "add_form": add_form or NodeAddForm(initial={"version": script.version}),
        },
        status=status,
    )


@official_required
def script_edit(request, pk: int):
    viewer = viewer_of(request)
    script = _editable(request, viewer, pk)
    return _editor_page(request, script)


@require_POST
@official_required
def script_node_add(request, pk: int):
    viewer = viewer_of(request)
    script = _editable(request, viewer, pk)
    form = NodeAddForm(request.POST)
    if not form.is_valid():
        return _editor_page(request, script, add_form=form, status=400)
    base = _graph_of(script, form.cleaned_data["version"])
    try:
        graph, name = scripts.graph_node_add(
            base.graph if base else {}, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"]
        )
    except ValueError as error:
        form.add_error("name", str(error))
        return _editor_page(request, script, add_form=form, status=400)
    try:
        services.script_save(
            actor=actor_of(request, viewer),
            script=script,
            expected_version=form.cleaned_data["version"],
            graph=graph,
        )
    except ScriptVersionConflict as error:
        script.refresh_from_db()
        form = NodeAddForm({**request.POST.dict(), "version": str(error.extra["current_version"])})
        form.is_valid()
        form_add_domain_error(form, error)
        return _editor_page(request, script, add_form=form, status=error.status)
    messages.success(request, _("The node %(node)s is added: write what it says.") % {"node": name})
    return redirect("knowledge_base:script-node", pk=script.pk, node=name)


@require_POST
@official_required
def script_publish(request, pk: int):
    viewer = viewer_of(request)
    script = _editable(request, viewer, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        script = services.script_publish(
            actor=actor_of(request, viewer), script=script, expected_version=form.cleaned_data["version"]
        )
    except ScriptInvalid as error:
        return _editor_page(
            request, script, publish_errors=error.field_errors.get("graph", []), status=error.status
        )
    except ScriptVersionConflict as error:
        messages.error(request, error.message)
        script.refresh_from_db()
        return _editor_page(request, script, status=error.status)
    messages.success(
        request,
        _("Version %(number)s is published: specialists now run it.") % {"number": script.published.number},
    )
    return redirect(_editor_url(script))


# --- one node ------------------------------------------------------------------------------------------


def _node_form(viewer, graph, node, data=None, initial=None):
    return NodeForm(
        data,
        node=node,
        targets=_targets(graph),
        initial=initial,
        articles_known=lambda ids: selectors.article_ids_visible(viewer=viewer, ids=ids),
        services_known=lambda codes: set(catalogue_selectors.services_by_codes(codes=codes)),
    )


def _node_page(request, script, node_id, form, *, graph, conflict=None, status=200):
    return render(
        request,
        "knowledge_base/script_node.html",
        {
            "script": script,
            "node_id": node_id,
            "form": form,
            "is_start": form.kind == NodeKind.START,
            "kind_label": NodeKind(form.kind).label if form.kind in NodeKind.values else form.kind,
            "leading_here": scripts.nodes_leading_to(graph, node_id),
            "conflict": conflict,
        },
        status=status,
    )


@official_required
def script_node(request, pk: int, node: str):
    viewer = viewer_of(request)
    script = _editable(request, viewer, pk)
    if request.method != "POST":
        latest = selectors.script_version_latest(script=script)
        graph = latest.graph if latest else {}
        current = scripts.nodes_of(graph).get(node)
        if not isinstance(current, dict):
            raise Http404
        form = _node_form(viewer, graph, current, initial=NodeForm.initial_of(current, script.version))
        return _node_page(request, script, node, form, graph=graph)
    base = _graph_of(script, request.POST.get("version"))
    graph = base.graph if base else {}
    current = scripts.nodes_of(graph).get(node)
    if not isinstance(current, dict):
        raise Http404
    form = _node_form(viewer, graph, current, data=request.POST)
    if not form.is_valid():
        return _node_page(request, script, node, form, graph=graph, status=400)
    try:
        services.script_save(
            actor=actor_of(request, viewer),
            script=script,
            expected_version=form.cleaned_data["version"],
            graph=scripts.graph_node_set(graph, node, form.to_node()),
        )
    except ScriptVersionConflict as error:
        # nothing lost: the editor's input stays in the form, now made from the current version, so
        # saving again (after looking) applies it to that version
        script.refresh_from_db()
        latest = selectors.script_version_latest(script=script)
        graph = latest.graph if latest else {}
        form = _node_form(
            viewer,
            graph,
            scripts.nodes_of(graph).get(node) or current,
            data={**request.POST.dict(), "version": str(error.extra["current_version"])},
        )
        form.is_valid()
        return _node_page(
            request,
            script,
            node,
            form,
            graph=graph,
            conflict={"current_version": error.extra["current_version"], "message": error.message},
            status=error.status,
        )
    if form.kind_changed:
        messages.success(request, _("The node is saved with its new kind: now fill in what it needs."))
        return redirect("knowledge_base:script-node", pk=script.pk, node=node)
    messages.success(request, _("The node %(node)s is saved.") % {"node": node})
    return redirect(_editor_url(script) + f"#node-{node}")


@require_POST
@official_required
def script_node_remove(request, pk: int, node: str):
    viewer = viewer_of(request)
    script = _editable(request, viewer, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404
    base = _graph_of(script, form.cleaned_data["version"])
    graph = base.graph if base else {}
    if node not in scripts.nodes_of(graph):
        raise Http404
    try:
        graph = scripts.graph_node_remove(graph, node)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("knowledge_base:script-node", pk=script.pk, node=node)
    try:
        services.script_save(
            actor=actor_of(request, viewer),
            script=script,
            expected_version=form.cleaned_data["version"],
            graph=graph,
        )
    except ScriptVersionConflict as error:
        messages.error(request, error.message)
        script.refresh_from_db()
        return _editor_page(request, script, status=error.status)
    messages.success(request, _("The node %(node)s is removed.") % {"node": node})
    return redirect(_editor_url(script))
