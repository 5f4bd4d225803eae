"""The call script editor's pages: the owning agency's staff create a script, add, edit and remove
its nodes one small form at a time and publish it; a stale save is told with nothing lost; everyone
else is refused every action, posted directly, and nothing changes."""

import pytest
from django.utils import translation

from audit.models import AuditEvent
from knowledge_base import services
from knowledge_base.constants import ArticleAudience
from knowledge_base.models import Script, ScriptVersion

from .factories import SOUND_GRAPH, article_make, script_make


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def login(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
        session = client.session
        session["assurance_level"] = "high"
        session.save()
    return user


def _graph(script):
    return ScriptVersion.objects.filter(script=script).order_by("-number").first().graph


def _node_data(version, **fields):
    return {"version": version, **fields}


def test_another_agencys_staff_create_their_own_agencys_script(client, world):
    login(client, world, "pmlp_staff")

    response = client.post("/knowledge/scripts/new/", {"title_lv": "Pases zvans", "text_lv": "Labdien!"})

    assert response.status_code == 302
    assert Script.objects.get().owner_agency == world.pmlp


def test_an_editor_builds_and_publishes_a_script_through_the_pages(client, world):
    login(client, world, "vsaa_staff")
    assert client.get("/knowledge/scripts/new/").status_code == 200

    created = client.post(
        "/knowledge/scripts/new/",
        {"title_lv": "Pabalsta zvans", "text_lv": "Labdien!", "services": ["1011"]},
    )
    script = Script.objects.get()
    assert created.status_code == 302 and created.url == f"/knowledge/scripts/{script.pk}/edit/"
    base = f"/knowledge/scripts/{script.pk}"
    added = client.post(f"{base}/add-node/", {"version": 1, "kind": "question", "name": "q1"})
    assert added.status_code == 302 and added.url == f"{base}/nodes/q1/"
    assert client.post(f"{base}/add-node/", {"version": 2, "kind": "end"}).status_code == 302  # end-1
    assert (
        client.post(f"{base}/nodes/start/", _node_data(3, text_lv="Labdien!", next="q1")).status_code == 302
    )
    page = client.get(f"{base}/nodes/q1/")
    assert page.status_code == 200 and 'name="option_1_next"' in page.text  # two empty rows
    saved = client.post(
        f"{base}/nodes/q1/",
        _node_data(
            4,
            kind="question",
            text_lv="Vai bērns ir reģistrēts?",
            option_0_label_lv="Jā",
            option_0_label_en="Yes",
            option_0_next="end-1",
        ),
    )
    assert saved.status_code == 302
    assert (
        client.post(
            f"{base}/nodes/end-1/", _node_data(5, kind="end", text_lv="Paldies", outcome="informed")
        ).status_code
        == 302
    )
    published = client.post(f"{base}/publish/", {"version": 6})

    assert published.status_code == 302
    script.refresh_from_db()
    assert script.state == "published" and script.published.number == 6
    assert list(script.services.values_list("code", flat=True)) == ["1011"]
    assert script.published.graph["nodes"]["q1"]["options"] == [
        {"label_lv": "Jā", "label_en": "Yes", "next": "end-1"}
    ]


def test_publishing_an_unsound_script_shows_the_problems_and_publishes_nothing(client, world, actor_of):
    script = script_make(
        agency=world.vsaa,
        actor=actor_of("vsaa_staff"),
        graph=SOUND_GRAPH
        | {"nodes": SOUND_GRAPH["nodes"] | {"lost": {"kind": "end", "text_lv": "x", "outcome": "informed"}}},
        publish=False,
    )
    login(client, world, "vsaa_staff")

    response = client.post(f"/knowledge/scripts/{script.pk}/publish/", {"version": 1})

    assert response.status_code == 422
    assert 'data-testid="kb-script-problems"' in response.text
    assert "Node lost cannot be reached from the start." in response.text
    script.refresh_from_db()
    assert script.published is None and script.state == "draft"


def test_the_editor_page_lists_the_nodes_and_what_stops_publishing(client, world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)
    services.script_save(
        actor=actor_of("vsaa_staff"),
        script=script,
        expected_version=1,
        graph=SOUND_GRAPH
        | {"nodes": {**SOUND_GRAPH["nodes"], "info": {"kind": "note", "text_lv": "x", "next": ""}}},
    )
    login(client, world, "vsaa_admin")

    response = client.get(f"/knowledge/scripts/{script.pk}/edit/")

    assert response.status_code == 200
    for node_id in ("start", "q1", "info", "end-informed", "file"):
        assert f'id="node-{node_id}"' in response.text
    assert "Node info leads to a node that does not exist." in response.text
    assert 'data-testid="kb-script-publish"' in response.text


def test_a_stale_node_save_is_told_and_the_editors_input_is_kept(client, world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)
    login(client, world, "vsaa_staff")
    assert 'name="version" value="1"' in client.get(f"/knowledge/scripts/{script.pk}/nodes/info/").text
    services.script_save(actor=actor_of("vsaa_admin"), script=script, expected_version=1, graph=SOUND_GRAPH)

    response = client.post(
        f"/knowledge/scripts/{script.pk}/nodes/info/",
        _node_data(1, kind="note", text_lv="Mans teksts", next="end-informed"),
    )

    assert response.status_code == 409
    assert 'data-testid="kb-script-conflict"' in response.text
    assert "Mans teksts" in response.text  # nothing lost
    assert 'name="version" value="2"' in response.text
    assert ScriptVersion.objects.filter(script=script).count() == 2
    assert _graph(script)["nodes"]["info"]["text_lv"] == "Pastāstiet par pabalstu."

    again = client.post(
        f"/knowledge/scripts/{script.pk}/nodes/info/",
        _node_data(2, kind="note", text_lv="Mans teksts", next="end-informed"),
    )
    assert again.status_code == 302 and _graph(script)["nodes"]["info"]["text_lv"] == "Mans teksts"


def test_changing_a_nodes_kind_keeps_its_texts_and_asks_for_the_rest(client, world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)
    login(client, world, "vsaa_staff")

    response = client.post(
        f"/knowledge/scripts/{script.pk}/nodes/info/",
        _node_data(1, kind="end", text_lv="Beigas", next="file"),
    )

    assert response.status_code == 302 and response.url == f"/knowledge/scripts/{script.pk}/nodes/info/"
    assert _graph(script)["nodes"]["info"] == {
        "kind": "end",
        "text_lv": "Beigas",
        "text_en": "",
        "outcome": "",
    }
    assert 'name="outcome"' in client.get(response.url).text


def test_removing_a_node_leaves_what_led_to_it_without_a_target(client, world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)
    login(client, world, "vsaa_staff")

    response = client.post(f"/knowledge/scripts/{script.pk}/nodes/file/remove/", {"version": 1})

    assert response.status_code == 302
    graph = _graph(script)
    assert "file" not in graph["nodes"]
    assert [o["next"] for o in graph["nodes"]["q1"]["options"]] == ["info", ""]
    start = client.post(f"/knowledge/scripts/{script.pk}/nodes/start/remove/", {"version": 2})
    assert start.status_code == 302 and "start" in _graph(script)["nodes"]


def test_a_notes_links_must_be_articles_one_may_read_and_existing_services(client, world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)
    readable = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"))
    hidden = article_make(agency=world.pmlp, audience=ArticleAudience.HOLDERS)
    login(client, world, "vsaa_staff")
    url = f"/knowledge/scripts/{script.pk}/nodes/info/"

    refused = client.post(
        url, _node_data(1, kind="note", text_lv="x", next="file", articles=f"{hidden.pk}", services="9999")
    )
    saved = client.post(
        url,
        _node_data(
            1, kind="note", text_lv="x", next="file", articles=f"{readable.pk}", services="1011, 1031"
        ),
    )

    assert refused.status_code == 400
    assert f"No article you may read has the number {hidden.pk}." in refused.text
    assert "No service has the code 9999." in refused.text
    assert saved.status_code == 302
    assert _graph(script)["nodes"]["info"]["links"] == [
        {"article": readable.pk},
        {"service": "1011"},
        {"service": "1031"},
    ]


def test_an_answer_needs_its_latvian_text(client, world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)
    login(client, world, "vsaa_staff")

    response = client.post(
        f"/knowledge/scripts/{script.pk}/nodes/q1/",
        _node_data(
            1,
            kind="question",
            text_lv="?",
            option_0_label_lv="Jā",
            option_0_next="info",
            option_2_next="file",
        ),
    )

    assert response.status_code == 400
    assert "Give the answer&#x27;s Latvian text, or clear the whole row." in response.text
    assert ScriptVersion.objects.filter(script=script).count() == 1


def test_the_script_list_offers_the_editor_to_its_editors_only(client, world, actor_of):
    script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"))
    login(client, world, "vsaa_staff")
    assert 'data-testid="kb-script-edit"' in client.get("/knowledge/scripts/").text
    assert 'data-testid="kb-script-new"' in client.get("/knowledge/scripts/").text
    client.logout()
    login(client, world, "centre_specialist")
    listing = client.get("/knowledge/scripts/").text
    assert 'data-testid="kb-script-edit"' not in listing and 'data-testid="kb-script-new"' not in listing


WRONG_PEOPLE = ["pmlp_staff", "centre_specialist", "citizen", "anonymous"]


def _actions(script):
    base = f"/knowledge/scripts/{script.pk}"
    return [
        ("get", f"{base}/edit/", None),
        ("get", f"{base}/nodes/info/", None),
        ("post", f"{base}/add-node/", {"version": 1, "kind": "end", "name": "mine"}),
        ("post", f"{base}/nodes/info/", _node_data(1, kind="note", text_lv="Uzlauzts", next="file")),
        ("post", f"{base}/nodes/file/remove/", {"version": 1}),
        ("post", f"{base}/publish/", {"version": 1}),
    ]


@pytest.mark.parametrize("published", [True, False], ids=["published", "draft"])
@pytest.mark.parametrize("who", WRONG_PEOPLE)
def test_every_editor_action_is_refused_to_anyone_else_and_nothing_changes(
    client, world, actor_of, who, published
):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=published)
    login(client, world, who)

    for method, url, data in _actions(script):
        response = getattr(client, method)(url, data or {})

        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response.url, url
        elif who in ("pmlp_staff", "centre_specialist") and published and method == "post":
            assert response.status_code == 403, url  # they see the published script: refused
        else:
            assert response.status_code == 404, url  # a draft, or a citizen: not found
    script.refresh_from_db()
    assert script.version == 1 and ScriptVersion.objects.filter(script=script).count() == 1
    assert (script.published is not None) is published and _graph(script) == SOUND_GRAPH
    refusals = AuditEvent.objects.filter(action="kb.script_edit_refused", object_id=str(script.pk)).count()
    assert refusals == (4 if who in ("pmlp_staff", "centre_specialist") and published else 0)


@pytest.mark.parametrize(
    "who", ["centre_specialist", "citizen", "anonymous", "centre_admin", "platform_admin"]
)
def test_only_agency_staff_create_a_script(client, world, who):
    login(client, world, who)

    page = client.get("/knowledge/scripts/new/")
    response = client.post("/knowledge/scripts/new/", {"title_lv": "Mans", "text_lv": "x"})

    assert page.status_code in (302, 404) and response.status_code in (302, 404)
    assert not Script.objects.exists()
