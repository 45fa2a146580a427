"""Rule registry, result types and the utility profile shared by all rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

import numpy as np

from wijkwijs.budgeting.rules.pabulib_io import PBInstance


@dataclass
class ProjectExplanation:
    project_id: str
    selected: bool
    reason: str
    score: str = ""
    round: int | None = None
    payers: int | None = None
    payments: list[tuple[str, int]] = field(default_factory=list)  # (amount, voters)


@dataclass
class RuleResult:
    rule: str
    selected: list[str]
    total_cost: Fraction
    explanations: dict[str, ProjectExplanation] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        cost = self.total_cost
        return {
            "rule": self.rule,
            "selected": list(self.selected),
            "total_cost": int(cost) if cost.denominator == 1 else float(cost),
        }


class Rule(Protocol):
    def __call__(self, instance: PBInstance, **params: Any) -> RuleResult: ...


RULES: dict[str, Rule] = {}


def register(name: str) -> Callable[[Rule], Rule]:
    def decorate(func: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        RULES[name] = func
        return func

    return decorate


def natural_key(text: str) -> list[Any]:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p]


def natural_sorted(ids: list[str]) -> list[str]:
    return sorted(ids, key=natural_key)


def fmt_money(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}"


def fmt_scaled(num: int, scale: int) -> str:
    """:func:`fmt_money` of ``num / scale`` without building the fraction (integer true
    division is correctly rounded, as ``float(Fraction)`` is, so the text is the same)."""
    return str(num // scale) if num % scale == 0 else f"{num / scale:.2f}"


_FLOAT_OK = 2**1000  # numerators and scales below this convert to float without overflow


def fmt_scaled_many(nums: list[int], scale: int) -> list[str]:
    """``[fmt_scaled(a, scale) for a in nums]``, vectorised (the same text).

    Every amount goes through floats once: ``y = float(a) / float(scale)`` is within
    ``4 u |a / scale|`` (``u = 2**-53``) of the correctly rounded ``a / scale`` that
    :func:`fmt_scaled` formats. Where ``100 y`` is clearly away from every half cent
    (relative gap above ``1e-11``, far beyond that error), both round to the same cent ``k``
    (``rint(100 y)``), and no whole-number amount can be there, so the text is
    ``k // 100 . k % 100``; amounts near a half cent or a whole number, negative, huge, or
    with integers too large for floats are formatted one by one by :func:`fmt_scaled`."""
    k = len(nums)
    if k == 0:
        return []
    if k < 8 or scale >= _FLOAT_OK or max(nums) >= _FLOAT_OK or min(nums) < 0:
        return [fmt_scaled(a, scale) for a in nums]
    y = np.array(nums, dtype=np.float64) / float(scale)
    t = y * 100.0
    cents = np.rint(t)
    frac = t - np.floor(t)
    tol = 1e-11 * np.maximum(t, 1.0)
    safe = (np.abs(frac - 0.5) > tol) & (np.abs(t - 100.0 * np.rint(y)) > tol) & (t < 2.0**52)
    whole, part = np.divmod(np.where(safe, cents, 0.0).astype(np.int64), 100)
    flat = np.empty(2 * k, dtype=np.int64)
    flat[0::2] = whole
    flat[1::2] = part
    out = ("%d.%02d\0" * k % tuple(flat.tolist())).split("\0")
    out.pop()
    if not safe.all():
        for i in np.flatnonzero(~safe).tolist():
            out[i] = fmt_scaled(nums[i], scale)
    return out


@dataclass
class Profile:
    """Per-voter weights: approval 1, cumulative/scoring points, ordinal ``L - rank``.

    ``weights`` are integers; the real weight is ``weights / scale``. The satisfaction
    pabutools' PLAIN measures use is ``weight * cost``, the cost-aware one ``weight``.
    """

    n_voters: int
    voter_of: np.ndarray  # voter index per ballot entry
    proj: np.ndarray  # project index per ballot entry
    weights: np.ndarray  # int64 per ballot entry
    scale: int
    totals: list[int]  # per project: sum of weights (pabutools' total satisfaction / cost)
    supporters: list[np.ndarray]  # per project: voters with weight > 0
    support_weights: list[np.ndarray]  # matching weights


def entry_weights(instance: PBInstance) -> tuple[np.ndarray, int]:
    """Integer weight of every ballot entry (in ``ballot_proj`` order) and the scale."""
    ptr = instance.ballot_ptr
    lengths = np.diff(ptr)
    scale = 1
    if instance.vote_type in ("cumulative", "scoring"):
        assert instance.ballot_points is not None
        weights = instance.ballot_points.astype(np.int64)
        scale = instance.points_scale
    elif instance.vote_type == "ordinal":
        raw = instance.meta.get("max_length", "").strip()
        top = int(raw) if raw and raw.lower() != "none" else instance.num_projects
        rank = np.arange(len(instance.ballot_proj), dtype=np.int64) - np.repeat(ptr[:-1], lengths)
        weights = top - rank
    else:
        weights = np.ones(len(instance.ballot_proj), dtype=np.int64)
    return weights, scale


def project_totals(instance: PBInstance) -> tuple[list[int], int]:
    """Per project the sum of weights (what greedy ranks by), and the scale; no supporter
    lists (cheap: one ``bincount``)."""
    weights, scale = entry_weights(instance)
    totals = np.bincount(instance.ballot_proj, weights=weights, minlength=instance.num_projects)
    return [int(t) for t in totals], scale  # float sums of integers: exact below 2**53


def build_profile(instance: PBInstance) -> Profile:
    ptr = instance.ballot_ptr
    n = instance.num_voters
    lengths = np.diff(ptr)
    voter_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    proj = instance.ballot_proj.astype(np.int64)
    weights, scale = entry_weights(instance)
    m = instance.num_projects
    totals_arr = np.bincount(proj, weights=weights, minlength=m)  # exact below 2**53
    positive = weights > 0
    order = np.argsort(proj[positive], kind="stable")
    sup_v = voter_of[positive][order]
    sup_w = weights[positive][order]
    counts = np.bincount(proj[positive], minlength=m)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    supporters = [sup_v[bounds[j] : bounds[j + 1]] for j in range(m)]
    support_weights = [sup_w[bounds[j] : bounds[j + 1]] for j in range(m)]
    return Profile(
        n_voters=n,
        voter_of=voter_of,
        proj=proj,
        weights=weights,
        scale=scale,
        totals=[int(t) for t in totals_arr],
        supporters=supporters,
        support_weights=support_weights,
    )


def make_result(
    rule: str,
    instance: PBInstance,
    chosen: list[int],
    explanations: dict[str, ProjectExplanation],
    details: dict[str, Any] | None = None,
) -> RuleResult:
    ids = [instance.project_ids[j] for j in chosen]
    total = sum((instance.costs[j] for j in chosen), Fraction(0))
    return RuleResult(
        rule=rule,
        selected=natural_sorted(ids),
        total_cost=total,
        explanations=explanations,
        details=details or {},
    )
