"""The monitor's contributions to pages of the area register."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wijkwijs.core import panels
from wijkwijs.monitoring import selectors
from wijkwijs.monitoring.forms import THEMES

KEY_FIGURES = [
    selectors.POPULATION, "Mannen", "Vrouwen", "Woningvoorraad", "Bevolkingsdichtheid", "OppervlakteTotaal",
    *(k for k, _ in selectors.AGE_BANDS), *(k for k, _ in selectors.ORIGIN),
]


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def key_figures_context(request: HttpRequest, area: Any) -> dict[str, Any] | None:
    period = selectors.latest_period()
    if period is None:
        return None
    codes = [area.code]
    municipality = area
    while municipality.parent is not None:
        municipality = municipality.parent
    if municipality.code != area.code:
        codes.append(municipality.code)
    vals = selectors.values(codes, KEY_FIGURES, period)
    own = vals.get(area.code, {})
    ref = vals.get(municipality.code, {})
    pop = own.get(selectors.POPULATION)
    suppressed = selectors.is_suppressed(pop, user=request.user)
    ages = []
    for key, label in selectors.AGE_BANDS:
        share = _share(own.get(key), pop)
        ref_share = _share(ref.get(key), ref.get(selectors.POPULATION))
        ages.append({"label": label, "value": own.get(key), "share": share, "ref_share": ref_share,
                     "width": round((share or 0) * 100 / 0.45, 1)})
    origin_labels = {"nl": _("Netherlands"), "europe": _("Europe (excl. NL)"), "outside_europe": _("Outside Europe")}
    origin = [
        {"label": origin_labels[slug], "value": own.get(key), "share": _share(own.get(key), pop),
         "ref_share": _share(ref.get(key), ref.get(selectors.POPULATION))}
        for key, slug in selectors.ORIGIN
    ]
    return {
        "area": area,
        "period": period,
        "municipality": municipality if municipality.code != area.code else None,
        "population": pop,
        "men": own.get("Mannen"),
        "women": own.get("Vrouwen"),
        "dwellings": own.get("Woningvoorraad"),
        "density": own.get("Bevolkingsdichtheid"),
        "surface": own.get("OppervlakteTotaal"),
        "ages": ages,
        "origin": origin,
        "suppressed": suppressed,
        "credits": selectors.credits(period),
    }


panels.register(panels.Panel(slot="area", name="key_figures", template="monitoring/panel_key_figures.html", context=key_figures_context, order=10))
panels.register_column(panels.Column(name="population", label=_("Inhabitants"), values=selectors.population, order=10))


def impressions_context(request: HttpRequest, area: Any) -> dict[str, Any] | None:
    if not request.user.has_perm("monitoring.view_impressions"):
        return None
    return {
        "area": area,
        "impressions": selectors.impressions_for(area),
        "can_add": request.user.has_perm("monitoring.add_impression"),
        "themes": dict(THEMES),
    }


panels.register(panels.Panel(slot="area", name="impressions", template="monitoring/panel_impressions.html", context=impressions_context, order=20))
