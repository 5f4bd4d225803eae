"""Call scripts: the graph checks before publishing (an unreachable node, a loop with no way to an
end), versions, and a run step by step with its path and outcome."""

import copy

import pytest
from django.utils import translation

from audit.models import AuditEvent
from knowledge_base import scripts, services
from knowledge_base.exceptions import (
    ScriptEditNotAllowed,
    ScriptInvalid,
    ScriptRunClosed,
    ScriptRunInvalidStep,
    ScriptRunNotAllowed,
    ScriptVersionConflict,
)
from knowledge_base.models import ScriptRun, ScriptVersion

from .factories import SOUND_GRAPH, script_make


@pytest.fixture(autouse=True)
def _english():
    """The problems are read in English (they are translated for the page)."""
    with translation.override("en"):
        yield


def graph(**changes):
    g = copy.deepcopy(SOUND_GRAPH)
    for node_id, node in changes.items():
        if node is None:
            del g["nodes"][node_id]
        else:
            g["nodes"][node_id] = node
    return g


def test_a_sound_graph_has_no_problems():
    assert scripts.graph_problems(SOUND_GRAPH) == []


def test_an_unreachable_node_is_a_problem():
    problems = scripts.graph_problems(
        graph(orphan={"kind": "end", "text_lv": "Nekad", "outcome": "informed"})
    )

    assert problems == ["Node orphan cannot be reached from the start."]


def test_a_loop_without_a_way_out_is_a_problem():
    looping = graph(
        info={"kind": "note", "text_lv": "Vēlreiz", "next": "again"},
        again={"kind": "question", "text_lv": "Vēl?", "options": [{"label_lv": "Jā", "next": "info"}]},
    )
    del looping["nodes"]["end-informed"]

    problems = scripts.graph_problems(looping)

    assert "From node info no end can be reached: a loop without a way out." in problems
    assert "From node again no end can be reached: a loop without a way out." in problems


def test_a_loop_with_a_way_out_is_fine():
    with_exit = graph(
        info={
            "kind": "question",
            "text_lv": "Vai vēl ko?",
            "options": [{"label_lv": "Atkārtot", "next": "q1"}, {"label_lv": "Viss", "next": "end-informed"}],
        }
    )

    assert scripts.graph_problems(with_exit) == []


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (None, "The script has no nodes."),
        ({"start": "start", "nodes": {}}, "The script has no nodes."),
        (
            graph(q1={"kind": "question", "text_lv": "?", "options": []}),
            "Question q1 needs between 1 and 20 answers.",
        ),
        (graph(file={"kind": "end", "text_lv": "x"}), "End file has no outcome."),
        (
            graph(info={"kind": "note", "text_lv": "x", "next": "nowhere"}),
            "Node info leads to a node that does not exist.",
        ),
        (graph(info={"kind": "teleport", "text_lv": "x"}), "Node info has an unknown kind."),
        (
            graph(**{"Bad Id": {"kind": "end", "text_lv": "x", "outcome": "informed"}}),
            "A node's name may hold only small letters, digits, '-' and '_'.",
        ),
        (
            {"start": "q1", "nodes": SOUND_GRAPH["nodes"]},
            "A script has exactly one start node, named as its start.",
        ),
    ],
)
def test_broken_graphs_are_described(broken, expected):
    assert expected in scripts.graph_problems(broken)


def test_publishing_an_unreachable_node_is_refused_and_nothing_changes(world, actor_of):
    script = script_make(
        agency=world.vsaa,
        actor=actor_of("vsaa_staff"),
        graph=graph(orphan={"kind": "end", "text_lv": "x", "outcome": "informed"}),
        publish=False,
    )

    with pytest.raises(ScriptInvalid) as refused:
        services.script_publish(actor=actor_of("vsaa_staff"), script=script)

    assert refused.value.field_errors == {"graph": ["Node orphan cannot be reached from the start."]}
    script.refresh_from_db()
    assert script.published is None and script.state == "draft"


def test_publishing_a_loop_without_an_exit_is_refused(world, actor_of):
    looping = graph(info={"kind": "note", "text_lv": "x", "next": "q1"}, **{"end-informed": None})
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), graph=looping, publish=False)

    # q1 still reaches "file": add a second question that only loops
    looping["nodes"]["q1"]["options"].append({"label_lv": "Cits", "next": "loop"})
    looping["nodes"]["loop"] = {"kind": "note", "text_lv": "x", "next": "loop"}
    services.script_save(actor=actor_of("vsaa_staff"), script=script, expected_version=1, graph=looping)

    with pytest.raises(ScriptInvalid) as refused:
        services.script_publish(actor=actor_of("vsaa_staff"), script=script)

    assert (
        "From node loop no end can be reached: a loop without a way out."
        in refused.value.field_errors["graph"]
    )
    script.refresh_from_db()
    assert script.published is None


def test_scripts_are_versioned_and_the_published_version_stays_until_published_again(world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"))
    first = script.published

    changed = graph(info={"kind": "note", "text_lv": "Jauns teksts", "next": "end-informed"})
    services.script_save(actor=actor_of("vsaa_admin"), script=script, expected_version=1, graph=changed)

    script.refresh_from_db()
    assert script.published == first and ScriptVersion.objects.filter(script=script).count() == 2
    with pytest.raises(ScriptVersionConflict):
        services.script_save(
            actor=actor_of("vsaa_staff"), script=script, expected_version=1, graph=SOUND_GRAPH
        )
    services.script_publish(actor=actor_of("vsaa_staff"), script=script)
    script.refresh_from_db()
    assert script.published.number == 2


@pytest.mark.parametrize("who", ["citizen", "pmlp_staff", "centre_specialist", "platform_admin"])
def test_only_the_owning_agency_edits_and_publishes_a_script(world, actor_of, who):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)

    with pytest.raises(ScriptEditNotAllowed):
        services.script_save(actor=actor_of(who), script=script, expected_version=1, graph=SOUND_GRAPH)
    with pytest.raises(ScriptEditNotAllowed):
        services.script_publish(actor=actor_of(who), script=script)
    with pytest.raises(ScriptEditNotAllowed):
        services.script_create(actor=actor_of(who), owner_agency=world.vsaa, title_lv="x", graph=SOUND_GRAPH)

    script.refresh_from_db()
    assert script.published is None and script.version == 1
    assert AuditEvent.objects.filter(action="kb.script_edit_refused").count() == 3


# --- runs ------------------------------------------------------------------------------------------


@pytest.fixture
def published(world, actor_of):
    return script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"))


def test_a_specialist_runs_a_script_to_its_end_and_the_path_is_recorded(world, actor_of, published):
    ilze = actor_of("centre_specialist")

    run = services.script_run_start(actor=ilze, script=published)
    run = services.script_run_step(actor=ilze, run=run)  # start → q1
    run = services.script_run_step(actor=ilze, run=run, answer=0)  # "Jā" → info
    run = services.script_run_step(actor=ilze, run=run)  # info → end-informed
    run = services.script_run_finish(actor=ilze, run=run)

    run.refresh_from_db()
    assert [step["node"] for step in run.path] == ["start", "q1", "info", "end-informed"]
    assert [step["answer"] for step in run.path] == [None, 0, None, None]
    assert run.outcome == "informed" and run.is_finished
    assert run.centre == world.centre and run.script_version == published.published
    assert AuditEvent.objects.filter(action="kb.script_run_finish", object_id=str(run.pk)).exists()


def test_a_run_may_end_early_with_the_outcome_the_specialist_gives(world, actor_of, published):
    ilze = actor_of("centre_specialist")
    run = services.script_run_start(actor=ilze, script=published)

    with pytest.raises(ScriptRunInvalidStep):
        services.script_run_finish(actor=ilze, run=run)
    run = services.script_run_finish(actor=ilze, run=run, outcome="escalated")

    assert run.outcome == "escalated" and run.is_finished


@pytest.mark.parametrize("answer", [None, -1, 2, 99])
def test_an_answer_that_does_not_fit_the_question_is_refused(world, actor_of, published, answer):
    ilze = actor_of("centre_specialist")
    run = services.script_run_step(actor=ilze, run=services.script_run_start(actor=ilze, script=published))

    with pytest.raises(ScriptRunInvalidStep):
        services.script_run_step(actor=ilze, run=run, answer=answer)

    run.refresh_from_db()
    assert run.current_node == "q1" and len(run.path) == 2


def test_a_finished_run_takes_no_more_steps(world, actor_of, published):
    ilze = actor_of("centre_specialist")
    run = services.script_run_finish(
        actor=ilze, run=services.script_run_start(actor=ilze, script=published), outcome="referred"
    )

    with pytest.raises(ScriptRunClosed):
        services.script_run_step(actor=ilze, run=run)


def test_another_official_cannot_step_someone_elses_run(world, actor_of, published):
    run = services.script_run_start(actor=actor_of("centre_specialist"), script=published)

    with pytest.raises(ScriptRunNotAllowed):
        services.script_run_step(actor=actor_of("centre_admin"), run=run)

    run.refresh_from_db()
    assert run.current_node == "start"


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_citizens_do_not_run_scripts(world, actor_of, published, who):
    with pytest.raises(ScriptRunNotAllowed):
        services.script_run_start(actor=actor_of(who), script=published)

    assert not ScriptRun.objects.exists()


def test_a_draft_script_cannot_be_run(world, actor_of):
    draft = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)

    with pytest.raises(ScriptRunNotAllowed):
        services.script_run_start(actor=actor_of("centre_specialist"), script=draft)
