"""Forms of the budget register, the voucher pages and handgeld."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwijs.accounts.models import Department
from wijkwijs.areas.models import Area, Cluster
from wijkwijs.budgeting.money import AmountError, parse_amount
from wijkwijs.budgeting.register_models import BudgetSource, MutationKind
from wijkwijs.core.forms import TEXTBOX_WIDGETS
from wijkwijs.core.forms import StyledForm as BaseStyledForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(BaseStyledForm):
    """Register forms also style the file input of the budget-line import."""

    textbox_widgets = (*TEXTBOX_WIDGETS, forms.ClearableFileInput)


class AmountField(forms.CharField):
    """An amount in euros as people write it: 1.250,00 or 1250.00."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_amount(text)
        except AmountError:
            raise forms.ValidationError(_("Enter an amount in euros, for example 1.250,00.")) from None


def _areas() -> Any:
    return Area.objects.current().exclude(level="GM").order_by("level", "code")


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.code})"


class ClusterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Cluster) -> str:
        return f"{obj.clustering.name}: {obj.name}"


class BudgetLineForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reference = forms.CharField(label=_("Reference"), max_length=40, help_text=_("Budget code in the municipal accounts."))
    title = forms.CharField(label=_("Title"), max_length=200)
    area = AreaChoiceField(label=_("Wijk, buurt or kern"), queryset=Area.objects.none(), required=False,
                           help_text=_("Leave empty for city-wide money or a budget for a cluster."))
    cluster = ClusterChoiceField(label=_("Cluster of areas"), queryset=Cluster.objects.none(), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=BudgetSource.choices)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all())
    amount = AmountField(label=_("Amount (EUR)"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)

    def __init__(self, *args: Any, departments: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()
        self.fields["cluster"].queryset = Cluster.objects.select_related("clustering").order_by("clustering__name", "position")
        if departments is not None:
            self.fields["department"].queryset = departments
        if editing:
            for name in ("year", "reference"):
                self.fields[name].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("area") and data.get("cluster"):
            self.add_error("cluster", _("Tie a budget to an area or to a cluster, not both."))
        return data


class MutationForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MutationKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    amount = AmountField(label=_("Amount (EUR)"), help_text=_("A negative amount corrects an earlier entry."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RegisterImportForm(StyledForm):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "Columns: year, reference, title, area, cluster, source, department, amount, committed, spent, description. "
        "Separator comma or semicolon; a file with any error changes nothing."))
    dry_run = forms.BooleanField(label=_("Only check, do not store"), required=False)


class PledgeForm(StyledForm):
    code = forms.CharField(label=_("Code on your cheque"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
                           help_text=_("12 letters and digits, for example ABCD-EFGH-JKMN."))
    initiative = forms.TypedChoiceField(label=_("Initiative"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, initiatives: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiative"].choices = [(i.pk, f"{i.title} ({i.area.name})") for i in initiatives]


class VoucherPeriodForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    cheque_value = AmountField(label=_("Value per cheque (EUR)"), initial="7,50")
    cheques_per_household = forms.IntegerField(label=_("Cheques per household"), min_value=1, max_value=20, initial=2)


class IssueForm(StyledForm):
    households = forms.IntegerField(label=_("Number of households"), min_value=1, max_value=200_000,
                                    help_text=_("The codes are shown once, as a CSV file for printing the letters; only their hashes are kept."))


class InitiativeForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none())
    target = AmountField(label=_("Target amount (EUR)"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()


class PayOutForm(StyledForm):
    reference = forms.CharField(label=_("Payment reference"), max_length=100)


class HandgeldBudgetForm(StyledForm):
    manager = forms.ModelChoiceField(label=_("Area manager"), queryset=None)  # type: ignore[arg-type]
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = AmountField(label=_("Amount (EUR)"))

    def __init__(self, *args: Any, managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers


class SpendingForm(StyledForm):
    spent_on = forms.DateField(label=_("Date"), widget=DATE)
    amount = AmountField(label=_("Amount (EUR)"), help_text=_("A negative amount corrects an earlier entry."))
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none())
    receipt_reference = forms.CharField(label=_("Receipt reference"), max_length=100,
                                        help_text=_("Number of the receipt or invoice in the financial system."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()
