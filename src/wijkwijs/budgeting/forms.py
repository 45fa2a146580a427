from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwijs.areas.models import Area, Cluster
from wijkwijs.budgeting.models import BallotType, ImplementationStatus, Proposal, ProposalStatus, Round
from wijkwijs.budgeting.rules import RULES
from wijkwijs.core.forms import StyledForm

RULE_LABELS = {
    "greedy": _("Most votes first (greedy)"),
    "mes-add1-greedy": _("Method of Equal Shares, completed by most votes"),
    "equalshares/add1": _("Method of Equal Shares (official, add1)"),
    "venray": _("Venray: votes weighted by own contribution"),
}


def rule_choices() -> list[tuple[str, str]]:
    return [(name, str(RULE_LABELS.get(name, name))) for name in sorted(RULES)]


def _date() -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class RoundForm(StyledForm):
    slug = forms.SlugField(label=_("Code (in the web address)"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False,
                                  help_text=_("A wijk or buurt; or choose a cluster below."))
    cluster = forms.ModelChoiceField(label=_("Cluster of a clustering"), queryset=Cluster.objects.none(), required=False)
    budget = forms.IntegerField(label=_("Budget (euro)"), min_value=1)
    frameworks = forms.CharField(label=_("Frameworks"), widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("What every proposal is reviewed against (public)."))
    ideas_opens = _date()
    ideas_close = _date()
    voting_opens = _date()
    voting_closes = _date()
    results_on = _date()
    ballot_type = forms.ChoiceField(label=_("Ballot"), choices=BallotType.choices)
    min_choices = forms.IntegerField(label=_("Minimum number of projects per ballot"), min_value=1, initial=1)
    max_choices = forms.IntegerField(label=_("Maximum number of projects per ballot"), min_value=1, required=False)
    total_points = forms.IntegerField(label=_("Points per voter (points ballot)"), min_value=1, required=False)
    rule = forms.ChoiceField(label=_("Allocation rule"), choices=rule_choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ideas_opens"].label = _("Ideas open")
        self.fields["ideas_close"].label = _("Ideas close")
        self.fields["voting_opens"].label = _("Voting opens")
        self.fields["voting_closes"].label = _("Voting closes")
        self.fields["results_on"].label = _("Results published")
        self.fields["area"].queryset = Area.objects.current().filter(level__in=["GM", "WK", "BU"]).order_by("level", "code")
        self.fields["cluster"].queryset = Cluster.objects.select_related("clustering").order_by("clustering__name", "position")
        self.fields["cluster"].label_from_instance = lambda c: f"{c.clustering.name}: {c.name}"
        self.fields["area"].label_from_instance = lambda a: f"{a.name} ({a.code})"


class ProposalForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000,
                                  help_text=_("What do you want to do, for whom, and why here?"))
    cost = forms.IntegerField(label=_("Estimated cost (euro)"), min_value=1)
    own_contribution = forms.IntegerField(label=_("Own contribution (euro)"), min_value=0, required=False,
                                          help_text=_("Money or work the proposers bring in themselves."))
    location_text = forms.CharField(label=_("Location description"), max_length=300, required=False,
                                    help_text=_("A street, square or building, if you did not pick a place on the map."))
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(ProposalStatus.ELIGIBLE, _("Eligible")), (ProposalStatus.INELIGIBLE, _("Not eligible"))],
    )
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                                 help_text=_("Against the round's frameworks. The proposer and everyone else read this."))


class CodesForm(StyledForm):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=20000,
                               help_text=_("One per household or per resident entitled to vote."))
    label = forms.CharField(label=_("Label of this batch"), max_length=200, required=False,
                            help_text=_("For example: households Schadewijk, letter of 1 March."))


class CodeForm(StyledForm):
    code = forms.CharField(label=_("Voting code"), max_length=30,
                           help_text=_("The code on your voting letter, like ABCD-EFGH-JKMN."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


class ReceiptForm(StyledForm):
    receipt = forms.CharField(label=_("Receipt code"), max_length=30,
                              help_text=_("The code you got after voting, like R-ABCD-EFGH-JKMN."),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


class ImplementationForm(StyledForm):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    status = forms.ChoiceField(label=_("Status"), choices=ImplementationStatus.choices)
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    spent = forms.IntegerField(label=_("Spent so far (euro)"), min_value=0)


class BallotForm(StyledForm):
    """One field per eligible proposal: a checkbox (approval), points or a rank."""

    code = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, round: Round, proposals: list[Proposal], **kwargs: Any) -> None:  # noqa: A002
        super().__init__(*args, **kwargs)
        self.round = round
        self.proposals = proposals
        for p in proposals:
            name = f"p{p.number}"
            if round.ballot_type == BallotType.APPROVAL:
                self.fields[name] = forms.BooleanField(label=p.title, required=False)
            else:
                self.fields[name] = forms.IntegerField(
                    label=p.title, required=False, min_value=0,
                    max_value=round.total_points if round.ballot_type == BallotType.CUMULATIVE else len(proposals),
                    widget=forms.NumberInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input ww-ballot-number",
                                                    "inputmode": "numeric"}))

    def choices(self) -> list[tuple[str, int]]:
        out = []
        for p in self.proposals:
            value = self.cleaned_data.get(f"p{p.number}")
            if value is True:
                out.append((p.project_id, 1))
            elif isinstance(value, int) and not isinstance(value, bool) and value > 0:
                out.append((p.project_id, value))
        return out

    def rows(self) -> list[tuple[Proposal, Any]]:
        return [(p, self[f"p{p.number}"]) for p in self.proposals]
