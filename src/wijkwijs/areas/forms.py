from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ClusteringImportForm(forms.Form):
    name = forms.CharField(label=_("Name of the clustering"), max_length=200)
    unit_level = forms.ChoiceField(
        label=_("Units"), choices=[("WK", _("wijken")), ("BU", _("buurten"))], initial="WK"
    )
    owner = forms.CharField(label=_("Used by (team or organisation)"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Two columns: area code (e.g. WK082801) and cluster name. A header row is allowed."),
    )
    is_example = forms.BooleanField(label=_("This is an example, not an official division"), required=False)
    allow_gaps = forms.BooleanField(label=_("Accept units that are in no cluster (gaps)"), required=False)
    replace = forms.BooleanField(label=_("Replace an existing clustering with the same name"), required=False)

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class LookupForm(forms.Form):
    lon = forms.FloatField(label=_("Longitude (WGS84)"), required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("Latitude (WGS84)"), required=False, min_value=-90, max_value=90)
    x = forms.FloatField(label=_("RD x (metres)"), required=False)
    y = forms.FloatField(label=_("RD y (metres)"), required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        has_wgs = data.get("lon") is not None and data.get("lat") is not None
        has_rd = data.get("x") is not None and data.get("y") is not None
        if not has_wgs and not has_rd:
            raise forms.ValidationError(_("Give longitude and latitude, or RD x and y."))
        return data


class MoveUnitForm(forms.Form):
    area = forms.CharField(widget=forms.HiddenInput)
    cluster = forms.CharField(label=_("Cluster"), required=False)


class BoundariesImportForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection in WGS84 or RD New (EPSG:28992) with a CBS code per feature (statcode, buurtcode or wijkcode)."),
    )
    create_missing = forms.BooleanField(label=_("Add areas that are not in the register yet"), required=False)

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload
