"""M: indicators (the catalogue) and observations (one value per area, indicator and period)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("more is better")
    HIGHER_WORSE = "higher_worse", _("more is worse")
    CONTEXT = "context", _("context")


class IndicatorKind(models.TextChoices):
    OBJECTIVE = "objective", _("objective")
    SUBJECTIVE = "subjective", _("subjective (perception)")


class Source(models.Model):
    """Where figures come from, with the credit line shown beside them."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    credit = models.CharField(_("credit line"), max_length=300)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    is_demo = models.BooleanField(_("demo figures"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    key = models.CharField(_("key"), max_length=100, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="indicators")
    theme = models.CharField(_("theme"), max_length=50, blank=True)
    domain = models.CharField(_("domain"), max_length=50, blank=True)
    polarity = models.CharField(_("polarity"), max_length=20, choices=Polarity.choices, default=Polarity.CONTEXT)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.OBJECTIVE)
    levels = models.CharField(_("levels"), max_length=20, default="GM,WK,BU")
    is_count = models.BooleanField(_("count (rounded to 5 by CBS)"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name_nl


class Observation(models.Model):
    """A value, or a known gap (``value`` None: CBS '.', secret or not applicable)."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="observations")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    period = models.CharField(_("period"), max_length=10)
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True, default="")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="observations")

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(fields=["area", "indicator", "period"], name="one_value_per_area_indicator_period")
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.indicator_id} {self.period}: {self.value}"


class Impression(models.Model):
    """A dated qualitative impression of an area by a professional or partner ("tellen en
    vertellen"): the story beside the figures."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="impressions")
    theme = models.CharField(_("theme"), max_length=50)
    text = models.TextField(_("impression"))
    observed_on = models.DateField(_("date"))
    author = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(_("by"), max_length=200)
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-observed_on", "-created_at"]
        verbose_name = _("impression")
        verbose_name_plural = _("impressions")

    def __str__(self) -> str:
        return f"{self.area_id} {self.observed_on} {self.theme}"
