#!/usr/bin/env python
"""Knowledge base: search over 5,000 articles and an article page with 200 versions, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres pspp_bench_kb          # once (its own database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench_kb .venv/bin/python bench/kb_search.py --generate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench_kb .venv/bin/python bench/kb_search.py

`--generate` migrates the database, loads the pilot catalogue and the demo people and content, and
adds generated articles up to `--articles` (default 5,000; Latvian titles and bodies made of the
pilot's words, every audience, every pilot agency) and one article with 200 versions. The
articles are written in bulk with the same rendering and search text the services give them
(knowledge_base.content, knowledge_base.search), then their full-text vectors in one UPDATE.

The measurement goes through the whole Django stack in-process (django.test.Client: middleware,
session, view, selector, template) as Ilze, the Valmiera centre specialist: the server's time
without the network. It prints, per query, the search page's median and p95 and its number of
queries, the selector alone, and the article page with 200 versions (time and queries). The issue's
target: a typical search's median under 20 ms, a fixed number of queries.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pspp_bench_kb")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

QUERIES = [
    "berna pabalst",
    "pabalsts",
    "bērna piedzimšanas pabalsts",
    "izzina registrs",
    "dzivesvietas deklaresana",
    "piedzimsanss",
    "x" * 2_000,
]
WORDS_A = ["Bērna", "Vecāku", "Slimības", "Apbedīšanas", "Bezdarbnieka", "Pases", "Uzņēmuma", "Kadastra",
           "Nekustamā īpašuma", "Dzīvesvietas", "Ģimenes", "Invaliditātes", "Pensijas", "Nodokļa"]  # fmt: skip
WORDS_B = ["piedzimšanas", "kopšanas", "deklarēšanas", "izsniegšanas", "reģistrācijas", "likvidācijas",
           "pārreģistrācijas", "pagarināšanas", "izmaksas", "aprēķina", "pieteikšanās"]  # fmt: skip
WORDS_C = ["pabalsts", "izziņa", "atļauja", "kārtība", "termiņi", "iesniegums", "maksājums", "lēmums",
           "pārbaude", "konsultācija"]  # fmt: skip
BODY = ["klients", "var", "pieteikties", "portālā", "vai", "klātienē", "centrā", "iesniegums", "jāparaksta", "ar", "drošu", "e-parakstu", "lēmumu", "pieņem", "desmit", "darba", "dienu", "laikā", "pabalstu", "izmaksā", "uz", "norādīto", "kontu", "vecāki", "bērni", "ģimene", "dokumenti", "personas", "apliecība", "pase", "eID", "internetbanka", "pilnvarojums", "termiņš", "atteikums"]  # fmt: skip


SEEDS = ROOT.parent / "shared" / "seeds"


def corpus_words() -> list[str]:
    """Real Latvian text for the bodies: the seed documents' words when they are at hand (../shared/
    seeds), else a small built-in vocabulary."""
    words = []
    for path in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
        words += [w for w in path.read_text(encoding="utf-8", errors="replace").split() if w.isalpha()]
    return words if len(words) > 1000 else BODY * 50


def generate(total: int) -> None:
    from catalogue.demo import load_pilot_catalogue
    from eaccount.demo import load_demo_people
    from knowledge_base import search
    from knowledge_base.constants import ArticleAudience, ArticleKind
    from knowledge_base.content import render_content
    from knowledge_base.demo import load_demo_knowledge
    from knowledge_base.models import Article, ArticleVersion, Topic
    from knowledge_base.versions import content_text

    call_command("migrate", verbosity=0)
    load_pilot_catalogue()
    people = load_demo_people()
    load_demo_knowledge(people)
    from catalogue.selectors import service_list_visible

    services = list(service_list_visible(is_official=True).select_related("agency"))
    topics = list(Topic.objects.all())
    rng = random.Random(14)
    words = corpus_words()
    missing = total - Article.objects.count()
    now = timezone.now()
    today = timezone.localdate()
    batch, links = [], []
    for n in range(max(missing, 0)):
        service = rng.choice(services)
        title = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {rng.choice(WORDS_C)} {n}"
        start = rng.randrange(len(words) - 120)
        body = " ".join(words[start : start + 120])
        content = {
            "sections": {
                "who_may_apply": body[:200],
                "documents": body[200:],
                "deadlines": "10 darba dienas.",
            },
            "faq": [{"q": f"{rng.choice(WORDS_A)} {rng.choice(WORDS_C)}?", "a": body[:120]}],
        }
        audience = rng.choice(
            [ArticleAudience.PUBLIC] * 3 + [ArticleAudience.PROVIDERS, ArticleAudience.HOLDERS]
        )
        article = Article(
            topic=rng.choice(topics),
            kind=ArticleKind.SERVICE_EXPLAINED,
            audience=audience,
            owner_agency=service.agency,
            title_lv=title,
            content_lv=content,
            html_lv=render_content(ArticleKind.SERVICE_EXPLAINED, content),
            review_on=today.replace(year=today.year + 1),
            publish_from=now,
            search_text=search.article_search_text(
                [
                    title,
                    content_text(ArticleKind.SERVICE_EXPLAINED, content),
                    service.code,
                    service.title_lv,
                    service.agency.code,
                    service.agency.name_lv,
                ]
            ),
            search_title=search.article_search_text([title]),
        )
        batch.append(article)
        links.append(service)
    created = Article.objects.bulk_create(batch, batch_size=500)
    Article.services.through.objects.bulk_create(
        [
            Article.services.through(article_id=a.pk, service_id=s.pk)
            for a, s in zip(created, links, strict=True)
        ],
        batch_size=1000,
    )
    ArticleVersion.objects.bulk_create(
        [ArticleVersion(article=a, number=1, snapshot={"title_lv": a.title_lv}, changes=["title_lv"],
                        author_label="bench", at=now) for a in created],
        batch_size=1000,
    )  # fmt: skip
    Article.objects.filter(search_vector__isnull=True).update(
        search_vector=search.search_vector(), title_vector=search.title_vector()
    )
    # one public article with 200 versions
    many = Article.objects.filter(title_lv="Bērna piedzimšanas pabalsts").first()
    if many is not None and many.versions.count() < 200:
        last = many.versions.order_by("-number").first()
        ArticleVersion.objects.bulk_create(
            ArticleVersion(article=many, number=last.number + k, snapshot=last.snapshot | {"title_lv": f"v{k}"},
                           changes=["title_lv"], author_label="Edgars Zariņš", at=now)
            for k in range(1, 201 - last.number)
        )  # fmt: skip
        Article.objects.filter(pk=many.pk).update(version=200)
    with connection.cursor() as cursor:  # as autovacuum would: the GIN pending list merged, statistics
        cursor.execute("VACUUM ANALYZE knowledge_base_article")
    print(f"{Article.objects.count()} articles")


class QueryCount:
    """Counts the queries run inside it (an execute wrapper: the request's own reset of
    connection.queries does not lose them)."""

    def __enter__(self):
        self.count = 0
        self._wrapper = connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        return self

    def _count(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def timed(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        reset_queries()
    return times


def measure(repeat: int) -> None:
    from eaccount.demo import DEMO_PERSONS
    from eaccount.models import Person
    from knowledge_base import rules, selectors
    from knowledge_base.models import Article

    ilze = Person.objects.get(personal_code=DEMO_PERSONS["centre_specialist"][0]).user
    client = Client()
    client.force_login(ilze)
    session = client.session
    session["assurance_level"] = "high"
    session.save()
    viewer = rules.viewer_for(ilze)
    print(f"database: {connection.vendor}, {Article.objects.count()} articles, load {os.getloadavg()[0]:.1f}")
    print(f"{'query':30} {'page med':>9} {'page p95':>9} {'queries':>8} {'select med':>10} {'hits':>6}")
    typical = []
    for q in QUERIES:

        def page(q=q):
            assert client.get("/knowledge/", {"q": q}).status_code == 200

        def selector(q=q):
            found = selectors.article_search_page(page_number=1, viewer=viewer, q=q)
            list(found)
            return found.paginator.count

        with QueryCount() as captured:
            page()
        hits = selector()
        p, s = timed(page, repeat), timed(selector, repeat)
        if q == "berna pabalst":
            typical = p
        label = q if len(q) < 28 else f"{q[:10]}… ({len(q)} chars)"
        print(
            f"{label:30} {statistics.median(p):8.1f}ms {percentile(p, 95):8.1f}ms "
            f"{captured.count:8d} {statistics.median(s):9.1f}ms {hits:6d}"
        )
    many = Article.objects.filter(title_lv="Bērna piedzimšanas pabalsts").first()
    if many is not None:
        url = many.get_absolute_url()
        with QueryCount() as captured:
            assert client.get(url).status_code == 200
        a = timed(lambda: client.get(url), repeat)
        print(
            f"article page, {many.versions.count()} versions: median {statistics.median(a):.1f} ms, "
            f"p95 {percentile(a, 95):.1f} ms, {captured.count} queries"
        )
    print(f"TYPICAL ('berna pabalst'): median {statistics.median(typical):.1f} ms (target < 20 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--generate", action="store_true", help="migrate and fill the database first")
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/pspp_bench_kb).")
    if args.generate:
        generate(args.articles)
    measure(args.repeat)


if __name__ == "__main__":
    main()
