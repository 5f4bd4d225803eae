"""The pages as every role: what each sees, and every hidden action POSTed directly is refused with
nothing changed."""

import pytest
from django.utils import translation

from audit.models import AuditEvent
from knowledge_base import services
from knowledge_base.constants import ArticleAudience
from knowledge_base.models import Article, CentreNote, ScriptRun, Subscription

from .factories import article_make, script_make


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


@pytest.fixture
def public(world, actor_of):
    article = article_make(
        agency=world.vsaa,
        actor=actor_of("vsaa_staff"),
        title_lv="Bērna piedzimšanas pabalsts",
        topic=world.family,
        services=[world.benefit],
        content_lv={
            "sections": {"who_may_apply": "Viens no vecākiem. <script>alert(1)</script>"},
            "faq": [{"q": "Cik ilgi jāgaida?", "a": "Desmit **darba** dienas."}],
        },
    )
    services.centre_note_save(
        actor=actor_of("centre_specialist"), article=article, text="Valmierā bez pieraksta."
    )
    return article


@pytest.fixture
def providers(world, actor_of):
    return article_make(
        agency=world.vsaa,
        actor=actor_of("vsaa_staff"),
        audience=ArticleAudience.PROVIDERS,
        title_lv="Izmaksas kārtība",
    )


@pytest.mark.parametrize(
    ("who", "sees_providers", "sees_notes"),
    [
        ("anonymous", False, False),
        ("citizen", False, False),
        ("centre_specialist", True, True),
        ("vsaa_staff", True, True),
        ("pmlp_staff", True, True),
    ],
)
def test_the_list_and_the_article_page_as_each_role(
    client, world, public, providers, who, sees_providers, sees_notes
):
    login(client, world, who)

    listing = client.get("/knowledge/?q=pabalsts")
    page = client.get(public.get_absolute_url())
    hidden = client.get(providers.get_absolute_url())

    assert listing.status_code == 200 and "Bērna piedzimšanas pabalsts" in listing.text
    assert page.status_code == 200
    assert "Cik ilgi jāgaida?" in page.text and "<strong>darba</strong>" in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert ("Valmierā bez pieraksta." in page.text) is sees_notes
    assert hidden.status_code == (200 if sees_providers else 404)


def test_an_editor_sees_the_edit_link_and_others_do_not(client, world, public):
    login(client, world, "vsaa_staff")
    assert 'data-testid="kb-edit"' in client.get(public.get_absolute_url()).text
    client.logout()
    login(client, world, "pmlp_staff")
    assert 'data-testid="kb-edit"' not in client.get(public.get_absolute_url()).text
    assert client.get(f"/knowledge/articles/{public.pk}/edit/").status_code == 404


def _form_data(article, **changes):
    data = {
        "version": article.version,
        "title_lv": article.title_lv,
        "title_en": "",
        "summary_lv": "",
        "summary_en": "",
        "topic": article.topic_id,
        "audience": article.audience,
        "services": [s.code for s in article.services.all()],
        "review_on": article.review_on.isoformat(),
        "publish_from": article.publish_from.date().isoformat() if article.publish_from else "",
        "publish_until": "",
        "who_may_apply_lv": article.content_lv["sections"].get("who_may_apply", ""),
        "faq_lv": "Cik ilgi jāgaida?\nDesmit **darba** dienas.",
    }
    data.update(changes)
    return data


def test_an_editor_edits_through_the_page_and_a_version_is_kept(client, world, public):
    login(client, world, "vsaa_staff")

    response = client.post(
        f"/knowledge/articles/{public.pk}/edit/", _form_data(public, title_lv="Jauns virsraksts")
    )

    assert response.status_code == 302
    public.refresh_from_db()
    assert public.title_lv == "Jauns virsraksts" and public.version == 2
    assert public.publish_from is not None
    diff = client.get(f"/knowledge/articles/{public.pk}/versions/2/")
    assert diff.status_code == 200 and "<ins>" in diff.text and "Jauns virsraksts" in diff.text


def test_the_edit_form_carries_the_version_hidden(client, world, public):
    login(client, world, "vsaa_staff")

    response = client.get(f"/knowledge/articles/{public.pk}/edit/")

    assert '<input type="hidden" name="version" value="1"' in response.text


def test_a_stale_save_is_told_and_the_editors_text_is_kept(client, world, public, actor_of):
    from .factories import data_of

    services.article_edit(
        actor=actor_of("vsaa_admin"),
        article=public,
        expected_version=1,
        data=data_of(public, title_lv="Kolēģa"),
    )
    login(client, world, "vsaa_staff")

    response = client.post(
        f"/knowledge/articles/{public.pk}/edit/", _form_data(public, version=1, title_lv="Mans virsraksts")
    )

    assert response.status_code == 409
    assert 'data-testid="kb-conflict"' in response.text
    assert 'value="Mans virsraksts"' in response.text  # nothing lost
    assert '<input type="hidden" name="version" value="2"' in response.text
    public.refresh_from_db()
    assert public.title_lv == "Kolēģa" and public.version == 2


@pytest.mark.parametrize("who", ["pmlp_staff", "centre_specialist", "citizen"])
def test_posting_an_edit_of_another_agencys_article_is_refused_and_audited(client, world, public, who):
    login(client, world, who)

    response = client.post(f"/knowledge/articles/{public.pk}/edit/", _form_data(public, title_lv="Uzlauzts"))

    assert response.status_code == 403
    public.refresh_from_db()
    assert public.title_lv == "Bērna piedzimšanas pabalsts" and public.version == 1
    assert AuditEvent.objects.filter(action="kb.article_edit_refused", object_id=str(public.pk)).exists()


def test_posting_an_edit_of_a_holders_article_one_may_not_read_is_not_found(client, world, actor_of):
    hidden = article_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), audience=ArticleAudience.HOLDERS)
    login(client, world, "pmlp_staff")

    response = client.post(f"/knowledge/articles/{hidden.pk}/edit/", _form_data(hidden, title_lv="x"))

    assert response.status_code == 404
    hidden.refresh_from_db()
    assert hidden.version == 1


@pytest.mark.parametrize("who", ["anonymous", "citizen", "vsaa_staff", "pmlp_staff"])
def test_posting_a_centre_note_without_a_centre_role_is_refused(client, world, public, who):
    login(client, world, who)

    response = client.post(f"/knowledge/articles/{public.pk}/note/", {"text": "Mūsu piezīme"})

    assert response.status_code == (302 if who == "anonymous" else 403)  # anonymous: to the login
    assert list(CentreNote.objects.values_list("text", flat=True)) == ["Valmierā bez pieraksta."]


def test_a_centre_specialist_saves_a_note_through_the_page(client, world, public):
    login(client, world, "centre_admin")

    response = client.post(f"/knowledge/articles/{public.pk}/note/", {"text": "Jauna piezīme"})

    assert response.status_code == 302
    assert list(CentreNote.objects.values_list("text", flat=True)) == ["Jauna piezīme"]


@pytest.mark.parametrize(
    "who", ["anonymous", "citizen", "centre_specialist", "centre_admin", "platform_admin"]
)
def test_creating_an_article_is_for_agency_staff_only(client, world, who):
    login(client, world, who)

    assert client.get("/knowledge/articles/new/?kind=faq").status_code in (302, 404)
    response = client.post("/knowledge/articles/new/?kind=faq", {"title_lv": "x"})

    assert response.status_code in (302, 404)
    assert not Article.objects.exists()


def test_an_editor_creates_an_article_through_the_pages(client, world):
    login(client, world, "vsaa_staff")
    assert client.get("/knowledge/articles/new/").status_code == 200

    response = client.post(
        "/knowledge/articles/new/?kind=faq",
        {
            "title_lv": "Biežāk uzdotie jautājumi",
            "topic": world.family.pk,
            "audience": "public",
            "review_on": "2030-01-01",
            "publish_from": "2020-01-01",
            "faq_lv": "Kur?\nPortālā.",
        },
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.owner_agency == world.vsaa and article.html_lv["faq"] == [
        {"q": "Kur?", "a": "<p>Portālā.</p>"}
    ]


def test_subscribing_and_unsubscribing_through_the_page(client, world):
    login(client, world, "centre_specialist")

    assert client.get("/knowledge/subscriptions/").status_code == 200
    assert client.post("/knowledge/subscriptions/", {"topic-topic": "family"}).status_code == 302
    assert client.post("/knowledge/subscriptions/", {"service-service": "1011"}).status_code == 302
    assert Subscription.objects.count() == 2

    subscription = Subscription.objects.first()
    client.logout()
    login(client, world, "centre_admin")
    assert client.post(f"/knowledge/subscriptions/{subscription.pk}/remove/").status_code == 404
    assert Subscription.objects.count() == 2
    client.logout()
    login(client, world, "centre_specialist")
    assert client.post(f"/knowledge/subscriptions/{subscription.pk}/remove/").status_code == 302
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize("who", ["citizen"])
def test_citizens_have_no_subscriptions_or_scripts(client, world, who):
    login(client, world, who)

    assert client.get("/knowledge/subscriptions/").status_code == 404
    assert client.post("/knowledge/subscriptions/", {"topic-topic": "family"}).status_code == 404
    assert client.get("/knowledge/scripts/").status_code == 404
    assert not Subscription.objects.exists()


def test_a_specialist_runs_a_script_one_node_a_page(client, world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"))
    login(client, world, "centre_specialist")

    response = client.post(f"/knowledge/scripts/{script.pk}/start/")
    run = ScriptRun.objects.get()
    assert response.status_code == 302 and response.url == f"/knowledge/runs/{run.pk}/"
    assert "Sveiciens" in client.get(response.url).text
    client.post(response.url)  # start → question
    assert client.post(response.url, {"answer": "9"}).status_code == 400  # not an offered answer
    client.post(response.url, {"answer": "1"})  # "Nē" → end: case to file
    finish = client.post(f"/knowledge/runs/{run.pk}/finish/")

    assert finish.status_code == 302
    run.refresh_from_db()
    assert run.outcome == "case_to_file" and run.is_finished
    assert [step["node"] for step in run.path] == ["start", "q1", "file"]


def test_nobody_else_sees_or_steps_a_run(client, world, actor_of):
    script = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"))
    run = services.script_run_start(actor=actor_of("centre_specialist"), script=script)
    login(client, world, "centre_admin")

    assert client.get(f"/knowledge/runs/{run.pk}/").status_code == 404
    assert client.post(f"/knowledge/runs/{run.pk}/").status_code == 404
    assert client.post(f"/knowledge/runs/{run.pk}/finish/", {"outcome": "informed"}).status_code == 404
    run.refresh_from_db()
    assert run.current_node == "start" and not run.is_finished


def test_a_draft_script_cannot_be_started_by_a_centre(client, world, actor_of):
    draft = script_make(agency=world.vsaa, actor=actor_of("vsaa_staff"), publish=False)
    login(client, world, "centre_specialist")

    assert client.post(f"/knowledge/scripts/{draft.pk}/start/").status_code == 404
    assert not ScriptRun.objects.exists()


def test_the_catalogue_service_page_shows_the_public_faq(client, world, public, providers):
    response = client.get("/services/1011/")

    assert response.status_code == 200
    assert 'data-testid="service-faq"' in response.text
    assert "Cik ilgi jāgaida?" in response.text and "<strong>darba</strong>" in response.text
    assert "Valmierā bez pieraksta." not in response.text


def test_a_service_page_without_articles_shows_no_faq(client, world):
    assert 'data-testid="service-faq"' not in client.get("/services/1031/").text
