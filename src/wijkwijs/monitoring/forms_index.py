"""Forms of the index, ranking and change-report pages (GET forms: the URL is the query)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

LEVEL_CHOICES = [("WK", _("Wijken")), ("BU", _("Buurten"))]


class IndexForm(forms.Form):
    index = forms.ChoiceField(label=_("Index"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args: Any, definitions: list[Any], periods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["index"].choices = [(d.slug, d.name) for d in definitions]
        self.fields["period"].choices = [("", _("latest"))] + [(p, p) for p in periods]


class RankingForm(forms.Form):
    """Weights per theme (or per indicator) for the ranking: 0 leaves one out, at least one
    weight must be above 0."""

    unit = forms.ChoiceField(label=_("Rank"), required=False)
    mode = forms.ChoiceField(
        label=_("Weigh by"),
        choices=[("themes", _("theme")), ("indicators", _("indicator"))],
        required=False,
    )
    min_population = forms.IntegerField(label=_("Minimum number of inhabitants"), min_value=0, max_value=100000, required=False)

    def __init__(self, *args: Any, themes: list[tuple[str, str]], indicators: list[tuple[str, str]],
                 units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units
        self.theme_fields = []
        self.indicator_fields = []
        for key, label in themes:
            name = f"t_{key}"
            self.fields[name] = forms.FloatField(label=label, min_value=0, max_value=100, required=False, initial=1)
            self.theme_fields.append(name)
        for key, label in indicators:
            name = f"i_{key}"
            self.fields[name] = forms.FloatField(label=label, min_value=0, max_value=100, required=False, initial=1)
            self.indicator_fields.append(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("mode") or "themes"
        names = self.theme_fields if mode == "themes" else self.indicator_fields
        weights = [data.get(n) for n in names]
        if names and all(w is not None for w in weights) and not any(w and w > 0 for w in weights):
            raise forms.ValidationError(_("Give at least one weight above 0."))
        return data

    def weights(self, prefix: str) -> dict[str, float]:
        names = self.theme_fields if prefix == "t_" else self.indicator_fields
        return {n[2:]: (self.cleaned_data.get(n) if self.cleaned_data.get(n) is not None else 1.0) for n in names}

    @property
    def theme_boxes(self) -> list[Any]:
        return [self[n] for n in self.theme_fields]

    @property
    def indicator_boxes(self) -> list[Any]:
        return [self[n] for n in self.indicator_fields]


class ChangesForm(forms.Form):
    before = forms.ChoiceField(label=_("From"))
    after = forms.ChoiceField(label=_("To"))
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)

    def __init__(self, *args: Any, periods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["before"].choices = [(p, p) for p in periods]
        self.fields["after"].choices = [(p, p) for p in periods]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("before") and data.get("after") and data["before"] >= data["after"]:
            raise forms.ValidationError(_("The first period must come before the second."))
        return data
