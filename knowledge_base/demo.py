"""Demo content of the knowledge base (issue 14, item 9): topics; an article for every pilot
service, generated from the catalogue's facts (fee, processing time, channels); articles written in
Latvian from the seeds (VSAA's childbirth benefit with its FAQ, a providers' note on consulting on
it, PMLP's eID questions, VARAM's "how to start using e-services" from the campaign guide 001_…);
the Valmiera centre's note on the childbirth benefit; Ilze following the family topic; and the call
script "a caller asks how to get the childbirth benefit".

    from knowledge_base.demo import load_demo_knowledge
    load_demo_knowledge(people)        # people: eaccount.demo.load_demo_people()'s dict

Idempotent: what exists (matched by agency and Latvian title) is left as it is.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from catalogue import selectors as catalogue_selectors
from kernel.actors import Actor

from . import services
from .constants import ArticleAudience, ArticleKind
from .models import Article, CentreNote, Script, Subscription, Topic

SYSTEM = Actor.system("demo knowledge base")

TOPICS = {
    # slug: (Latvian, English)
    "family": ("Ģimene un bērni", "Family and children"),
    "social-insurance": ("Sociālā apdrošināšana un pabalsti", "Social insurance and benefits"),
    "documents": ("Personu apliecinoši dokumenti un reģistri", "Identity documents and registers"),
    "e-services": ("E-pakalpojumi, eID un e-paraksts", "E-services, eID and e-signature"),
    "taxes": ("Nodokļi", "Taxes"),
    "business": ("Uzņēmējdarbība", "Business"),
    "other": ("Citi pakalpojumi", "Other services"),
}
AGENCY_TOPICS = {"VSAA": "social-insurance", "PMLP": "documents", "VID": "taxes", "UR": "business"}

CHILDBIRTH_TITLE = "Bērna piedzimšanas pabalsts"
CHILDBIRTH = {
    "summary_lv": "Vienreizējs pabalsts vienam no vecākiem pēc bērna piedzimšanas. Pieprasa 12 mēnešu laikā.",
    "summary_en": "A one-off benefit to one of the parents after a child is born. Apply within 12 months.",
    "content_lv": {
        "sections": {
            "who_may_apply": "Viens no bērna vecākiem (arī adoptētājs vai aizbildnis), ja bērns ir "
            "reģistrēts Latvijā. Pabalstu piešķir par katru bērnu.",
            "documents": "- iesniegums (e-pakalpojumā — aizpildāma forma);\n"
            "- personu apliecinošs dokuments, ja iesniedz klātienē;\n"
            "- konta numurs, uz kuru izmaksāt pabalstu.",
            "fees": "Pakalpojums ir **bez maksas**.",
            "deadlines": "Pieprasa **12 mēnešu laikā** pēc bērna dzimšanas. VSAA lēmumu pieņem "
            "10 darba dienu laikā un paziņo e-adresē vai pa pastu.",
            "channels": "E-pakalpojums portālā (pieslēdzas ar eID, eParaksts mobile vai internetbanku), "
            "VSAA klientu apkalpošanas centrs, valsts un pašvaldību vienotais klientu apkalpošanas centrs "
            "(VPVKAC) vai pa pastu.",
            "common_refusals": "Pieprasīts vēlāk nekā 12 mēnešus pēc dzimšanas; bērns nav reģistrēts; "
            "pabalsts par šo bērnu jau piešķirts otram no vecākiem.",
        },
        "faq": [
            {
                "q": "Vai pabalstu var pieprasīt abi vecāki?",
                "a": "Nē. Pabalstu par vienu bērnu piešķir vienam no vecākiem; otra vecāka iesniegumu atteiks.",
            },
            {
                "q": "Vai bērnam vispirms jābūt reģistrētam?",
                "a": "Jā. Vispirms bērna dzimšana jāreģistrē dzimtsarakstu nodaļā (pakalpojums 2001), "
                "tad var pieprasīt pabalstu.",
            },
            {
                "q": "Kā pieteikties, ja nav eID?",
                "a": "Apmeklējiet tuvāko VPVKAC: speciālists pārbaudīs jūsu identitāti un ar jūsu rakstisku "
                "pilnvarojumu iesniegs e-pakalpojumu jūsu vārdā.",
            },
            {
                "q": "Cik ilgi jāgaida?",
                "a": "VSAA lēmumu pieņem 10 darba dienu laikā; naudu pārskaita uz norādīto kontu.",
            },
        ],
    },
    "content_en": {
        "sections": {
            "who_may_apply": "One of the child's parents (or an adoptive parent or guardian), "
            "when the child is registered in Latvia.",
            "deadlines": "Apply within **12 months** of the birth. VSAA decides within 10 working days.",
        },
        "faq": [
            {"q": "Can both parents apply?", "a": "No: the benefit for a child goes to one parent."},
            {
                "q": "How do I apply without an eID?",
                "a": "Visit a one-stop centre: a specialist files it for you.",
            },
        ],
    },
}
CHILDBIRTH_NOTE = (
    "**Valmieras VPVKAC** (Rīgas iela 25): pieņemam bez pieraksta darbdienās 8.30–17.00, ceturtdienās "
    "līdz 18.00. Klientiem bez eID palīdzam iesniegt e-pakalpojumu ar pilnvarojumu — paņemiet līdzi "
    "pasi vai eID karti un konta numuru."
)
PROVIDERS_TITLE = "Bērna piedzimšanas pabalsts: kā konsultēt klientu"
PROVIDERS_CONTENT = {
    "sections": {
        "before_you_start": "Pārliecinieties, ka bērna dzimšana ir reģistrēta, un noskaidrojiet, "
        "vai klientam ir eID vai internetbankas pieslēgums."
    },
    "steps": [
        "Ja klientam ir pieslēgums, parādiet e-pakalpojumu portālā un ļaujiet klientam to aizpildīt pašam.",
        "Ja klientam nav eID, piedāvājiet pilnvaroto e-pakalpojumu: pārbaudiet identitāti, izskaidrojiet datu "
        "apstrādi un saņemiet rakstisku pilnvarojumu divos eksemplāros.",
        "Iesniedziet e-pakalpojumu un pasakiet klientam, ka lēmums būs 10 darba dienu laikā.",
        "Reģistrējiet konsultāciju un atzīmējiet izmantoto rakstu.",
    ],
}
EID_TITLE = "eID karte un e-paraksts: biežāk uzdotie jautājumi"
EID_CONTENT = {
    "sections": {
        "introduction": "Personas apliecība jeb elektroniskā identifikācijas karte (eID) ir personu "
        "apliecinošs dokuments, ar ko var apliecināt identitāti klātienē un internetā un parakstīt "
        "dokumentus ar drošu e-parakstu."
    },
    "faq": [
        {
            "q": "Kas ir e-paraksts?",
            "a": "Personas paraksts elektroniskajā vidē; tam ir tāds pats juridiskais "
            "spēks kā ar roku parakstītam dokumentam.",
        },
        {
            "q": "Kur var saņemt eID un aktivizēt e-parakstu?",
            "a": "PMLP teritoriālajās nodaļās neatkarīgi no "
            "deklarētās dzīvesvietas. E-parakstu bez maksas var aktivizēt arī jau izsniegtā eID kartē.",
        },
        {
            "q": "Kā uzzināt, vai e-paraksts eID kartē ir aktivizēts?",
            "a": "Sertifikātus aktivizē, ja, "
            "pieprasot karti, tam piekrīt. Ja tolaik atteicāties, aktivizēšanu var pieprasīt visu kartes "
            "derīguma laiku jebkurā PMLP nodaļā.",
        },
        {
            "q": "Vai pieslēgšanās e-pakalpojumiem maksā?",
            "a": "Nē, autorizēšanās ir bez maksas. Ja kādā "
            "e-pakalpojuma solī jāmaksā, par to brīdina atsevišķi.",
        },
    ],
}
START_TITLE = "Kā sākt lietot e-pakalpojumus"
START_CONTENT = {
    "sections": {
        "before_you_start": "E-pakalpojumi ļauj saņemt valsts un pašvaldību pakalpojumus internetā "
        "visu diennakti. Daudziem pietiek ar internetbanku; visplašākās iespējas dod eID karte ar "
        "aktivizētu e-parakstu."
    },
    "steps": [
        "Sagatavojiet pieslēgšanās līdzekli: internetbanku, eParaksts mobile vai eID karti ar kartes lasītāju.",
        "Ja lietojat eID, instalējiet bezmaksas programmatūru no www.eparaksts.lv.",
        "Atrodiet pakalpojumu portāla katalogā un pieslēdzieties.",
        "Publiskā datorā pēc darba izrakstieties un aizveriet pārlūku.",
    ],
}

SCRIPT_TITLE = "Zvanītājs jautā, kā saņemt bērna piedzimšanas pabalstu"


def childbirth_script(article_id: int) -> dict:
    return {
        "start": "start",
        "nodes": {
            "start": {
                "kind": "start",
                "text_lv": "Sveicināti! Pajautājiet, par kuru bērnu zvanītājs interesējas, un pārliecinieties, "
                "ka runa ir par bērna piedzimšanas pabalstu.",
                "text_en": "Greet the caller and make sure they ask about the childbirth benefit.",
                "next": "registered",
            },
            "registered": {
                "kind": "question",
                "text_lv": "Vai bērna dzimšana jau ir reģistrēta dzimtsarakstu nodaļā?",
                "text_en": "Is the birth registered already?",
                "options": [
                    {"label_lv": "Jā", "label_en": "Yes", "next": "months"},
                    {"label_lv": "Nē", "label_en": "No", "next": "register-first"},
                ],
            },
            "register-first": {
                "kind": "note",
                "text_lv": "Vispirms jāreģistrē bērna dzimšana (pakalpojums 2001). Pabalstu var pieprasīt pēc tam.",
                "text_en": "The birth must be registered first (service 2001).",
                "links": [{"service": "2001"}],
                "next": "end-informed",
            },
            "months": {
                "kind": "question",
                "text_lv": "Vai kopš bērna dzimšanas pagājuši mazāk nekā 12 mēneši?",
                "text_en": "Were they born less than 12 months ago?",
                "options": [
                    {"label_lv": "Jā", "label_en": "Yes", "next": "eid"},
                    {"label_lv": "Nē", "label_en": "No", "next": "too-late"},
                    {"label_lv": "Nezina", "label_en": "Not sure", "next": "refer"},
                ],
            },
            "too-late": {
                "kind": "end",
                "text_lv": "Termiņš ir nokavēts: izskaidrojiet, ka pabalstu pieprasa 12 mēnešu laikā.",
                "text_en": "Too late: the benefit is claimed within 12 months.",
                "outcome": "informed",
            },
            "refer": {
                "kind": "end",
                "text_lv": "Ieteikt sazināties ar VSAA, lai precizētu datus.",
                "text_en": "Refer the caller to VSAA.",
                "outcome": "referred",
            },
            "eid": {
                "kind": "question",
                "text_lv": "Vai zvanītājam ir eID, eParaksts mobile vai internetbanka?",
                "text_en": "Does the caller have an eID means or an internet bank?",
                "options": [
                    {"label_lv": "Jā", "label_en": "Yes", "next": "explain-online"},
                    {"label_lv": "Nē", "label_en": "No", "next": "come-to-centre"},
                ],
            },
            "explain-online": {
                "kind": "note",
                "text_lv": "Izskaidrojiet e-pakalpojumu: pieslēgties portālā, aizpildīt formu, norādīt konta numuru.",
                "text_en": "Explain the e-service.",
                "links": [{"article": article_id}, {"service": "1011"}],
                "next": "end-informed",
            },
            "come-to-centre": {
                "kind": "note",
                "text_lv": "Aiciniet uz tuvāko VPVKAC ar pasi vai eID karti: speciālists iesniegs pilnvaroto "
                "e-pakalpojumu.",
                "text_en": "Invite them to a one-stop centre for an authorised e-service.",
                "links": [{"article": article_id}],
                "next": "end-case",
            },
            "end-informed": {
                "kind": "end",
                "text_lv": "Zvanītājs informēts.",
                "text_en": "The caller is informed.",
                "outcome": "informed",
            },
            "end-case": {
                "kind": "end",
                "text_lv": "Lieta tiks iesniegta VPVKAC.",
                "text_en": "A case is to be filed at a centre.",
                "outcome": "case_to_file",
            },
        },
    }


def _actor(person) -> Actor:
    return Actor(user=person.user) if person is not None and getattr(person, "user", None) else SYSTEM


def _existing(agency, title_lv: str) -> Article | None:
    return Article.objects.filter(owner_agency=agency, title_lv=title_lv).first()


def _service_facts(service) -> dict:
    fee = service.fee_eur
    channels = catalogue_selectors.service_page_channels(service=service)
    names = ", ".join(view.channel.name_lv for view in channels)
    names_en = ", ".join(view.channel.name_en or view.channel.name_lv for view in channels)
    return {
        "sections": {
            "fees": f"Maksa: **{fee:.2f} EUR**." if fee else "Pakalpojums ir **bez maksas**.",
            "deadlines": f"Iestāde pakalpojumu sniedz {service.processing_days} darba dienu laikā.",
            "channels": f"Pieteikties var: {names}." if names else "",
        },
        "faq": [],
    }, {
        "sections": {
            "fees": f"Fee: **EUR {fee:.2f}**." if fee else "The service is **free of charge**.",
            "deadlines": f"The agency provides the service within {service.processing_days} working days.",
            "channels": f"Apply: {names_en}." if names_en else "",
        },
        "faq": [],
    }


@transaction.atomic
def load_demo_knowledge(people: dict) -> dict[str, int]:
    """Load the demo content (see the module docstring); returns how many articles and scripts exist."""
    topics = {
        slug: Topic.objects.get_or_create(slug=slug, defaults={"name_lv": lv, "name_en": en})[0]
        for slug, (lv, en) in TOPICS.items()
    }
    today = timezone.localdate()
    published = timezone.now() - timedelta(days=30)
    edgars, maris = people.get("vsaa_staff"), people.get("vsaa_admin")
    laura, ilze = people.get("pmlp_admin"), people.get("centre_specialist")
    services_by_code = {
        s.code: s
        for s in catalogue_selectors.service_list_visible(is_official=True)
        .select_related("agency")
        .prefetch_related("life_events")
    }
    benefit = services_by_code.get("1011")
    child_birth = catalogue_selectors.life_event_get(code="child_birth") if benefit else None

    # the VSAA article on the childbirth benefit, written by Edgars and revised once by Māris
    article = None
    if benefit is not None:
        vsaa = benefit.agency
        article = _existing(vsaa, CHILDBIRTH_TITLE)
        if article is None:
            data = services.ArticleData(
                topic=topics["family"],
                audience=ArticleAudience.PUBLIC,
                title_lv=CHILDBIRTH_TITLE,
                title_en="Childbirth benefit",
                summary_lv=CHILDBIRTH["summary_lv"],
                summary_en=CHILDBIRTH["summary_en"],
                content_lv={**CHILDBIRTH["content_lv"], "faq": CHILDBIRTH["content_lv"]["faq"][:3]},
                content_en=CHILDBIRTH["content_en"],
                services=[benefit],
                life_events=[child_birth] if child_birth else [],
                review_on=today + timedelta(days=180),
                publish_from=published,
            )
            article = services.article_create(
                actor=_actor(edgars), owner_agency=vsaa, kind=ArticleKind.SERVICE_EXPLAINED, data=data
            )
            data.content_lv = CHILDBIRTH["content_lv"]  # Māris adds the fourth question
            services.article_edit(
                actor=_actor(maris) if maris else _actor(edgars),
                article=article,
                expected_version=1,
                data=data,
            )
        if ilze is not None and not CentreNote.objects.filter(article=article).exists():
            services.centre_note_save(actor=_actor(ilze), article=article, text=CHILDBIRTH_NOTE)
        if _existing(vsaa, PROVIDERS_TITLE) is None:
            services.article_create(
                actor=_actor(edgars),
                owner_agency=vsaa,
                kind=ArticleKind.HOW_TO_ESERVICE,
                data=services.ArticleData(
                    topic=topics["family"],
                    audience=ArticleAudience.PROVIDERS,
                    title_lv=PROVIDERS_TITLE,
                    title_en="Childbirth benefit: consulting a client",
                    content_lv=PROVIDERS_CONTENT,
                    services=[benefit],
                    review_on=today + timedelta(days=90),
                    publish_from=published,
                ),
            )

    # seeds: PMLP's eID questions, VARAM's "how to start" (campaign guide 001_…)
    for code, title, kind, content, topic, author in (
        ("PMLP", EID_TITLE, ArticleKind.FAQ, EID_CONTENT, "e-services", laura),
        ("VARAM", START_TITLE, ArticleKind.HOW_TO_ESERVICE, START_CONTENT, "e-services", None),
    ):
        agency = catalogue_selectors.agency_get_by_code(code=code)
        if agency is not None and _existing(agency, title) is None:
            services.article_create(
                actor=_actor(author),
                owner_agency=agency,
                kind=kind,
                data=services.ArticleData(
                    topic=topics[topic],
                    audience=ArticleAudience.PUBLIC,
                    title_lv=title,
                    content_lv=content,
                    services=[
                        s
                        for s in services_by_code.values()
                        if s.agency_id == agency.pk and s.code in {"1032"}
                    ],
                    review_on=today + timedelta(days=365),
                    publish_from=published,
                ),
            )

    # one generated article for every other pilot service, from the catalogue's facts
    for code, service in sorted(services_by_code.items()):
        if code == "1011" or _existing(service.agency, service.title_lv) is not None:
            continue
        events = list(service.life_events.all())
        topic = (
            "family"
            if any(e.code == "child_birth" for e in events)
            else AGENCY_TOPICS.get(service.agency.code, "other")
        )
        content_lv, content_en = _service_facts(service)
        services.article_create(
            actor=SYSTEM,
            owner_agency=service.agency,
            kind=ArticleKind.SERVICE_EXPLAINED,
            data=services.ArticleData(
                topic=topics[topic],
                audience=ArticleAudience.PUBLIC,
                title_lv=service.title_lv,
                title_en=service.title_en,
                summary_lv=(service.description_lv or "")[:1000],
                summary_en=(service.description_en or "")[:1000],
                content_lv=content_lv,
                content_en=content_en,
                services=[service],
                life_events=events,
                review_on=today + timedelta(days=365),
                publish_from=published,
            ),
        )

    # the call script
    if (
        article is not None
        and edgars is not None
        and not Script.objects.filter(title_lv=SCRIPT_TITLE).exists()
    ):
        actor = _actor(edgars)
        script = services.script_create(
            actor=actor,
            owner_agency=article.owner_agency,
            title_lv=SCRIPT_TITLE,
            title_en="A caller asks how to get the childbirth benefit",
            graph=childbirth_script(article.pk),
            services=[benefit],
        )
        services.script_publish(actor=actor, script=script)
    # last, so that loading the demo tells her nothing: Ilze follows the family topic
    if ilze is not None and getattr(ilze, "user", None):
        Subscription.objects.get_or_create(user=ilze.user, topic=topics["family"])
    return {"articles": Article.objects.count(), "scripts": Script.objects.count()}
