from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kernel.constants import Channel

from .constants import (
    SERVICE_CODE_REGEX,
    AgencyKind,
    Audience,
    PaymentMode,
    ServiceState,
)


class BilingualName(models.Model):
    """Latvian first; English where it is given, Latvian where it is not."""

    name_lv = models.CharField(_("name (Latvian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name_lv


class Agency(BilingualName):
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.STATE)
    four_eyes_publishing = models.BooleanField(
        _("a second administrator publishes"),
        default=False,
        help_text=_("A change of a service is published by an administrator who did not prepare it."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]


class ServiceCentre(BilingualName):
    """A one-stop client service centre (VPVKAC)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    municipality = models.ForeignKey(
        Agency,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="service_centres",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("one-stop service centre")
        verbose_name_plural = _("one-stop service centres")
        ordering = ["code"]


class Channel(BilingualName):
    code = models.CharField(_("code"), max_length=20, unique=True, choices=Channel.choices)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["id"]


class Category(BilingualName):
    """Two levels: a top category and its sub-categories."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name_lv"]

    @property
    def is_top(self) -> bool:
        return self.parent_id is None


class LifeEvent(BilingualName):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    reminder_days_before = models.JSONField(_("reminder days before"), default=list, blank=True)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["name_lv"]


class Service(models.Model):
    code = models.CharField(
        _("service code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(SERVICE_CODE_REGEX, _("A service code is 4 to 6 digits."))],
        error_messages={"unique": _("A service with this code already exists.")},
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ServiceState.choices, default=ServiceState.DRAFT
    )
    title_lv = models.CharField(_("title (Latvian)"), max_length=400)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    description_lv = models.TextField(_("description (Latvian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("holder agency"), on_delete=models.PROTECT, related_name="services"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PERSON
    )
    fee_eur = models.DecimalField(_("fee (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True)
    payment_mode = models.CharField(
        _("payment mode"), max_length=20, choices=PaymentMode.choices, default=PaymentMode.NONE
    )
    processing_days = models.PositiveIntegerField(_("target processing time (days)"), default=10)
    authorised_filing_allowed = models.BooleanField(
        _("may be filed by a centre specialist under an authorisation"), default=False
    )
    delegable = models.BooleanField(_("may be delegated"), default=True)
    one_open_case_per_subject = models.BooleanField(
        _("one open case per subject"),
        default=False,
        help_text=_(
            "A second case for the same subject is refused while the first is open (a one-off service)."
        ),
    )
    minor_may_be_client = models.BooleanField(
        _("a minor may be the client"),
        default=False,
        help_text=_("A parent may file it with their minor child as the client."),
    )
    internal = models.BooleanField(_("internal (for officials only)"), default=False)
    municipality_specific = models.BooleanField(_("municipality-specific"), default=False)
    facet_multichannel = models.BooleanField(_("multichannel"), default=True)
    facet_multichannel_note = models.TextField(_("multichannel: note"), blank=True)
    facet_territorial = models.BooleanField(_("territorially accessible"), default=True)
    facet_territorial_note = models.TextField(_("territorial: note"), blank=True)
    facet_all_groups = models.BooleanField(_("accessible to all groups of society"), default=True)
    facet_all_groups_note = models.TextField(_("all groups: note"), blank=True)
    facet_cross_border = models.BooleanField(_("cross-border"), default=False)
    facet_cross_border_note = models.TextField(_("cross-border: note"), blank=True)
    life_events = models.ManyToManyField(
        LifeEvent, verbose_name=_("life events"), blank=True, related_name="services"
    )
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    eform = models.JSONField(_("e-form definition"), default=list, blank=True)
    version = models.PositiveIntegerField(_("published version"), default=0)
    # Changes saved by an editor but not yet published (a full snapshot, see services.service_snapshot);
    # the public keeps seeing the published fields until service_publish applies it.
    pending = models.JSONField(_("unpublished changes"), null=True, blank=True, editable=False)
    # who prepared the changes not yet published ({"id", "name"} each, in order): with four eyes on,
    # none of them may publish them (services.editing)
    preparers = models.JSONField(_("prepared by"), default=list, blank=True, editable=False)
    # Search: `search_text` is the service's words folded to ASCII lower case (kept by the service
    # functions; the SQLite match and a trigram index on PostgreSQL use it); `search_vector` is the
    # PostgreSQL full-text vector (config `pspp_lv`: unaccent + simple), NULL on SQLite.
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    # the titles alone, folded the same way: the trigram retry for typos compares against this
    search_title = models.TextField(_("search title"), blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # code and titles alone (PostgreSQL): ranking reads this small vector, not the whole one
    title_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["code"]
        permissions = [("edit_service", _("Can edit this service"))]
        indexes = [models.Index(fields=["state", "internal", "audience"], name="service_visible_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:service-detail", kwargs={"code": self.code})

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title_lv

    @property
    def description(self) -> str:
        return self.description_en if get_language() == "en" and self.description_en else self.description_lv

    @property
    def is_e_service(self) -> bool:
        return bool(self.eform)


class ServiceChannel(models.Model):
    """How to apply for a service on one channel, and which centres accept it there."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_channels")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="service_channels")
    instructions_lv = models.TextField(_("instructions (Latvian)"), blank=True)
    instructions_en = models.TextField(_("instructions (English)"), blank=True)
    centres = models.ManyToManyField(ServiceCentre, verbose_name=_("centres"), blank=True)

    class Meta:
        verbose_name = _("service channel")
        verbose_name_plural = _("service channels")
        constraints = [models.UniqueConstraint(fields=["service", "channel"], name="uniq_service_channel")]
        ordering = ["channel_id"]

    def __str__(self) -> str:
        return f"{self.service_id}/{self.channel_id}"

    @property
    def instructions(self) -> str:
        return (
            self.instructions_en if get_language() == "en" and self.instructions_en else self.instructions_lv
        )


class ServiceVersion(models.Model):
    """A published state of a service, kept forever: cases store the version they were filed under."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    eform = models.JSONField(_("e-form definition"), default=list)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    preparers = models.JSONField(_("prepared by"), default=list, blank=True)

    class Meta:
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        ordering = ["service_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="uniq_service_version")]

    def __str__(self) -> str:
        return f"{self.service_id} v{self.number}"


class ServicePageView(models.Model):
    """How many times a service's public page was opened on a day (concept 4.4.1.6): a counter per
    page and day, counted on the server without cookies and without keeping who looked."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("service page views")
        verbose_name_plural = _("service page views")
        constraints = [models.UniqueConstraint(fields=["service", "day"], name="uniq_service_page_day")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.day}: {self.views}"
