"""The public portal's own data: county boundaries for the map (`socec load_geometry`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from socec.places.models import County


class CountyShape(models.Model):
    """A county's outline as an SVG path, already projected and simplified by `socec load_geometry`.

    Every shape of one load shares one drawing frame; the bounding box and the label point are kept
    so that the map can frame the shapes and write the figures without parsing the paths."""

    county = models.OneToOneField(County, on_delete=models.CASCADE, primary_key=True, related_name="shape",
                                  verbose_name=_("county"))
    svg_path = models.TextField(_("SVG path"))
    label_x = models.FloatField(_("label x"), default=0)
    label_y = models.FloatField(_("label y"), default=0)
    min_x = models.FloatField(default=0)
    min_y = models.FloatField(default=0)
    max_x = models.FloatField(default=0)
    max_y = models.FloatField(default=0)

    class Meta:
        ordering = ["county"]
        verbose_name = _("county shape")
        verbose_name_plural = _("county shapes")

    def __str__(self):
        return str(self.county_id)


class PublicVersion(models.Model):
    """One number, raised in the same transaction as any write to what the public directory shows
    (organisations, products, jobs, employments): cached directory figures are kept under it, so a
    cached figure is used only while nothing it counted has changed (socec.portal.freshness)."""

    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("public data version")

    def __str__(self):
        return str(self.n)
