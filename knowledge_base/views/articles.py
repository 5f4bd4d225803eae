"""Pages of articles: the search/list (citizens see public articles only), an article's page with
its centre notes and history, a version's diff, writing and editing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import selectors as catalogue_selectors
from kernel.errors import DomainError
from kernel.forms import form_add_domain_error

from .. import rules, selectors, services
from ..constants import SECTION_LABELS, TEMPLATES, ArticleKind
from ..content import stored_html
from ..exceptions import ArticleVersionConflict, ArticleVersionNotFound
from ..forms import ArticleForm, KindForm, NoteForm, SearchForm
from .common import PAGE_SIZE, actor_of, article_or_404, official_required, require_official, viewer_of

# --- search and list -------------------------------------------------------------------------------


def index(request):
    viewer = viewer_of(request)
    form = SearchForm(
        request.GET or None,
        topics=selectors.topics(),
        audiences=viewer.audiences | ({"holders"} if viewer.agency_ids else set()),
        agencies=catalogue_selectors.agencies().order_by("code") if viewer.is_official else (),
    )
    filters = {key: value for key, value in (form.cleaned_data if form.is_valid() else {}).items() if value}
    if form.is_bound and not form.is_valid():
        filters = {"q": (request.GET.get("q") or "")[:200]}
    page = selectors.article_search_page(
        page_number=request.GET.get("page"), page_size=PAGE_SIZE, viewer=viewer, **filters
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "knowledge_base/index.html",
        {
            "form": form,
            "page": page,
            "searching": bool(filters),
            "query": query.urlencode(),
            "viewer": viewer,
            "to_review": list(selectors.articles_to_review(viewer=viewer)[:20]) if viewer.agency_ids else [],
            "may_create": rules.article_create_allowed(viewer=viewer),
        },
    )


# --- an article --------------------------------------------------------------------------------------


def _display(article) -> dict:
    """The rendered content of the page's language, its HTML marked safe: it was rendered from
    Markdown and sanitised by nh3 when the article was saved (content.render_content)."""
    html = article.html
    template = TEMPLATES[article.kind]
    return {
        "sections": [
            (key, SECTION_LABELS[key], stored_html(html["sections"][key]))
            for key in template.sections
            if (html.get("sections") or {}).get(key)
        ],
        "faq": [(pair["q"], stored_html(pair["a"])) for pair in html.get("faq") or []],
        "links": [(link["url"], link["title"]) for link in html.get("links") or []],
        "steps": [stored_html(step) for step in html.get("steps") or []],
    }


def _article_page(request, viewer, article, *, note_form=None, status=200):
    page = selectors.article_page(viewer=viewer, article=article)
    own_note = next((n for n in page.notes if n.centre_id in viewer.centre_ids), None)
    may_note = rules.centre_note_allowed(article, viewer=viewer)
    return render(
        request,
        "knowledge_base/article.html",
        {
            "page": page,
            "article": article,
            "content": _display(article),
            "viewer": viewer,
            "may_edit": rules.article_edit_allowed(article, viewer=viewer),
            "may_note": may_note,
            "may_subscribe": rules.subscription_allowed(viewer=viewer),
            "note_form": note_form
            or (NoteForm(initial={"text": own_note.text if own_note else ""}) if may_note else None),
        },
        status=status,
    )


def article_detail(request, pk: int):
    viewer = viewer_of(request)
    return _article_page(request, viewer, article_or_404(viewer, pk))


def article_version(request, pk: int, number: int):
    viewer = viewer_of(request)
    require_official(viewer)
    article = article_or_404(viewer, pk)
    try:
        shown = selectors.article_version_diff(article=article, number=number)
    except ArticleVersionNotFound:
        raise Http404 from None
    return render(request, "knowledge_base/version.html", {"article": article, "diff": shown})


@require_POST
@official_required
def article_note(request, pk: int):
    viewer = viewer_of(request)
    article = article_or_404(viewer, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.centre_note_save(
                actor=actor_of(request, viewer), article=article, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Your centre's note is saved."))
            return redirect(article.get_absolute_url() + "#centre-notes")
    return _article_page(request, viewer, article, note_form=form, status=400)


# --- writing articles ------------------------------------------------------------------------------


def _article_form(data, *, kind, agency_id, initial=None):
    return ArticleForm(
        data,
        kind=kind,
        topics=selectors.topics(),
        services=catalogue_selectors.services_of_agencies(agency_ids=[agency_id]),
        life_events=catalogue_selectors.life_event_list(),
        initial=initial,
    )


@official_required
def article_create(request):
    viewer = viewer_of(request)
    if not rules.article_create_allowed(viewer=viewer):
        raise Http404
    agency = catalogue_selectors.agencies(ids=sorted(viewer.agency_ids)).order_by("code").first()
    kind_form = KindForm(request.GET or None)
    if not kind_form.is_valid():
        return render(
            request, "knowledge_base/article_kind.html", {"kind_form": KindForm(), "agency": agency}
        )
    kind = kind_form.cleaned_data["kind"]
    form = _article_form(request.POST if request.method == "POST" else None, kind=kind, agency_id=agency.pk)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                article = services.article_create(
                    actor=actor_of(request, viewer), owner_agency=agency, kind=kind, data=form.to_data()
                )
            except DomainError as error:
                form_add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The article is saved."))
                return redirect(article.get_absolute_url())
    return render(
        request,
        "knowledge_base/article_form.html",
        {"form": form, "kind": ArticleKind(kind), "agency": agency, "article": None},
        status=status,
    )


@official_required
def article_edit(request, pk: int):
    viewer = viewer_of(request)
    article = article_or_404(viewer, pk)
    if not rules.article_edit_allowed(article, viewer=viewer) and request.method != "POST":
        raise Http404
    conflict = None
    status = 200
    if request.method == "POST":
        form = _article_form(request.POST, kind=article.kind, agency_id=article.owner_agency_id)
        status = 400
        if form.is_valid():
            try:
                services.article_edit(
                    actor=actor_of(request, viewer),
                    article=article,
                    expected_version=form.cleaned_data.get("version") or 0,
                    data=form.to_data(article),
                )
            except ArticleVersionConflict as error:
                # nothing lost: the editor's text stays in the form; the version moves to the current
                # one, so saving again (after comparing) is a deliberate choice
                current = error.extra["current_version"]
                data = request.POST.copy()
                data["version"] = str(current)
                form = _article_form(data, kind=article.kind, agency_id=article.owner_agency_id)
                form.is_valid()
                form_add_domain_error(form, error)
                conflict = {
                    "current_version": current,
                    "diff": selectors.article_version_diff(article=article, number=current),
                }
                status = error.status
            except DomainError as error:
                if error.status == 403:
                    raise
                form_add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The article is saved."))
                return redirect(article.get_absolute_url())
    else:
        form = _article_form(
            None,
            kind=article.kind,
            agency_id=article.owner_agency_id,
            initial=ArticleForm.initial_of(article),
        )
    return render(
        request,
        "knowledge_base/article_form.html",
        {
            "form": form,
            "kind": ArticleKind(article.kind),
            "agency": article.owner_agency,
            "article": article,
            "conflict": conflict,
        },
        status=status,
    )
