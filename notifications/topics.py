"""Topics as code: what each notice says, in Latvian and English, reviewable here.

A topic names the notice kind it belongs to (the person's choices are per kind: eaccount.constants.
NoticeKind), its placeholders and a sample context, and its texts: the subject and body of the
e-account message and the e-mail, and the short SMS text. Texts are `str.format` templates whose
placeholders must all be in the context: a missing one raises `MissingPlaceholder` (the test suite
renders every topic with its sample in both languages, so a template that names an undeclared
placeholder fails there, not in production).

SMS length: GSM-7 takes 160 characters in one SMS (153 a part when split), UCS-2 only 70 (67 a part);
one character outside GSM-7 — any Latvian diacritic (ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž) — makes the
whole text UCS-2. `sms_count` counts; the preview page shows it with a warning past one SMS.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .constants import NoticeKind

LANGUAGES = ("lv", "en")
DEFAULT_LANGUAGE = "lv"


class TopicError(Exception):
    """A topic or its context is wrong: a programming error, raised loudly."""


class UnknownTopic(TopicError):
    pass


class MissingPlaceholder(TopicError):
    pass


@dataclass(frozen=True, slots=True)
class Localised:
    """A context value that reads differently per language (e.g. a service's title)."""

    lv: str
    en: str = ""

    def for_language(self, language: str) -> str:
        return (self.en or self.lv) if language == "en" else self.lv


@dataclass(frozen=True, slots=True)
class Rendered:
    language: str
    subject: str
    body: str
    sms: str


class _StrictFormatter(string.Formatter):
    def get_value(self, key, args, kwargs):
        if not isinstance(key, str):
            raise TopicError(f"positional placeholder {{{key}}}: name every placeholder")
        try:
            return kwargs[key]
        except KeyError:
            raise MissingPlaceholder(f"placeholder {{{key}}} is not in the context") from None


_formatter = _StrictFormatter()


def placeholders_of(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}


@dataclass(frozen=True)
class Topic:
    code: str
    kind: str  # NoticeKind
    label: Any  # lazy: the topic's name on staff's and the person's pages
    placeholders: tuple[str, ...]
    subject: Mapping[str, str]
    body: Mapping[str, str]
    sms: Mapping[str, str]
    sample: Mapping[str, Any] = field(default_factory=dict)

    def resolve(self, context: Mapping[str, Any], language: str) -> dict[str, str]:
        """The context as the plain strings of `language` (JSON, kept for a fallback e-mail); raises
        MissingPlaceholder if a declared placeholder is missing."""
        missing = [name for name in self.placeholders if name not in context]
        if missing:
            raise MissingPlaceholder(f"topic {self.code}: missing {', '.join(missing)}")
        with translation.override(language):
            return {key: _as_text(value, language) for key, value in context.items()}

    def render(self, context: Mapping[str, Any], language: str) -> Rendered:
        language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        values = self.resolve(context, language)
        return Rendered(
            language=language,
            subject=_formatter.format(self.subject[language], **values).strip(),
            body=_formatter.format(self.body[language], **values).strip(),
            sms=_formatter.format(self.sms[language], **values).strip(),
        )


def _as_text(value: Any, language: str) -> str:
    if isinstance(value, Localised):
        return value.for_language(language)
    if isinstance(value, Promise):
        return str(value)
    return "" if value is None else str(value)


# --- SMS length ------------------------------------------------------------------------------------

# GSM 03.38: the basic set (one septet each) and the extension table (two: escape + char)
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True, slots=True)
class SmsCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    single_limit: int  # 160 or 70

    @property
    def warning(self) -> bool:
        """More than one SMS: longer than the one message the texts are meant to fit in."""
        return self.segments > 1


def sms_count(text: str) -> SmsCount:
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        units = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, part = 160, 153
        encoding = "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
        encoding = "UCS-2"
    segments = 1 if units <= single else math.ceil(units / part)
    return SmsCount(encoding=encoding, units=units, segments=segments, single_limit=single)


# --- the topics ------------------------------------------------------------------------------------

_CASE_SAMPLE = {
    "number": "1011-0007654",
    "service": Localised("Bērna kopšanas pabalsts", "Childcare benefit"),
    "status": Localised("Reģistrēts", "Registered"),
    "note": "",
}

# Proactive notices say why they were sent and how to stop them with one click (concept 4.4.2.8):
# {opt_out_url} is a signed link to the opt-out page of that kind (notifications.proactive).
_OPT_OUT_LV = "Atteikties no šiem paziņojumiem ar vienu klikšķi: {opt_out_url}"
_OPT_OUT_EN = "To stop these notices with one click: {opt_out_url}"

TOPICS: dict[str, Topic] = {}


def _register(topic: Topic) -> Topic:
    if topic.code in TOPICS:
        raise TopicError(f"topic {topic.code} is declared twice")
    TOPICS[topic.code] = topic
    return topic


CASE_STATUS_CHANGED = _register(
    Topic(
        code="case_status_changed",
        kind=NoticeKind.CASE_STATUS,
        label=_("Status of a case changed"),
        placeholders=("number", "service", "status", "note"),
        subject={"lv": "Lieta {number}: {status}", "en": "Case {number}: {status}"},
        body={
            "lv": "Pakalpojums: {service}\nStatuss: {status}\n{note}",
            "en": "Service: {service}\nStatus: {status}\n{note}",
        },
        sms={
            "lv": "Lieta {number}: {status}. Sīkāk e-kontā.",
            "en": "Case {number}: {status}. Details in your e-account at latvija.gov.lv",
        },
        sample=_CASE_SAMPLE,
    )
)
CASE_NEEDS_INFORMATION = _register(
    Topic(
        code="case_needs_information",
        kind=NoticeKind.CASE_STATUS,
        label=_("An agency asks for information"),
        placeholders=("number", "service", "status", "note"),
        subject={
            "lv": "Lieta {number}: {status}",
            "en": "Case {number}: {status}",
        },
        body={
            "lv": "Pakalpojums: {service}\nStatuss: {status}\nIestāde lūdz papildu informāciju:\n{note}\n"
            "Atbildiet e-kontā.",
            "en": "Service: {service}\nStatus: {status}\nThe agency asks for more information:\n{note}\n"
            "Please answer in your e-account.",
        },
        sms={
            "lv": "Lietā {number} lūgta informācija. Atbildiet e-kontā.",
            "en": "Case {number}: the agency asks for information. Please answer in your e-account.",
        },
        sample=_CASE_SAMPLE
        | {
            "status": Localised("Pieprasīta informācija", "Information requested"),
            "note": Localised("Lūdzu pievienojiet izziņu.", "Please attach a certificate."),
        },
    )
)
CASE_RESULT_READY = _register(
    Topic(
        code="case_result_ready",
        kind=NoticeKind.RESULT,
        label=_("The result of a case is ready"),
        placeholders=("number", "service", "title"),
        subject={
            "lv": "Lietas {number} rezultāts ir gatavs",
            "en": "The result of your case {number} is ready",
        },
        body={
            "lv": "Pakalpojums: {service}\nDokuments: {title}\nTas ir jūsu e-kontā.",
            "en": "Service: {service}\nDocument: {title}\nIt is in your e-account.",
        },
        sms={
            "lv": "Lietas {number} rezultāts ir e-kontā.",
            "en": "The result of case {number} is in your e-account at latvija.gov.lv",
        },
        sample={
            "number": "1011-0007654",
            "service": _CASE_SAMPLE["service"],
            "title": Localised("Lēmums", "Decision"),
        },
    )
)
MESSAGE_RECEIVED = _register(
    Topic(
        code="message_received",
        kind=NoticeKind.MESSAGE,
        label=_("A new message in the e-account"),
        placeholders=("sender", "subject"),
        subject={"lv": "Jauna ziņa no {sender}", "en": "A new message from {sender}"},
        body={
            "lv": "{sender} jums nosūtīja ziņu „{subject}”. Izlasiet to e-kontā.",
            "en": '{sender} sent you a message, "{subject}". Read it in your e-account.',
        },
        sms={
            "lv": "Jauna ziņa e-kontā no {sender}.",
            "en": "A new message from {sender} in your e-account at latvija.gov.lv",
        },
        sample={"sender": "VSAA", "subject": Localised("Par iesniegumu", "About your application")},
    )
)
PAYMENT_DUE = _register(
    Topic(
        code="payment_due",
        kind=NoticeKind.PAYMENT_DUE,
        label=_("A payment is due"),
        placeholders=("amount", "due_date", "reference", "service"),
        subject={
            "lv": "Maksājums {amount} EUR līdz {due_date}",
            "en": "Payment of EUR {amount} due {due_date}",
        },
        body={
            "lv": "Pakalpojums: {service}\nSumma: {amount} EUR\nSamaksāt līdz: {due_date}\n"
            "Maksājuma atsauce: {reference}",
            "en": "Service: {service}\nAmount: EUR {amount}\nDue: {due_date}\nPayment reference: {reference}",
        },
        sms={
            "lv": "Maksājums {amount} EUR līdz {due_date}, atsauce {reference}.",
            "en": "Payment of EUR {amount} due {due_date}, reference {reference}.",
        },
        sample={
            "amount": "12.50",
            "due_date": "30.11.2026.",
            "reference": "RF18539007547034",
            "service": _CASE_SAMPLE["service"],
        },
    )
)
PAYMENT_RECEIVED = _register(
    Topic(
        code="payment_received",
        kind=NoticeKind.PAYMENT_DUE,
        label=_("A payment was received"),
        placeholders=("amount", "reference", "service", "state"),
        subject={
            "lv": "Saņemts maksājums {amount} EUR",
            "en": "Payment of EUR {amount} received",
        },
        body={
            "lv": "Pakalpojums: {service}\nSaņemts: {amount} EUR\nMaksājuma atsauce: {reference}\n"
            "Rēķina stāvoklis: {state}",
            "en": "Service: {service}\nReceived: EUR {amount}\nPayment reference: {reference}\n"
            "Invoice: {state}",
        },
        sms={
            "lv": "Saņemts maksājums {amount} EUR, atsauce {reference}.",
            "en": "Payment of EUR {amount} received, reference {reference}.",
        },
        sample={
            "amount": "4.27",
            "reference": "RF18539007547034",
            "service": _CASE_SAMPLE["service"],
            "state": Localised("Samaksāts", "Paid"),
        },
    )
)
DOCUMENT_EXPIRY_REMINDER = _register(
    Topic(
        code="document_expiry_reminder",
        kind=NoticeKind.REMINDER,
        label=_("A document expires soon"),
        placeholders=("document", "expiry_date", "days", "opt_out_url"),
        subject={
            "lv": "Jūsu dokuments ({document}) derīgs līdz {expiry_date}",
            "en": "Your {document} expires on {expiry_date}",
        },
        body={
            "lv": "Iedzīvotāju reģistrā jūsu dokuments ({document}) ir derīgs līdz {expiry_date}, vēl {days} "
            "dienas. Laikus pieprasiet jaunu.\n\n"
            "Šo atgādinājumu saņemat, jo savā e-kontā izvēlējāties saņemt atgādinājumus.\n" + _OPT_OUT_LV,
            "en": "The Population Register shows your {document} valid until {expiry_date}, {days} more days. "
            "Apply for a new one in time.\n\n"
            "You get this reminder because you chose to receive reminders in your e-account.\n" + _OPT_OUT_EN,
        },
        sms={
            "lv": "{document} derīgs līdz {expiry_date}. Atteikties: e-kontā.",
            "en": "Your {document} expires on {expiry_date}. To stop reminders: your e-account.",
        },
        sample={
            "document": Localised("pase", "passport"),
            "expiry_date": "30.11.2026.",
            "days": 30,
            "opt_out_url": "https://latvija.gov.lv/notifications/stop/…/",
        },
    )
)
LIFE_EVENT_OFFER = _register(
    Topic(
        code="life_event_offer",
        kind=NoticeKind.PROACTIVE_OFFER,
        label=_("A service offered after a life event"),
        placeholders=("event", "service", "opt_out_url"),
        subject={"lv": "Jums var noderēt: {service}", "en": "A service for you: {service}"},
        body={
            "lv": "Reģistrā ir ziņas par notikumu: {event}. Jums var būt pieejams pakalpojums „{service}”, "
            "un tas vēl nav pieprasīts.\n\n"
            "Šo piedāvājumu saņemat, jo savā e-kontā izvēlējāties saņemt pakalpojumu piedāvājumus.\n"
            + _OPT_OUT_LV,
            "en": 'The register shows: {event}. You may be entitled to the service "{service}", '
            "which has not been applied for yet.\n\n"
            "You get this offer because you chose to receive offers of services in your e-account.\n"
            + _OPT_OUT_EN,
        },
        sms={
            "lv": "Piedāvājums: {service}. Sīkāk, atteikties: e-kontā.",
            "en": "A service for you: {service}. Details, and to stop offers: your e-account.",
        },
        sample={
            "event": Localised("bērna piedzimšana 03.11.2026.", "birth of a child on 3 Nov 2026"),
            "service": Localised("Bērna piedzimšanas pabalsts", "Childbirth benefit"),
            "opt_out_url": "https://latvija.gov.lv/notifications/stop/…/",
        },
    )
)


SATISFACTION_THRESHOLD_CROSSED = _register(
    Topic(
        code="satisfaction_threshold_crossed",
        kind=NoticeKind.MESSAGE,
        label=_("Satisfaction with a service fell below its threshold"),
        placeholders=("service", "average", "threshold", "ratings", "days"),
        subject={
            "lv": "Zems klientu vērtējums: {service}",
            "en": "Low client satisfaction: {service}",
        },
        body={
            "lv": "Pakalpojuma „{service}” vidējais vērtējums pēdējās {days} dienās ir {average} no 5 "
            "({ratings} vērtējumi), zemāks par iestādes noteikto slieksni {threshold}.\n"
            "Slieksni var mainīt iestādes administratora lapā „Apmierinātības sliekšņi”.",
            "en": 'The average rating of "{service}" over the last {days} days is {average} of 5 '
            "({ratings} ratings), below your agency's threshold of {threshold}.\n"
            'You can change the threshold on the agency admin\'s page "Satisfaction thresholds".',
        },
        sms={
            "lv": "Zems vērtējums: {service}, {average}. Sīkāk e-kontā.",
            "en": "Low rating: {service}, {average} (below {threshold}). Details in your e-account.",
        },
        sample={
            "service": _CASE_SAMPLE["service"],
            "average": Localised("3,10", "3.10"),
            "threshold": Localised("3,50", "3.50"),
            "ratings": 24,
            "days": 30,
        },
    )
)


KB_ARTICLE_CHANGED = _register(
    Topic(
        code="kb_article_changed",
        kind=NoticeKind.MESSAGE,
        label=_("A knowledge base article one follows changed"),
        placeholders=("title", "agency", "version", "changes"),
        subject={
            "lv": "Mainīts zināšanu bāzes raksts: {title}",
            "en": "Knowledge base article changed: {title}",
        },
        body={
            "lv": "{agency} mainīja rakstu „{title}” (versija {version}).\nMainīts: {changes}.\n"
            "Izmaiņas skatiet zināšanu bāzē pēc saites.",
            "en": '{agency} changed the article "{title}" (version {version}).\nChanged: {changes}.\n'
            "See what changed in the knowledge base by the link.",
        },
        sms={
            "lv": "Mainīts raksts: {title}. Sīkāk e-kontā.",
            "en": "Knowledge base article changed: {title}. Details in your e-account.",
        },
        sample={
            "title": Localised("Bērna piedzimšanas pabalsts", "Childbirth benefit"),
            "agency": Localised("Valsts sociālās apdrošināšanas aģentūra", "State Social Insurance Agency"),
            "version": 3,
            "changes": Localised("Saturs (latviski)", "Content (Latvian)"),
        },
    )
)


KB_ARTICLE_REVIEW_DUE = _register(
    Topic(
        code="kb_article_review_due",
        kind=NoticeKind.MESSAGE,
        label=_("A knowledge base article one owns is due for review"),
        placeholders=("title", "agency", "review_date"),
        subject={
            "lv": "Jāpārskata zināšanu bāzes raksts: {title}",
            "en": "Knowledge base article due for review: {title}",
        },
        body={
            "lv": "Jūs esat atbildīgs par zināšanu bāzes rakstu „{title}” ({agency}). Tā pārskatīšanas "
            "datums ir {review_date}; pēc tā rakstu rāda kā, iespējams, novecojušu.\n"
            "Pārskatiet to un saglabājiet ar jaunu pārskatīšanas datumu pēc saites.",
            "en": 'You own the knowledge base article "{title}" ({agency}). Its review date is '
            "{review_date}; after that date it is shown as possibly outdated.\n"
            "Review it and save it with a new review date by the link.",
        },
        sms={
            "lv": "Jāpārskata raksts: {title}. Sīkāk e-kontā.",
            "en": "Knowledge base article due for review: {title}. Details in your e-account.",
        },
        sample={
            "title": Localised("Bērna piedzimšanas pabalsts", "Childbirth benefit"),
            "agency": Localised("Valsts sociālās apdrošināšanas aģentūra", "State Social Insurance Agency"),
            "review_date": Localised("30.11.2026.", "30 Nov 2026"),
        },
    )
)


# A supervisor (a centre's or an agency's admin) told of the cases and consultations escalated to them
# in one run of the workplace's escalation job: one notice per run, whatever the count. No staff
# notice kind exists: "messages" is the one the other staff notices (thresholds, reviews) use.
WORKPLACE_ESCALATION = _register(
    Topic(
        code="workplace_escalation",
        kind=NoticeKind.MESSAGE,
        label=_("Late cases or unresolved consultations escalated to a supervisor"),
        placeholders=("count", "link"),
        subject={
            "lv": "Eskalācijas: {count} jaunas",
            "en": "Escalations: {count} new",
        },
        body={
            "lv": "Jums eskalētas {count} lietas vai konsultācijas: lietas ar nokavētu plānoto izpildes "
            "datumu vai neatrisinātas konsultācijas.\nApskatiet tās un nododiet darbiniekam: {link}",
            "en": "{count} cases or consultations were escalated to you: cases past their planned "
            "completion date or consultations not resolved.\nReview them and reassign them: {link}",
        },
        sms={
            "lv": "Eskalācijas: {count} jaunas. Sīkāk darba vietā.",
            "en": "Escalations: {count} new. Details in your workplace.",
        },
        sample={"count": 3, "link": "/workplace/escalations/"},
    )
)


# --- access rights (Reg. 401 Annex 2): staff notices, kind "messages" like the other staff notices ---

_SCOPE_SAMPLE = Localised("Valsts sociālās apdrošināšanas aģentūra", "State Social Insurance Agency")
_ROLE_SAMPLE = Localised("Iestādes administrators", "Agency administrator")

ACCESS_REQUEST_SUBMITTED = _register(
    Topic(
        code="access_request_submitted",
        kind=NoticeKind.MESSAGE,
        label=_("An access rights request waits for the ministry's decision"),
        placeholders=("number", "scope", "count", "link"),
        subject={
            "lv": "Piekļuves tiesību pieprasījums {number}: {scope}",
            "en": "Access rights request {number}: {scope}",
        },
        body={
            "lv": "{scope} iesniedza piekļuves tiesību pieprasījumu {number} ({count} darbinieki). "
            "Izskatiet to un apstipriniet vai noraidiet: {link}",
            "en": "{scope} submitted access rights request {number} ({count} employees). "
            "Review it and approve or refuse it: {link}",
        },
        sms={
            "lv": "Piekļuves tiesību pieprasījums {number} gaida lēmumu.",
            "en": "Access rights request {number} waits for a decision.",
        },
        sample={"number": "PT-000012", "scope": _SCOPE_SAMPLE, "count": 1, "link": "/rights/requests/12/"},
    )
)
ACCESS_REQUEST_DECIDED = _register(
    Topic(
        code="access_request_decided",
        kind=NoticeKind.MESSAGE,
        label=_("The ministry decided an access rights request"),
        placeholders=("number", "scope", "decision", "reason", "link"),
        subject={
            "lv": "Piekļuves tiesību pieprasījums {number}: {decision}",
            "en": "Access rights request {number}: {decision}",
        },
        body={
            "lv": "Pieprasījums {number} ({scope}): {decision}.\n{reason}\nSīkāk: {link}",
            "en": "Request {number} ({scope}): {decision}.\n{reason}\nDetails: {link}",
        },
        sms={
            "lv": "Piekļuves tiesību pieprasījums {number}: {decision}.",
            "en": "Access rights request {number}: {decision}.",
        },
        sample={
            "number": "PT-000012",
            "scope": _SCOPE_SAMPLE,
            "decision": Localised("apstiprināts", "approved"),
            "reason": "",
            "link": "/rights/requests/12/",
        },
    )
)
STAFF_ROLE_CHANGED = _register(
    Topic(
        code="staff_role_changed",
        kind=NoticeKind.MESSAGE,
        label=_("One's access right was granted or revoked"),
        placeholders=("role", "scope", "change", "term"),
        subject={"lv": "Piekļuves tiesības: {role} – {change}", "en": "Access rights: {role} – {change}"},
        body={
            "lv": "Jūsu loma „{role}” ({scope}): {change}. {term}",
            "en": 'Your role "{role}" ({scope}): {change}. {term}',
        },
        sms={
            "lv": "Piekļuves tiesības: {role} – {change}.",
            "en": "Access rights: {role} – {change}.",
        },
        sample={
            "role": _ROLE_SAMPLE,
            "scope": _SCOPE_SAMPLE,
            "change": Localised("piešķirta", "granted"),
            "term": Localised("Derīga līdz 31.12.2027.", "Valid until 31 Dec 2027."),
        },
    )
)
STAFF_ROLE_EXPIRING = _register(
    Topic(
        code="staff_role_expiring",
        kind=NoticeKind.MESSAGE,
        label=_("A fixed-term access right ends soon"),
        placeholders=("holder", "role", "scope", "until", "days", "link"),
        subject={
            "lv": "Piekļuves tiesības beigsies {until}: {holder}",
            "en": "Access right ends on {until}: {holder}",
        },
        body={
            "lv": "{holder} loma „{role}” ({scope}) beigsies {until} (pēc {days} dienām). Ja tā vēl "
            "vajadzīga, administrators to var piešķirt no jauna: {link}",
            "en": '{holder}\'s role "{role}" ({scope}) ends on {until} (in {days} days). If it is still '
            "needed, the admin can grant it again: {link}",
        },
        sms={
            "lv": "Piekļuves tiesības ({role}) beigsies {until}.",
            "en": "Access right ({role}) ends on {until}.",
        },
        sample={
            "holder": "Edgars Zariņš",
            "role": _ROLE_SAMPLE,
            "scope": _SCOPE_SAMPLE,
            "until": Localised("31.12.2027.", "31 Dec 2027"),
            "days": 14,
            "link": "/rights/staff/",
        },
    )
)
STAFF_ROLES_INACTIVE = _register(
    Topic(
        code="staff_roles_inactive",
        kind=NoticeKind.MESSAGE,
        label=_("Access rights unused for a long time, to review"),
        placeholders=("count", "days", "link"),
        subject={
            "lv": "Pārskatāmas piekļuves tiesības: {count}",
            "en": "Access rights to review: {count}",
        },
        body={
            "lv": "{count} darbinieku lomas nav izmantotas vismaz {days} dienas. Pārskatiet, vai tās "
            "vēl vajadzīgas, un atsauciet nevajadzīgās: {link}",
            "en": "{count} staff roles have not been used for at least {days} days. Review whether they "
            "are still needed and revoke those that are not: {link}",
        },
        sms={
            "lv": "Pārskatāmas piekļuves tiesības: {count}.",
            "en": "Access rights to review: {count}.",
        },
        sample={"count": 2, "days": 90, "link": "/rights/review/"},
    )
)


def topic_get(code: str) -> Topic:
    try:
        return TOPICS[code]
    except KeyError:
        raise UnknownTopic(f"no topic {code!r}") from None


@dataclass(frozen=True, slots=True)
class TopicPreview:
    topic: Topic
    rendered: Rendered
    sms: SmsCount


def topics_preview() -> list[TopicPreview]:
    """Every topic rendered with its sample, in each language, with its SMS count (the preview page)."""
    previews = []
    for topic in TOPICS.values():
        for language in LANGUAGES:
            rendered = topic.render(topic.sample, language)
            previews.append(TopicPreview(topic=topic, rendered=rendered, sms=sms_count(rendered.sms)))
    return previews
