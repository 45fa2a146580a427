"""Forms of the monitor's upload pages (CBS files and own indicators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 100 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, (list, tuple)) else [data]
        cleaned = [single(item, initial) for item in items if item]
        if not cleaned and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


def _check_size(files: list[Any]) -> None:
    for f in files:
        if f.size > MAX_BYTES:
            raise forms.ValidationError(_("%(name)s is larger than 100 MB.") % {"name": f.name})


class CbsUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("CBS files"),
        help_text=_("Kerncijfers wijken en buurten as StatLine CSV (with ;), OData TypedDataSet JSON or CSV with the OData keys. Several files (years) at once are allowed."),
    )
    year = forms.RegexField(
        label=_("Year"), regex=r"^\d{4}$", required=False, max_length=4,
        help_text=_("Only for files without a year column, e.g. 2024."),
        error_messages={"invalid": _("Give a year of four digits, e.g. 2024.")},
    )

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        _check_size(files)
        return files


class ObservationsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Four columns: area code, period, indicator key, value (a header row is allowed; , or ; as separator; . for a missing value)."),
    )
    source_name = forms.CharField(label=_("Source"), max_length=200,
                                  help_text=_("For example: GGD Gezondheidsmonitor Volwassenen 2022."))
    source_credit = forms.CharField(label=_("Credit line"), max_length=300,
                                    help_text=_("Shown beside every figure from this file, e.g. 'Bron: GGD Hart voor Brabant'."))

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        _check_size([f])
        return f
