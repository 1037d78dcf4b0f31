"""Events (conferences, round tables, the caravan), campaigns and publications."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from socec.core.locking import VersionField
from socec.orgs.models import Organisation, code_validator
from socec.people.models import Participation
from socec.places.models import Area, County, Locality
from socec.programmes.models import Project

from .files import validate_photo_file, validate_publication_file


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("conference")
    ROUND_TABLE = "round_table", _("round table")
    CARAVAN_STOP = "caravan_stop", _("caravan stop")
    COUNSELLING_SESSION = "counselling_session", _("counselling session")
    DEBATE = "debate", _("debate")
    WORKSHOP = "workshop", _("workshop")
    FAIR = "fair", _("fair")
    OTHER = "other", _("other")


class Event(models.Model):
    Kind = EventKind

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events", verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("locality"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="events", verbose_name=_("county"))
    area = models.CharField(_("area"), max_length=5, choices=Area.choices, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(_("head count"), null=True, blank=True,
                                               help_text=_("Used when no attendance is recorded."))
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    route_order = models.PositiveSmallIntegerField(
        _("order on the route"), null=True, blank=True,
        help_text=_("Caravan stops: the order among stops of the same day (1, 2, 3...)."))
    public = models.BooleanField(
        _("shown on the public portal"), default=True,
        help_text=_("Title, date, place, theme, head count and conclusions; never attendance lists or photos."))
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["project", "date", "code"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="event_code_unique",
                                    violation_error_message=_("This event code is already used in the project.")),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
        ]
        indexes = [models.Index(fields=["project", "kind", "date"])]

    def __str__(self):
        return f"{self.date} {self.title}"


class EventAttendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("event"))
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="event_attendance", verbose_name=_("participant"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="event_attendance", verbose_name=_("organisation"))

    class Meta:
        verbose_name = _("event attendance")
        verbose_name_plural = _("event attendance")
        constraints = [
            models.CheckConstraint(condition=Q(participation__isnull=True) ^ Q(organisation__isnull=True),
                                   name="event_attendance_one_attendee",
                                   violation_error_message=_("Attendance names a participant or an organisation, "
                                                             "exactly one.")),
            models.UniqueConstraint(fields=["event", "participation"], condition=Q(participation__isnull=False),
                                    name="event_attendance_person_unique"),
            models.UniqueConstraint(fields=["event", "organisation"], condition=Q(organisation__isnull=False),
                                    name="event_attendance_org_unique"),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.participation_id or self.organisation_id}"


class EventPhoto(models.Model):
    """A photo of an event: JPEG or PNG (checked by content), kept in private storage and served
    only through an access-checked view. The caption is the image's text alternative."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos", verbose_name=_("event"))
    file = models.FileField(_("photo"), upload_to="events/%Y/%m/", max_length=200,
                            validators=[validate_photo_file])
    caption = models.CharField(_("caption"), max_length=300,
                               help_text=_("What the photo shows; read aloud to people who cannot see it."))
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")

    def __str__(self):
        return self.caption[:80]


class Campaign(models.Model):
    class Channel(models.TextChoices):
        PRESS = "press", _("press")
        RADIO = "radio", _("radio")
        TV = "tv", _("television")
        OUTDOOR = "outdoor", _("outdoor")
        ONLINE = "online", _("online")
        FILM = "film", _("film")
        PRINT = "print", _("print")
        EVENT = "event", _("event")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="campaigns",
                                verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("reach (people)"), null=True, blank=True, validators=[MinValueValidator(0)])
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["project", "start_date", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="campaign_code_unique",
                                    violation_error_message=_("This campaign code is already used in the project.")),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                                   | Q(end_date__gte=F("start_date")), name="campaign_end_after_start",
                                   violation_error_message=_("The end date is before the start date.")),
        ]

    def __str__(self):
        return self.title


class Publication(models.Model):
    class Kind(models.TextChoices):
        STUDY = "study", _("study")
        RESEARCH = "research", _("research")
        REPORT = "report", _("report")
        GUIDE = "guide", _("guide")
        FILM = "film", _("film")
        OTHER = "other", _("other")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="publications",
                                verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("address (URL)"), blank=True)
    file = models.FileField(_("file"), upload_to="publications/", blank=True, max_length=200,
                            validators=[validate_publication_file])
    public = models.BooleanField(_("shown on the public portal"), default=True,
                                 help_text=_("In the public library, with its file."))
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["project", "published_on", "code"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="publication_code_unique",
                                    violation_error_message=_("This publication code is already used in the "
                                                              "project.")),
        ]

    def __str__(self):
        return self.title
