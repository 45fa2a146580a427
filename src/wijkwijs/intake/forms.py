from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwijs.accounts.models import Department
from wijkwijs.core.forms import StyledForm
from wijkwijs.intake import taxonomy
from wijkwijs.intake.models import AdviceType, EscalationTarget, Kind
from wijkwijs.intake.uploads import max_upload_bytes, sniff


def category_choices(kind: str | None = None) -> list[tuple[str, Any]]:
    """Grouped choices (main category -> subcategories) for a select."""
    groups: list[tuple[str, Any]] = [("", _("I don't know (we suggest one)"))]
    for main in taxonomy.TAXONOMY:
        subs = [(s.slug, s.name_nl) for s in main.subcategories
                if kind is None or taxonomy.Kind(kind) in taxonomy.kinds_for(s.slug)]
        if subs:
            groups.append((main.name_nl, subs))
    return groups


class SubmitForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("What do you want to report?"),
        choices=[(Kind.SIGNAL, _("A signal (something broken, dirty or unsafe)")), (Kind.INITIATIVE, _("An initiative")),
                 (Kind.QUESTION, _("A question"))],
        initial=Kind.SIGNAL, widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is it about, and since when? Please do not put personal data of others here."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=category_choices, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-90, max_value=90)
    location_text = forms.CharField(
        label=_("Where is it?"), max_length=300, required=False,
        help_text=_("Pick the place on the map, or describe it (street and nearby house number or landmark)."),
    )
    photo = forms.FileField(label=_("Photo or document"), required=False,
                            help_text=_("JPEG, PNG or PDF, at most 5 MB."))
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Your e-mail address"), required=False,
                             help_text=_("Only if you want updates. Leave empty to report anonymously."))

    def clean_photo(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": max_upload_bytes() // (1024 * 1024)})
        data = upload.read()
        if sniff(data) is None:
            raise forms.ValidationError(_("Upload a JPEG, PNG or PDF file."))
        return (upload.name, data)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("kind") == Kind.SIGNAL and data.get("lon") is None and not (data.get("location_text") or "").strip():
            self.add_error("location_text", _("Pick the place on the map or describe where it is."))
        return data


class AdviceForm(StyledForm):
    council_name = forms.CharField(label=_("Wijkraad or dorpsraad"), max_length=200)
    advice_type = forms.ChoiceField(label=_("Advice"), choices=[(AdviceType.ASKED, _("Asked advice")), (AdviceType.UNASKED, _("Unasked advice"))],
                                    widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Advice"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(label=_("Category"), choices=lambda: category_choices(Kind.ADVICE), required=False)
    location_text = forms.CharField(label=_("Place or area it concerns"), max_length=300, required=False)


class StaffEntryForm(SubmitForm):
    """Entry on someone's behalf (phone, counter, e-mail): every kind, contact data optional."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.SIGNAL)
    advice_type = forms.ChoiceField(label=_("Advice"), choices=[("", "–"), *AdviceType.choices[1:]], required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    field_order = ["kind", "advice_type", "subject", "description", "category", "location_text", "lon", "lat", "photo", "name", "email", "phone"]


class TrackingForm(StyledForm):
    code = forms.CharField(label=_("Tracking code"), max_length=20, help_text=_("For example M-7K3Q-9XPD."))


class ReplyForm(StyledForm):
    text = forms.CharField(label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class RouteForm(StyledForm):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), to_field_name="slug")
    category = forms.ChoiceField(label=_("Category"), choices=category_choices, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("name")  # type: ignore[attr-defined]


class TextForm(StyledForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class EscalateForm(StyledForm):
    target = forms.ChoiceField(label=_("Escalate to"), choices=[("", _("The next step")), *EscalationTarget.choices], required=False)
    text = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RoutingRuleForm(StyledForm):
    priority = forms.IntegerField(label=_("Priority"), min_value=0)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=lambda: [("", _("any")), *[(m.slug, m.name_nl) for m in taxonomy.TAXONOMY],
                                                  *[(s.slug, f"– {s.name_nl}") for _m, s in taxonomy.subcategories()]])
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("any")), *Kind.choices], required=False)
    area = forms.CharField(label=_("Area code"), max_length=10, required=False)
    department = forms.ChoiceField(label=_("Department"), choices=lambda: [(d.slug, d.name) for d in Department.objects.order_by("name")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["aria-label"] = str(f.label)


RoutingFormSet = forms.formset_factory(RoutingRuleForm, extra=2, can_delete=True)


class RoutingNoteForm(StyledForm):
    note = forms.CharField(label=_("What changed?"), max_length=300)
