"""The throughput roll-up (doorlooptijden, S7): derived tables, rebuilt from the items at any time.

See :mod:`wijkwijs.intake.rollup` for how they are kept up to date and read.
"""

from __future__ import annotations

from django.db import models


class PeriodSpan(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"


class ThroughputPeriod(models.Model):
    """A local calendar day or month whose roll-up rows are built (a built period may have no rows)."""

    span = models.CharField(max_length=5, choices=PeriodSpan.choices)
    start = models.DateField()
    built_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["span", "start"], name="intake_throughput_period_once")]

    def __str__(self) -> str:
        return f"{self.span} {self.start}"


class ThroughputRow(models.Model):
    """Items received in a period, per department, wijk, kind or all together (``dimension``).

    ``first_response`` and ``resolution`` are exact histograms of the durations in whole seconds
    (flat ``[seconds, count, ...]``, see :mod:`wijkwijs.intake.quantiles`).
    """

    period = models.ForeignKey(ThroughputPeriod, on_delete=models.CASCADE, related_name="rows")
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=40, blank=True)
    received = models.PositiveIntegerField(default=0)
    escalations = models.PositiveIntegerField(default=0)
    first_response = models.JSONField(default=list)
    resolution = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "dimension", "key"], name="intake_throughput_row_once"),
        ]


class ThroughputDirty(models.Model):
    """A day whose items changed after its roll-up was built; read directly until it is rebuilt."""

    day = models.DateField(db_index=True)


class ThroughputState(models.Model):
    """One row: the last escalation (by id) whose item's day is known to the roll-up."""

    escalation_seen = models.PositiveBigIntegerField(default=0)
