"""Where things are: development regions, counties and SIRUTA localities, with urban/rural."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    URBAN = "urban", _("urban")
    RURAL = "rural", _("rural")


class Region(models.Model):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    siruta_number = models.PositiveSmallIntegerField(_("SIRUTA region number"), unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("development region")
        verbose_name_plural = _("development regions")

    def __str__(self):
        return f"{self.code} {self.name}"


class County(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="counties", verbose_name=_("region"))
    jud = models.PositiveSmallIntegerField(_("SIRUTA/CNP county number"), unique=True)
    siruta = models.PositiveIntegerField(_("SIRUTA code"), unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name


class Locality(models.Model):
    """A SIRUTA unit: a UAT (municipiu, oraș, comună; level 2) or a locality (level 3).

    `area` is known once the official INS SIRUTA file is loaded (`socec load_siruta`);
    before that it is empty and the area comes from the records themselves.
    """

    class Level(models.IntegerChoices):
        UAT = 2, _("administrative unit (UAT)")
        LOCALITY = 3, _("locality")

    siruta = models.PositiveIntegerField(_("SIRUTA code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="localities", verbose_name=_("county"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.LOCALITY)
    parent_siruta = models.PositiveIntegerField(_("SIRUTA code of the UAT"), null=True, blank=True)
    siruta_type = models.PositiveSmallIntegerField(_("SIRUTA type (TIP)"), null=True, blank=True)
    area = models.CharField(_("area"), max_length=5, choices=Area.choices, blank=True)

    class Meta:
        ordering = ["county", "name"]
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        indexes = [models.Index(fields=["county", "name"])]

    def __str__(self):
        return f"{self.name} ({self.county_id})"
