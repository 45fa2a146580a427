"""The rules engine's per-project explanations in the user's language.

The engine (``budgeting.rules``) writes each reason in English as parts joined by ``"; "``.
Each part is matched against the patterns below and rendered through gettext; a part that no
pattern knows is shown as the engine wrote it (a test runs every registered rule and fails when
a part is not matched, so a changed engine text is noticed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

NUM = r"-?\d+(?:\.\d+)?"


def _euro(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    whole = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
    return "€ " + whole.replace(",", "X").replace(".", ",").replace("X", ".")


PATTERNS: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (re.compile(rf"^greedy completion: greedy position (?P<n>\d+): fits, (?P<left>{NUM}) left$"),
     lambda m: _("added when the remaining budget was filled (position %(n)s by votes): it fitted, %(left)s left")
     % {"n": m["n"], "left": _euro(m["left"])}),
    (re.compile(r"^greedy completion: (?P<rest>.+)$"),
     lambda m: _("when the remaining budget was filled: %(rest)s") % {"rest": translate_part(m["rest"])}),
    (re.compile(rf"^greedy position (?P<n>\d+): fits, (?P<left>{NUM}) left$"),
     lambda m: _("position %(n)s by votes: it fitted in the budget, %(left)s left after it")
     % {"n": m["n"], "left": _euro(m["left"])}),
    (re.compile(rf"^fits, (?P<left>{NUM}) left$"),
     lambda m: _("it fitted in the budget, %(left)s left after it") % {"left": _euro(m["left"])}),
    (re.compile(rf"^not enough budget left \((?P<left>{NUM}) < cost (?P<cost>{NUM})\)$"),
     lambda m: _("not enough budget left: %(left)s left, it costs %(cost)s") % {"left": _euro(m["left"]), "cost": _euro(m["cost"])}),
    (re.compile(rf"^not enough budget left \((?P<left>{NUM}) < (?P<cost>{NUM})\)$"),
     lambda m: _("not enough budget left: %(left)s left, %(cost)s needed") % {"left": _euro(m["left"]), "cost": _euro(m["cost"])}),
    (re.compile(r"^stop$"), lambda m: _("the rule stops at the first project that does not fit")),
    (re.compile(r"^not considered: greedy stopped at (?P<p>.+)$"),
     lambda m: _("not considered: the rule stopped at project %(p)s") % {"p": m["p"]}),
    (re.compile(r"^withdrawn \(sentinel cost\)$"), lambda m: _("withdrawn")),
    (re.compile(rf"^below threshold \((?P<s>{NUM}) < (?P<t>{NUM})\)$"),
     lambda m: _("fewer votes than the threshold (%(s)s < %(t)s)") % {"s": m["s"], "t": m["t"]}),
    (re.compile(rf"^bought in round (?P<r>\d+) \(per-voter budget (?P<b>{NUM})\): (?P<n>\d+) supporters paid (?P<pays>.+)$"),
     lambda m: _("chosen in step %(r)s: every voter had %(b)s to spend; its %(n)s supporters paid for it together, "
                 "from %(low)s to %(high)s each")
     % {"r": m["r"], "b": _euro(m["b"]), "n": m["n"], **_payment_range(m["pays"])}),
    (re.compile(r"^no supporters$"), lambda m: _("nobody voted for it")),
    (re.compile(r"^cost is 0 \(no satisfaction\)$"), lambda m: _("it costs nothing, so the rule does not weigh it")),
    (re.compile(r"^not enough budget left: its supporters could no longer pay for it \(from round (?P<r>\d+)\)$"),
     lambda m: _("its supporters no longer had enough money left to pay for it together (from step %(r)s)") % {"r": m["r"]}),
    (re.compile(r"^not bought$"), lambda m: _("other projects gave their supporters more for their money")),
    (re.compile(r"^comparison: (?P<g>\d+) voters prefer greedy over (?P<m>\d+) for equal shares$"),
     lambda m: _("comparison: %(g)s voters are better off with the outcome by most votes, %(m)s with equal shares")
     % {"g": m["g"], "m": m["m"]}),
    (re.compile(r"^in the greedy outcome$"), lambda m: _("in the outcome by most votes")),
    (re.compile(r"^not in the greedy outcome$"), lambda m: _("not in the outcome by most votes")),
    (re.compile(rf"^rank (?P<n>\d+), score (?P<s>{NUM}) = (?P<v>{NUM}) x \(1 \+ (?P<f>\S+) x (?P<p>\d+)% own contribution\)$"),
     lambda m: _("rank %(n)s with score %(s)s: %(v)s votes weighted by %(p)s%% own contribution (factor %(f)s)")
     % {"n": m["n"], "s": m["s"], "v": m["v"], "p": m["p"], "f": m["f"]}),
    (re.compile(rf"^charged (?P<c>{NUM})$"), lambda m: _("the budget pays %(c)s") % {"c": _euro(m["c"])}),
]


def _payment_range(text: str) -> dict[str, str]:
    amounts = []
    for item in text.split(", "):
        _count, _x, amount = item.partition(" x ")
        try:
            amounts.append(float(amount))
        except ValueError:
            continue
    if not amounts:
        return {"low": "?", "high": "?"}
    return {"low": _euro(f"{min(amounts):.2f}"), "high": _euro(f"{max(amounts):.2f}")}


def match_part(part: str) -> str | None:
    for pattern, render in PATTERNS:
        m = pattern.match(part)
        if m:
            return render(m.groupdict())
    return None


def translate_part(part: str) -> str:
    found = match_part(part)
    return found if found is not None else part


def split(reason: str) -> list[str]:
    return [p for p in reason.split("; ") if p]


def translate(reason: str) -> str:
    if not reason:
        return ""
    return "; ".join(translate_part(p) for p in split(reason))


@dataclass(frozen=True)
class Payment:
    amount: str
    voters: int
    total: str


def payments(rows: list[list[object]]) -> list[Payment]:
    """Aggregated payments of a project's supporters (MES): amount per voter, how many, subtotal."""
    out = []
    for amount, voters in rows:
        try:
            subtotal = _euro(f"{float(str(amount)) * int(str(voters)):.2f}")
        except ValueError:
            subtotal = ""
        out.append(Payment(amount=_euro(str(amount)), voters=int(str(voters)), total=subtotal))
    return out
