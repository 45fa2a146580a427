"""Reading and writing the pabulib ``.pb`` format (META, PROJECTS, VOTES).

Pure Python + NumPy. Ballots are kept in a compact CSR layout: ``ballot_ptr`` (one offset
per voter), ``ballot_proj`` (project index per entry, in ballot order) and, for
cumulative/scoring ballots, ``ballot_points`` (integer points scaled by ``points_scale``,
so fractional points stay exact).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
POINT_TYPES = ("cumulative", "scoring")
SECTIONS = ("meta", "projects", "votes")


class PabulibFormatError(ValueError):
    """A ``.pb`` file that cannot be read; ``line`` is 1-based (0 when unknown)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def parse_number(text: str) -> Fraction:
    """Parse a pabulib number exactly (``,`` accepted as decimal separator, like pabutools)."""
    return Fraction(text.strip().replace(",", "."))


def format_number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den == 1:  # finite decimal expansion
        digits = max(twos, fives)
        scaled = value * 10**digits
        sign = "-" if scaled < 0 else ""
        whole = str(abs(scaled.numerator))
        whole = whole.rjust(digits + 1, "0")
        return f"{sign}{whole[:-digits]}.{whole[-digits:]}"
    return f"{value.numerator}/{value.denominator}"


@dataclass(eq=False)
class PBInstance:
    """A parsed pabulib instance; projects and voters keep file order."""

    meta: dict[str, str]
    project_header: list[str]
    project_ids: list[str]
    project_rows: list[dict[str, str]]  # raw values per column, as in the file
    costs: list[Fraction]
    budget: Fraction
    vote_type: str
    vote_header: list[str]
    voter_ids: list[str]
    voter_extra: list[list[str]]  # raw values of the other VOTES columns, per voter
    ballot_ptr: np.ndarray
    ballot_proj: np.ndarray
    ballot_points: np.ndarray | None = None
    points_scale: int = 1
    project_index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.project_index:
            self.project_index = {pid: i for i, pid in enumerate(self.project_ids)}

    @property
    def num_projects(self) -> int:
        return len(self.project_ids)

    @property
    def num_voters(self) -> int:
        return len(self.voter_ids)

    def extra_columns(self) -> list[str]:
        return [h for h in self.vote_header if h not in ("voter_id", "vote", "points")]

    def ballot(self, voter: int) -> list[str]:
        lo, hi = self.ballot_ptr[voter], self.ballot_ptr[voter + 1]
        return [self.project_ids[j] for j in self.ballot_proj[lo:hi]]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PBInstance):
            return NotImplemented
        same_points = (self.ballot_points is None) == (other.ballot_points is None)
        if same_points and self.ballot_points is not None and other.ballot_points is not None:
            mine = [Fraction(int(x), self.points_scale) for x in self.ballot_points]
            theirs = [Fraction(int(x), other.points_scale) for x in other.ballot_points]
            same_points = mine == theirs
        return (
            same_points
            and self.meta == other.meta
            and self.project_header == other.project_header
            and self.project_ids == other.project_ids
            and self.project_rows == other.project_rows
            and self.costs == other.costs
            and self.budget == other.budget
            and self.vote_type == other.vote_type
            and self.vote_header == other.vote_header
            and self.voter_ids == other.voter_ids
            and self.voter_extra == other.voter_extra
            and np.array_equal(self.ballot_ptr, other.ballot_ptr)
            and np.array_equal(self.ballot_proj, other.ballot_proj)
        )

    __hash__ = None  # type: ignore[assignment]


def read_pb(path: str | Path) -> PBInstance:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return parse_pb(handle.read())


def parse_pb(text: str) -> PBInstance:
    """Parse the text of a ``.pb`` file; raises :class:`PabulibFormatError` naming the line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    meta: dict[str, str] = {}
    project_header: list[str] = []
    project_ids: list[str] = []
    project_rows: list[dict[str, str]] = []
    costs: list[Fraction] = []
    seen_sections: list[str] = []
    seen_ids: set[str] = set()
    meta_lines: dict[str, int] = {}
    section = ""
    header: list[str] = []
    index: dict[str, int] = {}
    vote_header: list[str] = []
    voter_ids: list[str] = []
    voter_extra: list[list[str]] = []
    ptr: list[int] = [0]
    entries: list[int] = []
    points: list[Fraction] = []
    vote_col = points_col = -1
    extra_cols: list[int] = []
    vote_type = ""
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        first = row[0].strip().lower()
        if len(row) == 1 and first in SECTIONS:
            expected = SECTIONS[len(seen_sections)] if len(seen_sections) < 3 else None
            if first != expected:
                raise PabulibFormatError(
                    line, f"section {first.upper()} out of order (expected {str(expected).upper()})"
                )
            seen_sections.append(first)
            section = first
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise PabulibFormatError(line + 1, f"section {first.upper()} has no header") from None
            line = reader.line_num
            if section == "projects":
                vote_type = _check_meta(meta, meta_lines, line)
                if header[:1] != ["project_id"] or "cost" not in header:
                    raise PabulibFormatError(
                        line, "PROJECTS header must start with project_id and contain cost"
                    )
                project_header = header
            elif section == "votes":
                if header[:1] != ["voter_id"] or "vote" not in header:
                    raise PabulibFormatError(
                        line, "VOTES header must start with voter_id and contain vote"
                    )
                vote_header = header
                vote_col = header.index("vote")
                points_col = header.index("points") if "points" in header else -1
                if vote_type in POINT_TYPES and points_col < 0:
                    raise PabulibFormatError(line, f"{vote_type} votes need a points column")
                if vote_type in ("approval", "choose-1") and points_col >= 0:
                    raise PabulibFormatError(line, f"{vote_type} votes must not have points")
                extra_cols = [i for i in range(len(header)) if i not in (0, vote_col, points_col)]
                index = {pid: i for i, pid in enumerate(project_ids)}
            continue
        if section == "":
            raise PabulibFormatError(line, "file must start with a META section")
        if len(row) != len(header):
            raise PabulibFormatError(
                line, f"{section.upper()} row has {len(row)} fields, header has {len(header)}"
            )
        if section == "meta":
            key = row[0].strip()
            if key in meta:
                raise PabulibFormatError(line, f"duplicate META key {key!r}")
            meta[key] = row[1].strip()
            meta_lines[key] = line
        elif section == "projects":
            values = {h: v.strip() for h, v in zip(header, row, strict=True)}
            pid = values["project_id"]
            if not pid:
                raise PabulibFormatError(line, "empty project_id")
            if pid in seen_ids:
                raise PabulibFormatError(line, f"duplicate project_id {pid!r}")
            try:
                cost = parse_number(values["cost"])
            except (ValueError, ZeroDivisionError):
                raise PabulibFormatError(line, f"cost {values['cost']!r} is not a number") from None
            if cost < 0:
                raise PabulibFormatError(line, f"negative cost {values['cost']!r}")
            project_ids.append(pid)
            seen_ids.add(pid)
            project_rows.append(values)
            costs.append(cost)
        else:
            _parse_vote_row(row, line, index, vote_type, vote_col, points_col, entries, points)
            voter_ids.append(row[0].strip())
            voter_extra.append([row[i].strip() for i in extra_cols])
            ptr.append(len(entries))
    if len(seen_sections) < 3:
        missing = SECTIONS[len(seen_sections)].upper()
        raise PabulibFormatError(reader.line_num, f"missing section {missing}")
    budget = parse_number(meta["budget"])
    ballot_points = None
    scale = 1
    if vote_type in POINT_TYPES:
        scale = math.lcm(1, *{p.denominator for p in points})
        ballot_points = np.array([int(p * scale) for p in points], dtype=np.int64)
    return PBInstance(
        meta=meta,
        project_header=project_header,
        project_ids=project_ids,
        project_rows=project_rows,
        costs=costs,
        budget=budget,
        vote_type=vote_type,
        vote_header=vote_header,
        voter_ids=voter_ids,
        voter_extra=voter_extra,
        ballot_ptr=np.array(ptr, dtype=np.int64),
        ballot_proj=np.array(entries, dtype=np.int32),
        ballot_points=ballot_points,
        points_scale=scale,
    )


def _check_meta(meta: dict[str, str], meta_lines: dict[str, int], line: int) -> str:
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibFormatError(line, f"META lacks required key {key!r}")
    try:
        budget = parse_number(meta["budget"])
    except (ValueError, ZeroDivisionError):
        raise PabulibFormatError(
            meta_lines["budget"], f"META budget {meta['budget']!r} is not a number"
        ) from None
    if budget < 0:
        raise PabulibFormatError(meta_lines["budget"], "META budget is negative")
    vote_type = meta["vote_type"]
    if vote_type not in VOTE_TYPES:
        raise PabulibFormatError(meta_lines["vote_type"], f"unknown vote_type {vote_type!r}")
    return vote_type


def _parse_vote_row(
    row: list[str],
    line: int,
    index: dict[str, int],
    vote_type: str,
    vote_col: int,
    points_col: int,
    entries: list[int],
    points: list[Fraction],
) -> None:
    raw = row[vote_col].strip()
    names = [n.strip() for n in raw.split(",")] if raw and raw.lower() != "none" else []
    start = len(entries)
    for name in names:
        if not name:
            raise PabulibFormatError(line, "empty project id in vote")
        j = index.get(name)
        if j is None:
            raise PabulibFormatError(line, f"vote names unknown project {name!r}")
        entries.append(j)
    if len(set(entries[start:])) != len(names):
        raise PabulibFormatError(line, "vote names a project twice")
    if vote_type == "choose-1" and len(names) > 1:
        raise PabulibFormatError(line, "choose-1 vote names more than one project")
    if vote_type in POINT_TYPES:
        praw = row[points_col].strip()
        plist = [p.strip() for p in praw.split(",")] if praw and praw.lower() != "none" else []
        if len(plist) != len(names):
            raise PabulibFormatError(
                line, f"vote has {len(names)} projects but {len(plist)} points"
            )
        for p in plist:
            try:
                value = Fraction(int(p)) if p.isdigit() else parse_number(p)
            except (ValueError, ZeroDivisionError):
                raise PabulibFormatError(line, f"points value {p!r} is not a number") from None
            if vote_type == "cumulative" and value < 0:
                raise PabulibFormatError(line, f"negative points {p!r} in a cumulative vote")
            points.append(value)


def write_pb(instance: PBInstance, path: str | Path | None = None) -> str:
    """Serialise ``instance``; returns the text and writes it to ``path`` when given."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in instance.meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    writer.writerow(instance.project_header)
    for values in instance.project_rows:
        writer.writerow([values[h] for h in instance.project_header])
    out.write("VOTES\n")
    writer.writerow(instance.vote_header)
    vote_col = instance.vote_header.index("vote")
    points_col = instance.vote_header.index("points") if "points" in instance.vote_header else -1
    ids = instance.project_ids
    ptr, proj, pts = instance.ballot_ptr, instance.ballot_proj, instance.ballot_points
    for v, voter_id in enumerate(instance.voter_ids):
        lo, hi = int(ptr[v]), int(ptr[v + 1])
        row: list[str] = []
        extra = iter(instance.voter_extra[v])
        for col in range(len(instance.vote_header)):
            if col == 0:
                row.append(voter_id)
            elif col == vote_col:
                row.append(",".join(ids[j] for j in proj[lo:hi]))
            elif col == points_col:
                if pts is None:
                    row.append("")
                else:
                    scale = instance.points_scale
                    row.append(
                        ",".join(format_number(Fraction(int(x), scale)) for x in pts[lo:hi])
                    )
            else:
                row.append(next(extra))
        writer.writerow(row)
    text = out.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
