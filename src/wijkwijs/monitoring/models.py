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

    # No separate FK indexes: every index costs time on an import of 200,000 rows.
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="observations", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations", db_index=False)
    period = models.CharField(_("period"), max_length=10)
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True, default="")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="observations", db_index=False)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            # one index serves uniqueness and the usual look-up (an indicator in a period, for
            # some areas); a second index would slow an import of 200,000 rows by a third
            models.UniqueConstraint(fields=["indicator", "period", "area"], name="one_value_per_indicator_period_area")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.indicator_id} {self.period}: {self.value}"


class AreaAttribute(models.Model):
    """A text attribute a source publishes per area and period beside the figures. Today CBS's
    boundary-change flag ``IndelingswijzigingGemeenteWijkBuurt``: 1 = code and boundaries as the
    year before, 2 = new code, same boundaries, 3 = boundaries changed (figures not comparable)."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="attributes")
    period = models.CharField(_("period"), max_length=10)
    key = models.CharField(_("key"), max_length=80)
    value = models.CharField(_("value"), max_length=40)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="attributes", db_index=False)

    class Meta:
        verbose_name = _("area attribute")
        verbose_name_plural = _("area attributes")
        constraints = [models.UniqueConstraint(fields=["key", "period", "area"], name="one_attribute_per_key_period_area")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.key} {self.period}: {self.value}"


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


class IndexMethod(models.TextChoices):
    Z = "z", _("standard score: 100 + scale x (x - centre) / spread")
    RATIO = "ratio", _("ratio: 100 x x / centre")


class IndexCenter(models.TextChoices):
    MUNICIPALITY = "municipality", _("the municipality's own value")
    AREA_MEAN = "area_mean", _("the unweighted mean of its areas")


class IndexPart(models.TextChoices):
    OBJECTIVE = "objective", _("objective")
    SUBJECTIVE = "subjective", _("subjective (perception)")


class IndexDefinition(models.Model):
    """A composite index (M5) as an administrator configures it: indicators with theme, part,
    polarity and weight, theme and part weights, the base year and the normalisation. Every
    change raises ``version`` and records an audit event with the full configuration, so any
    score can be reproduced (see docs/monitoring-index.md)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey(
        "areas.Area", verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT,
        limit_choices_to={"level": "GM"}, related_name="+",
        help_text=_("Leave empty for an index that any municipality may use."),
    )
    is_default = models.BooleanField(_("default index"), default=False)
    base_period = models.CharField(
        _("base year"), max_length=10, blank=True,
        help_text=_("The year in which the municipality scores 100. Empty: the first year with figures."),
    )
    method = models.CharField(_("normalisation"), max_length=10, choices=IndexMethod.choices, default=IndexMethod.Z)
    center = models.CharField(_("centre (= 100)"), max_length=20, choices=IndexCenter.choices, default=IndexCenter.MUNICIPALITY)
    scale = models.FloatField(_("points per standard deviation"), default=10.0)
    weight_objective = models.FloatField(_("weight of the objective part"), default=0.5)
    weight_subjective = models.FloatField(_("weight of the subjective part"), default=0.5)
    theme_weights = models.JSONField(
        _("theme weights"), default=dict, blank=True,
        help_text=_('For example {"sociaal": 2}. A theme not named weighs 1.'),
    )
    min_coverage = models.FloatField(_("minimum coverage"), default=0.5)
    min_population = models.PositiveIntegerField(_("minimum number of inhabitants"), default=250)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("index definition")
        verbose_name_plural = _("index definitions")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="one_default_index"),
            models.CheckConstraint(condition=models.Q(scale__gt=0), name="index_scale_positive"),
            models.CheckConstraint(
                condition=models.Q(weight_objective__gte=0, weight_subjective__gte=0), name="index_part_weights_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(min_coverage__gte=0, min_coverage__lte=1), name="index_coverage_fraction"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        tw = self.theme_weights
        if not isinstance(tw, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for k, v in tw.items()
        ):
            raise ValidationError({"theme_weights": _("Give theme weights as {\"theme\": number}, numbers 0 or more.")})
        if self.weight_objective + self.weight_subjective <= 0:
            raise ValidationError({"weight_objective": _("The part weights may not both be 0.")})


class IndexIndicator(models.Model):
    """One indicator of an index definition: its theme, part, polarity and weight."""

    definition = models.ForeignKey(IndexDefinition, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(
        _("indicator key"), max_length=100,
        help_text=_("A key of the indicator catalogue, e.g. HuishoudensTot110VanSociaalMinimum or share_low_education."),
    )
    theme = models.SlugField(_("theme"), max_length=50)
    part = models.CharField(_("part"), max_length=20, choices=IndexPart.choices, default=IndexPart.OBJECTIVE)
    polarity = models.SmallIntegerField(
        _("polarity"), choices=[(1, _("more is better")), (-1, _("more is worse"))], default=-1
    )
    weight = models.FloatField(_("weight"), default=1.0)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["definition", "position", "pk"]
        verbose_name = _("index indicator")
        verbose_name_plural = _("index indicators")
        constraints = [
            models.UniqueConstraint(fields=["definition", "key"], name="index_indicator_once"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="index_indicator_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.theme})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from wijkwijs.monitoring.catalogue_data import default_catalogue

        if self.key and self.key not in default_catalogue(include_demo=True) and not Indicator.objects.filter(key=self.key).exists():
            raise ValidationError({"key": _("Unknown indicator key %(key)s: not in the indicator catalogue.") % {"key": self.key}})
