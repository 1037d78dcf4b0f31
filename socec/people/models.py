"""People: pseudonymous facts for indicators, kept apart from encrypted identities.

Person      the human, as far as the records tell (sex, birth date, a keyed-hash key).
Identity    the direct identifiers (names, CNP, contacts, address), encrypted at rest;
            erasing a person deletes it and leaves every indicator unchanged.
Participation  the person in one project: the ESF+ entry data, results, consent.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from socec.core.fields import EncryptedTextField
from socec.core.locking import VersionField
from socec.orgs.models import Organisation
from socec.places.models import Area, County, Locality
from socec.programmes.models import Project

person_ref_validator = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$",
                                      _("Use letters, digits, '.', '_', '/' or '-' (at most 40)."))


class Sex(models.TextChoices):
    F = "F", _("female")
    M = "M", _("male")
    X = "X", _("other / not stated")


class YesNoRefused(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    REFUSED = "refused", _("refused to answer")


class LabourStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("unemployed")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("long-term unemployed")
    INACTIVE = "inactive", _("inactive")
    EMPLOYED = "employed", _("employed")
    SELF_EMPLOYED = "self_employed", _("self-employed")


class ExitStatus(models.TextChoices):
    JOB_SEARCHING = "job_searching", _("job searching")
    EDUCATION_TRAINING = "education_training", _("in education or training")
    EMPLOYED = "employed", _("employed")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    INACTIVE = "inactive", _("inactive")
    UNKNOWN = "unknown", _("unknown")


class Status6m(models.TextChoices):
    EMPLOYED = "employed", _("employed")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    UNEMPLOYED = "unemployed", _("unemployed")
    INACTIVE = "inactive", _("inactive")
    UNKNOWN = "unknown", _("unknown")


class VulnerableCategory(models.Model):
    """A vulnerable group (workbook codes), with the proof documents accepted for it."""

    code = models.CharField(_("code"), max_length=32, primary_key=True)
    name_ro = models.CharField(_("name (Romanian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    proof_documents = models.TextField(_("accepted proof documents"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("vulnerable category")
        verbose_name_plural = _("vulnerable categories")

    def __str__(self):
        return self.name

    @property
    def name(self):
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "ro").startswith("en") else self.name_ro


class Person(models.Model):
    """Pseudonymous: nothing here names anyone."""

    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    # HMAC of the CNP when known, else of normalised names + birth date: counts each person
    # once across projects, and survives erasure.
    person_key = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [models.CheckConstraint(condition=Q(sex__in=["F", "M", "X"]), name="person_sex_valid")]

    def __str__(self):
        return f"#{self.pk}"


class Identity(models.Model):
    """Direct identifiers, encrypted at rest. Reading them is logged by the services."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="identity")
    first_name = EncryptedTextField(_("first name"))
    last_name = EncryptedTextField(_("last name"))
    cnp = EncryptedTextField(_("CNP"), blank=True)
    # HMAC of the CNP: finds the person again without storing the CNP in clear.
    cnp_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(fields=["cnp_digest"], name="identity_cnp_unique",
                                    violation_error_message=_("A person with this CNP is already registered.")),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class Participation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="participations",
                                verbose_name=_("project"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations",
                               verbose_name=_("person"))
    person_ref = models.CharField(_("person reference"), max_length=40, validators=[person_ref_validator])
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="registered_participants",
                                     verbose_name=_("registered by"))
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("residence locality"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="participations",
                               verbose_name=_("residence county"))
    area = models.CharField(_("residence area"), max_length=5, choices=Area.choices, blank=True)
    entry_date = models.DateField(_("entry date"))
    labour_status = models.CharField(_("labour market status at entry"), max_length=24, choices=LabourStatus.choices)
    isced = models.PositiveSmallIntegerField(_("education level (ISCED)"),
                                             validators=[MinValueValidator(0), MaxValueValidator(8)])
    disability = models.CharField(_("disability"), max_length=7, choices=YesNoRefused.choices, blank=True)
    minority = models.CharField(_("minority (incl. Roma)"), max_length=7, choices=YesNoRefused.choices, blank=True)
    third_country_national = models.BooleanField(_("third-country national"), null=True, blank=True)
    foreign_background = models.CharField(_("foreign background"), max_length=7, choices=YesNoRefused.choices,
                                          blank=True)
    homeless = models.BooleanField(_("homeless or housing exclusion"), null=True, blank=True)
    vulnerable = models.ManyToManyField(VulnerableCategory, blank=True, related_name="participations",
                                        verbose_name=_("vulnerable categories"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_status = models.CharField(_("situation on leaving"), max_length=20, choices=ExitStatus.choices, blank=True)
    qualification_gained = models.BooleanField(_("qualification gained"), null=True, blank=True)
    status_6m = models.CharField(_("situation six months after leaving"), max_length=16, choices=Status6m.choices,
                                 blank=True)
    improved_6m = models.BooleanField(_("improved situation after six months"), null=True, blank=True)
    consent_on = models.DateField(_("informed / consented on"))
    erased_at = models.DateTimeField(_("identifiers erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = VersionField()  # optimistic locking: socec/core/locking.py

    class Meta:
        ordering = ["project", "person_ref"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        permissions = [
            ("view_identifiers", _("Can see participants' identifiers")),
            ("reveal_identifiers", _("Can reveal participants' identifiers (logged)")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "person_ref"], name="participation_ref_unique",
                                    violation_error_message=_("This person reference is already used in the project.")),
            models.UniqueConstraint(fields=["project", "person"], name="participation_person_unique",
                                    violation_error_message=_("This person is already a participant in the project.")),
            models.CheckConstraint(condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                                   name="participation_exit_after_entry",
                                   violation_error_message=_("The exit date is before the entry date.")),
            models.CheckConstraint(condition=Q(isced__gte=0, isced__lte=8), name="participation_isced_range",
                                   violation_error_message=_("ISCED is a level from 0 to 8.")),
            models.CheckConstraint(condition=Q(area__in=["", "urban", "rural"]), name="participation_area_valid"),
        ]
        indexes = [
            models.Index(fields=["project", "organisation"]),
            models.Index(fields=["project", "entry_date"]),
            models.Index(fields=["project", "county"]),
        ]

    def __str__(self):
        return f"{self.project.code}/{self.person_ref}"


class EvidenceDocument(models.Model):
    """A file proving something about a participation (eligibility, vulnerable status, consent)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="documents",
                                      verbose_name=_("participant"))
    category = models.ForeignKey(VulnerableCategory, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("proves the vulnerable category"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self):
        return self.original_name


class NameDigest(models.Model):
    """A blind index of names: the keyed hash (HMAC, SOCEC_PSEUDONYM_KEY) of each normalised word of a
    person's first and last names, so that a search by name finds people through an index instead of
    decrypting every identity. The words themselves are never stored; erasing the identity erases these."""

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="name_digests")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("name search key")
        verbose_name_plural = _("name search keys")
        constraints = [models.UniqueConstraint(fields=["digest", "identity"], name="namedigest_unique")]

    def __str__(self):
        return f"#{self.identity_id}"
