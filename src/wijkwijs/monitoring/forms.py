from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

THEMES = [
    ("wonen", _("Housing")),
    ("leefbaarheid", _("Liveability")),
    ("veiligheid", _("Safety")),
    ("zorg", _("Care and well-being")),
    ("jeugd", _("Youth")),
    ("openbare_ruimte", _("Public space")),
    ("participatie", _("Participation")),
    ("economie", _("Work and economy")),
]


class ImpressionForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=THEMES)
    observed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Impression"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                           help_text=_("What you see and hear in the area. No names or other personal data."))
