"""Ballot validation and the pabulib text of a round (pure Python: no Django).

A ballot is a list of ``(project_id, value)``: for approval the value is 1, for cumulative the
points given, for ordinal the rank (1 = first choice). :func:`validate` names every problem in
English message ids that the caller translates.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BallotSpec:
    ballot_type: str  # approval | cumulative | ordinal
    projects: frozenset[str]
    min_choices: int = 1
    max_choices: int | None = None
    total_points: int | None = None


@dataclass
class BallotProblem:
    code: str  # machine-readable: unknown_project, too_few, too_many, points_total, rank_order, ...
    params: dict[str, object] = field(default_factory=dict)


def validate(spec: BallotSpec, choices: list[tuple[str, int]]) -> list[BallotProblem]:
    problems: list[BallotProblem] = []
    seen: set[str] = set()
    for pid, value in choices:
        if pid not in spec.projects:
            problems.append(BallotProblem("unknown_project", {"project": pid}))
        if pid in seen:
            problems.append(BallotProblem("duplicate_project", {"project": pid}))
        seen.add(pid)
        if value < 0 or (spec.ballot_type == "approval" and value != 1):
            problems.append(BallotProblem("bad_value", {"project": pid}))
    chosen = [(p, v) for p, v in choices if v > 0]
    n = len(chosen)
    if n < spec.min_choices:
        problems.append(BallotProblem("too_few", {"min": spec.min_choices}))
    if spec.max_choices is not None and n > spec.max_choices:
        problems.append(BallotProblem("too_many", {"max": spec.max_choices}))
    if spec.ballot_type == "cumulative":
        total = sum(v for _, v in chosen)
        limit = spec.total_points or 0
        if total > limit:
            problems.append(BallotProblem("points_total", {"total": total, "max": limit}))
    if spec.ballot_type == "ordinal":
        ranks = sorted(v for _, v in chosen)
        if ranks != list(range(1, n + 1)):
            problems.append(BallotProblem("rank_order", {"n": n}))
    return problems


def normalise(spec: BallotSpec, choices: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Drop zero entries; order ordinal ballots by rank and others by project id."""
    chosen = [(p, v) for p, v in choices if v > 0]
    if spec.ballot_type == "ordinal":
        return sorted(chosen, key=lambda c: c[1])
    return sorted(chosen, key=lambda c: _natural(c[0]))


def _natural(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (1 << 62, text)


def pb_text(
    *,
    meta: dict[str, str],
    projects: list[dict[str, str]],
    ballot_type: str,
    ballots: list[list[tuple[str, int]]],
) -> str:
    """The pabulib ``.pb`` text: META (as given), PROJECTS (columns of the first row), VOTES.

    Ballots are normalised lists; ordinal ballots are written in rank order, cumulative ballots
    with a points column. Voter ids are 1..n in the order given.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    header = list(projects[0]) if projects else ["project_id", "cost"]
    writer.writerow(header)
    for row in projects:
        writer.writerow([row[h] for h in header])
    out.write("VOTES\n")
    points = ballot_type == "cumulative"
    writer.writerow(["voter_id", "vote", "points"] if points else ["voter_id", "vote"])
    for i, ballot in enumerate(ballots, start=1):
        vote = ",".join(p for p, _ in ballot)
        if points:
            writer.writerow([str(i), vote, ",".join(str(v) for _, v in ballot)])
        else:
            writer.writerow([str(i), vote])
    return out.getvalue()
