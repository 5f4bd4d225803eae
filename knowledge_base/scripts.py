"""Call scripts' graphs: their shape, the checks before publishing, and walking them.

A graph is JSON kept in a ScriptVersion:

    {"start": "start",
     "nodes": {
        "start": {"kind": "start", "text_lv": "…", "text_en": "…", "next": "q1"},
        "q1": {"kind": "question", "text_lv": "…", "options": [
                  {"label_lv": "Jā", "label_en": "Yes", "next": "n1"}, …]},
        "n1": {"kind": "note", "text_lv": "…", "links": [{"article": 12}, {"service": "1011"}], "next": "e1"},
        "e1": {"kind": "end", "text_lv": "…", "outcome": "informed"}}}

The editor's pages change one node at a time (`graph_node_add`, `graph_node_set`,
`graph_node_remove`: pure functions returning a new graph, saved as a new version by
services.script_save).

A script is published only when `graph_problems` finds nothing: one start node, every reference
to an existing node, every node reachable from the start, and from every node a way to an end (a
loop with no way out would keep a caller on the line forever).
"""

from __future__ import annotations

import copy
import re
from collections import deque
from typing import Any

from django.utils.translation import gettext as _

from .constants import MAX_SCRIPT_NODES, NodeKind, ScriptOutcome

NODE_ID = re.compile(r"^[a-z0-9_-]{1,40}$")
MAX_OPTIONS = 20


def nodes_of(graph: Any) -> dict[str, dict]:
    nodes = graph.get("nodes") if isinstance(graph, dict) else None
    return nodes if isinstance(nodes, dict) else {}


def nodes_in_order(graph: Any) -> list[tuple[str, dict]]:
    """The nodes as an editor lists them: the start, then as a conversation reaches them (breadth
    first), then the unreachable ones by name — the same on every database (PostgreSQL's jsonb does
    not keep the order keys were written in)."""
    nodes = nodes_of(graph)
    start = graph.get("start") if isinstance(graph, dict) else None
    order: list[str] = []
    if start in nodes:
        seen, todo = {start}, deque([start])
        while todo:
            current = todo.popleft()
            order.append(current)
            node = nodes[current]
            for target in successors(node) if isinstance(node, dict) else []:
                if target in nodes and target not in seen:
                    seen.add(target)
                    todo.append(target)
    order += sorted(set(nodes) - set(order))
    return [(node_id, nodes[node_id]) for node_id in order]


def successors(node: dict) -> list[str]:
    """The nodes one step on from `node` (an end has none)."""
    kind = node.get("kind")
    if kind == NodeKind.QUESTION:
        return [o.get("next") for o in node.get("options") or [] if isinstance(o, dict)]
    if kind in (NodeKind.START, NodeKind.NOTE):
        return [node.get("next")]
    return []


def _node_problems(node_id: str, node: Any, nodes: dict) -> list[str]:
    if not isinstance(node, dict):
        return [_("Node %(node)s is not an object.") % {"node": node_id}]
    problems = []
    kind = node.get("kind")
    if kind not in NodeKind.values:
        return [_("Node %(node)s has an unknown kind.") % {"node": node_id}]
    if not str(node.get("text_lv") or "").strip():
        problems.append(_("Node %(node)s has no Latvian text.") % {"node": node_id})
    if kind == NodeKind.QUESTION:
        options = node.get("options")
        if not isinstance(options, list) or not options or len(options) > MAX_OPTIONS:
            problems.append(
                _("Question %(node)s needs between 1 and %(max)s answers.")
                % {"node": node_id, "max": MAX_OPTIONS}
            )
        else:
            for n, option in enumerate(options, start=1):
                if not isinstance(option, dict) or not str(option.get("label_lv") or "").strip():
                    problems.append(_("Answer %(n)s of %(node)s has no label.") % {"n": n, "node": node_id})
    if kind == NodeKind.END:
        if node.get("outcome") not in ScriptOutcome.values:
            problems.append(_("End %(node)s has no outcome.") % {"node": node_id})
    else:
        for target in successors(node):
            if not isinstance(target, str) or target not in nodes:
                problems.append(_("Node %(node)s leads to a node that does not exist.") % {"node": node_id})
    for link in node.get("links") or []:
        if not (
            isinstance(link, dict)
            and (isinstance(link.get("article"), int) or isinstance(link.get("service"), str))
        ):
            problems.append(
                _("Node %(node)s has a link that is neither an article nor a service.") % {"node": node_id}
            )
    return problems


def reachable_from(start: str, nodes: dict) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        for target in successors(nodes[todo.popleft()]):
            if target in nodes and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def reaching_an_end(nodes: dict) -> set[str]:
    """The nodes from which some end node can be reached (walking the edges backwards from the ends)."""
    before: dict[str, set[str]] = {node_id: set() for node_id in nodes}
    for node_id, node in nodes.items():
        for target in successors(node):
            if target in before:
                before[target].add(node_id)
    ends = [node_id for node_id, node in nodes.items() if node.get("kind") == NodeKind.END]
    seen, todo = set(ends), deque(ends)
    while todo:
        for source in before[todo.popleft()]:
            if source not in seen:
                seen.add(source)
                todo.append(source)
    return seen


def graph_problems(graph: Any) -> list[str]:
    """What stops this graph from being published ([] when nothing does), in the page's language."""
    if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), dict) or not graph["nodes"]:
        return [_("The script has no nodes.")]
    nodes = graph["nodes"]
    if len(nodes) > MAX_SCRIPT_NODES:
        return [_("A script has at most %(max)s nodes.") % {"max": MAX_SCRIPT_NODES}]
    problems = []
    for node_id in nodes:
        if not isinstance(node_id, str) or not NODE_ID.match(node_id):
            problems.append(_("A node's name may hold only small letters, digits, '-' and '_'."))
    if problems:
        return problems
    for node_id, node in nodes.items():
        problems += _node_problems(node_id, node, nodes)
    starts = [
        node_id
        for node_id, node in nodes.items()
        if isinstance(node, dict) and node.get("kind") == NodeKind.START
    ]
    start = graph.get("start")
    if len(starts) != 1 or start not in starts:
        problems.append(_("A script has exactly one start node, named as its start."))
    if problems:
        return problems
    reached = reachable_from(start, nodes)
    for node_id in nodes:
        if node_id not in reached:
            problems.append(_("Node %(node)s cannot be reached from the start.") % {"node": node_id})
    ending = reaching_an_end(nodes)
    for node_id in nodes:
        if node_id in reached and node_id not in ending:
            problems.append(
                _("From node %(node)s no end can be reached: a loop without a way out.") % {"node": node_id}
            )
    return problems


def node_get(graph: dict, node_id: str) -> dict:
    return nodes_of(graph)[node_id]


def step_target(graph: dict, node_id: str, answer: int | None) -> str | None:
    """Where a run goes from `node_id` given `answer` (an option's index for a question); None when
    the answer does not fit the node (or the node is an end)."""
    node = nodes_of(graph).get(node_id)
    if node is None:
        return None
    if node.get("kind") == NodeKind.QUESTION:
        options = node.get("options") or []
        if answer is None or not 0 <= answer < len(options):
            return None
        return options[answer].get("next")
    if node.get("kind") in (NodeKind.START, NodeKind.NOTE):
        return node.get("next") if answer is None else None
    return None


def graph_links(graph: dict) -> tuple[set[int], set[str]]:
    """The article ids and service codes the graph's nodes link to."""
    articles, services = set(), set()
    for node in nodes_of(graph).values():
        for link in node.get("links") or []:
            if isinstance(link.get("article"), int):
                articles.add(link["article"])
            if isinstance(link.get("service"), str):
                services.add(link["service"])
    return articles, services


# --- editing, one node at a time ---------------------------------------------------------------------

START_NODE = "start"
# the kinds a node other than the start may have (one start a script)
EDITABLE_KINDS = (NodeKind.QUESTION, NodeKind.NOTE, NodeKind.END)


def graph_new(*, text_lv: str = "", text_en: str = "") -> dict:
    """A new script's graph: its start node alone, leading nowhere yet."""
    return {
        "start": START_NODE,
        "nodes": {START_NODE: {"kind": NodeKind.START, "text_lv": text_lv, "text_en": text_en, "next": ""}},
    }


def _copy(graph: Any) -> dict:
    graph = copy.deepcopy(graph) if isinstance(graph, dict) else {}
    if not isinstance(graph.get("nodes"), dict):
        graph["nodes"] = {}
    graph.setdefault("start", START_NODE)
    return graph


def node_name_free(graph: Any, kind: str) -> str:
    """A name no node of the graph has yet: `<kind>-<n>`, the smallest n from 1."""
    nodes = nodes_of(graph)
    n = 1
    while f"{kind}-{n}" in nodes:
        n += 1
    return f"{kind}-{n}"


def node_name_problem(graph: Any, name: str) -> str | None:
    """Why `name` cannot be a new node's name (None when it can)."""
    if not NODE_ID.match(name):
        return _("A node's name may hold only small letters, digits, '-' and '_' (at most 40).")
    if name in nodes_of(graph):
        return _("The script already has a node of this name.")
    return None


def graph_node_add(graph: Any, *, kind: str, name: str = "") -> tuple[dict, str]:
    """The graph with a new, empty node of `kind` (a question, a note or an end) and its name (the
    one given, or a free one). ValueError with the reason when the name is taken or malformed, the
    kind is not one a new node may have, or the script is full."""
    if kind not in EDITABLE_KINDS:
        raise ValueError(_("Choose what kind of node to add."))
    if len(nodes_of(graph)) >= MAX_SCRIPT_NODES:
        raise ValueError(_("A script has at most %(max)s nodes.") % {"max": MAX_SCRIPT_NODES})
    name = name or node_name_free(graph, kind)
    problem = node_name_problem(graph, name)
    if problem:
        raise ValueError(problem)
    new = _copy(graph)
    node: dict[str, Any] = {"kind": kind, "text_lv": "", "text_en": ""}
    node.update({"options": []} if kind == NodeKind.QUESTION else {})
    node.update({"next": ""} if kind == NodeKind.NOTE else {})
    node.update({"outcome": ""} if kind == NodeKind.END else {})
    new["nodes"][name] = node
    return new, name


def node_with_kind(node: dict, kind: str) -> dict:
    """`node` become a `kind` node: its texts (and links) kept, what only its old kind had dropped."""
    if node.get("kind") == kind:
        return dict(node)
    kept = {key: value for key, value in node.items() if key in ("text_lv", "text_en", "links")}
    fresh = {"options": []} if kind == NodeKind.QUESTION else {}
    fresh |= {"next": ""} if kind == NodeKind.NOTE else {}
    fresh |= {"outcome": ""} if kind == NodeKind.END else {}
    if kind != NodeKind.NOTE:
        kept.pop("links", None)
    return {"kind": kind, **kept, **fresh}


def graph_node_set(graph: Any, node_id: str, node: dict) -> dict:
    """The graph with `node_id` replaced by (or, if it is gone, added as) `node`."""
    new = _copy(graph)
    new["nodes"][node_id] = copy.deepcopy(node)
    return new


def graph_node_remove(graph: Any, node_id: str) -> dict:
    """The graph without `node_id`; the steps and answers that led to it now lead nowhere (the
    editor shows them as problems to fix). ValueError for the start node."""
    if node_id == (graph or {}).get("start", START_NODE):
        raise ValueError(_("The start node cannot be removed."))
    new = _copy(graph)
    new["nodes"].pop(node_id, None)
    for node in new["nodes"].values():
        if not isinstance(node, dict):
            continue
        if node.get("next") == node_id:
            node["next"] = ""
        for option in node.get("options") or []:
            if isinstance(option, dict) and option.get("next") == node_id:
                option["next"] = ""
    return new


def nodes_leading_to(graph: Any, node_id: str) -> list[str]:
    """The nodes with a step or an answer leading to `node_id`."""
    return [
        source
        for source, node in nodes_of(graph).items()
        if isinstance(node, dict) and node_id in successors(node)
    ]
