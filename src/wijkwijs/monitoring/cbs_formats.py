"""Readers for CBS *Kerncijfers wijken en buurten* as CBS publishes them (pure, no Django).

Three formats give the same :class:`Row` records:

* ``odata_csv``: comma-separated, one column per OData key (``AantalInwoners_5``), ``jaar`` column;
* ``statline_csv``: StatLine export, ``;``-separated, Dutch headers
  (``Bevolking/Aantal inwoners (aantal)``) mapped to keys through the CBS data dictionary;
* ``odata_json``: OData ``TypedDataSet`` (``{"value": [...]}``), a cbsodata-style list of records,
  or a dict keyed by area code.

Values are keyed by catalogue key (the OData key without its numeric suffix, see
``catalogue_data``). CBS symbols (85984NED "Verklaring van symbolen"; ``x`` and ``-`` from the
general CBS conventions): ``.`` unknown/unreliable/secret -> None, blank "cannot occur" -> None,
``x`` secret -> None, ``-`` nihil -> 0, ``*``/``**`` provisional -> value kept. The symbol is kept
in ``Row.flags`` so None is never confused with 0.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from wijkwijs.areas.codes import parent_at
from wijkwijs.monitoring.catalogue_data import (
    CBS_SOURCE,
    Dictionary,
    load_dictionary,
    normalise_header,
    strip_suffix,
)

Level = Literal["NL", "GM", "WK", "BU"]
Value = float | int | None
Format = Literal["odata_csv", "statline_csv", "odata_json"]

MISSING = "missing"  # "."  het cijfer is onbekend, onvoldoende betrouwbaar of geheim
NOT_APPLICABLE = "not_applicable"  # blank: het cijfer kan op logische gronden niet voorkomen
SECRET = "secret"  # "x"  geheim  # noqa: S105 - a CBS symbol, not a password
NIL = "nil"  # "-"  nihil: a real zero
PROVISIONAL = "provisional"  # "*" / "**"  (nader) voorlopige cijfers
_SYMBOLS: dict[str, tuple[Value, str]] = {
    ".": (None, MISSING),
    "x": (None, SECRET),
    "X": (None, SECRET),
    "-": (0, NIL),
    "\u2013": (0, NIL),
    "\u2014": (0, NIL),
}

# Wijk and buurt parts may hold letters (Amsterdam since 2023: WK0363AA, BU0363AA01).
_CODE_RE = re.compile(r"^(?:NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
_REGION_TYPES = {"land": "NL", "gemeente": "GM", "wijk": "WK", "buurt": "BU"}
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_PERIOD_COLUMNS = {"jaar", "perioden", "periode", "peiljaar"}
_IGNORED_COLUMNS = {"id"}
_CODE_KEY = "Codering"
_REGION_KEY = "WijkenEnBuurten"


def level_of(code: str) -> Level | None:
    """``GM``/``WK``/``BU``/``NL`` for a well-formed CBS code (after stripping), else None."""
    code = code.strip()
    if not _CODE_RE.match(code):
        return None
    return code[:2]  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Row:
    code: str
    name: str
    level: Level
    parent_code: str | None
    period: str
    values: dict[str, Value]
    attributes: dict[str, str] = field(default_factory=dict)  # text columns: Gemeentenaam, ...
    flags: dict[str, str] = field(default_factory=dict)  # key -> MISSING/SECRET/NIL/...
    source: str = CBS_SOURCE


class ParseError(Exception):
    """One malformed row (or a malformed file when ``line`` is 0 or the header line)."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


class RejectedRowsError(Exception):
    """All rejected rows of a file at once."""

    def __init__(self, errors: list[ParseError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class ParseResult:
    path: str
    format: Format
    rows: list[Row]
    rejects: list[ParseError] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejects

    def raise_for_rejects(self) -> None:
        if self.rejects:
            raise RejectedRowsError(self.rejects)


def parse_cell(text: str, *, comma_decimal: bool = False) -> tuple[Value, str | None]:
    """One CBS cell -> (value, flag). Raises ValueError for anything that is not a number/symbol."""
    s = text.strip()
    if not s:
        return None, NOT_APPLICABLE
    if "_" not in s:
        try:
            return int(s), None
        except ValueError:
            pass
    symbol = _SYMBOLS.get(s)
    if symbol is not None:
        return symbol
    flag = None
    if s.endswith("*"):
        s, flag = s.rstrip("*").strip(), PROVISIONAL
    if comma_decimal and "," in s and "." not in s:
        s = s.replace(",", ".")
    if "_" in s:
        raise ValueError(f"not a number: {text.strip()!r}")
    try:
        number = float(s)
    except ValueError:
        raise ValueError(f"not a number: {text.strip()!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {text.strip()!r}")
    return (int(number) if flag and number.is_integer() and "." not in s else number), flag


def normalise_period(text: str) -> str:
    """``2024``, ``2024JJ00``, ``2024*`` -> ``2024``; other shapes stripped and returned."""
    m = _YEAR_RE.search(text)
    return m.group(1) if m else text.strip()


def period_from_name(path: str | Path) -> str | None:
    m = _YEAR_RE.search(Path(path).name)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- format detection


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(path, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def detect_format(path: str | Path, text: str | None = None) -> Format:
    """Decide the format from the content, not the file name."""
    path = Path(path)
    text = _read_text(path) if text is None else text
    head = text.lstrip()
    if head.startswith(("{", "[")):
        return "odata_json"
    first = head.split("\n", 1)[0]
    if ";" in first:
        return "statline_csv"
    fields = [f.strip() for f in first.split(",")]
    if len(fields) > 1 and all(re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", f) for f in fields if f):
        return "odata_csv"
    raise ParseError(path, 1, "unrecognised format: expected CBS OData CSV, StatLine CSV or JSON")


def read_cbs(
    path: str | Path,
    *,
    period: str | None = None,
    dictionary: Dictionary | None = None,
    align_with: Sequence[Row] | None = None,
) -> ParseResult:
    """Read any supported CBS file; rows plus every rejected row with its line and reason.

    ``align_with``: for a StatLine export without the code column, the rows of another export
    of the same selection; codes are taken by row order and every name must match.
    """
    path = Path(path)
    text = _read_text(path)
    fmt = detect_format(path, text)
    d = dictionary or load_dictionary()
    if fmt == "odata_json":
        return _read_json(path, text, period, d)
    delimiter = ";" if fmt == "statline_csv" else ","
    records = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(records)
    except StopIteration:
        raise ParseError(path, 1, "empty file") from None
    return _read_table(path, fmt, header, records, period=period, d=d, align_with=align_with)


# --------------------------------------------------------------------------- column plans


@dataclass
class _Plan:
    code: int | None = None
    name: int | None = None
    period: int | None = None
    values: list[tuple[int, str]] = field(default_factory=list)
    attributes: list[tuple[int, str]] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _plan_odata(keys: list[str], d: Dictionary) -> _Plan:
    plan = _Plan()
    seen_names: dict[str, int] = {}
    for i, raw in enumerate(keys):
        key = raw.strip()
        name = strip_suffix(key)
        low = key.lower()
        if low in _PERIOD_COLUMNS:
            plan.period = i
        elif low in _IGNORED_COLUMNS:
            continue
        elif name == _CODE_KEY:
            plan.code = i
        elif name == _REGION_KEY:
            plan.name = i
        elif key in d.by_odata_key:
            prop = d.by_odata_key[key]
            (plan.attributes if prop.is_text else plan.values).append((i, prop.key))
        elif name in d.keys_by_name:
            candidates = d.keys_by_name[name]
            k = seen_names.get(name, 0)
            seen_names[name] = k + 1
            if k >= len(candidates):
                plan.unmapped.append(key)
                continue
            target = candidates[k]
            if len(candidates) > 1:
                plan.warnings.append(f"{key}: ambiguous name, mapped by column order to {target}")
            prop = d.by_key[target]
            (plan.attributes if prop.is_text else plan.values).append((i, target))
        elif name != key:
            plan.values.append((i, name))
            plan.warnings.append(f"{key}: not in the {d.table} dictionary, kept as {name}")
        else:
            plan.unmapped.append(key)
    return plan


def _plan_statline(headers: list[str], d: Dictionary) -> _Plan:
    plan = _Plan()
    region = normalise_header(d.region_title)
    for i, raw in enumerate(headers):
        h = normalise_header(raw)
        prop = d.by_header.get(h)
        if h == region:
            plan.name = i
        elif h in _PERIOD_COLUMNS:
            plan.period = i
        elif prop is None:
            plan.unmapped.append(raw.strip())
        elif prop.key == _CODE_KEY:
            plan.code = i
        else:
            (plan.attributes if prop.is_text else plan.values).append((i, prop.key))
    return plan


# --------------------------------------------------------------------------- rows


def _make_row(
    code: str,
    name: str,
    period: str,
    *,
    values: dict[str, Value],
    attributes: dict[str, str],
    flags: dict[str, str],
    problems: list[str],
) -> Row | None:
    level = level_of(code)
    if level is None:
        problems.append(f"unknown code shape {code!r}")
        return None
    region_type = attributes.get("SoortRegio")
    if region_type and _REGION_TYPES.get(region_type.lower()) not in (None, level):
        problems.append(f"SoortRegio {region_type!r} does not match code {code}")
    if problems:
        return None
    if not name and level in ("GM", "NL"):
        name = attributes.get("Gemeentenaam", "") if level == "GM" else "Nederland"
    return Row(code, name, level, parent_at(code, level), period, values, attributes, flags)


def _read_table(
    path: Path,
    fmt: Format,
    header: list[str],
    records: Iterable[list[str]],
    *,
    period: str | None,
    d: Dictionary,
    align_with: Sequence[Row] | None = None,
) -> ParseResult:
    plan = _plan_odata(header, d) if fmt == "odata_csv" else _plan_statline(header, d)
    if plan.code is None and align_with is None:
        wanted = "Codering_<n>" if fmt == "odata_csv" else "Regioaanduiding/Codering (code)"
        raise ParseError(path, 1, f"no area code column ({wanted}); rows cannot be matched to areas")
    file_period = period or period_from_name(path)
    if plan.period is None and file_period is None:
        raise ParseError(path, 1, "no period: no jaar/Perioden column, none in the file name or argument")
    result = ParseResult(str(path), fmt, [], unmapped_columns=plan.unmapped, warnings=plan.warnings)
    comma = fmt == "statline_csv"
    width = len(header)
    seen: set[tuple[str, str]] = set()
    n_data = 0
    for line, rec in enumerate(records, start=2):
        if not rec or (len(rec) == 1 and not rec[0].strip()):
            continue
        n_data += 1
        if len(rec) != width:
            result.rejects.append(ParseError(path, line, f"expected {width} columns, got {len(rec)}"))
            continue
        problems: list[str] = []
        row_period = file_period or ""
        if plan.period is not None:
            row_period = normalise_period(rec[plan.period])
            if period and row_period != period:
                problems.append(f"period {row_period!r} differs from the requested {period!r}")
        values: dict[str, Value] = {}
        flags: dict[str, str] = {}
        for i, key in plan.values:
            cell = rec[i]
            try:  # fast path: a plain integer (int() would also accept "1_000": excluded)
                if "_" not in cell:
                    values[key] = int(cell)
                    continue
            except ValueError:
                pass
            try:
                v, flag = parse_cell(cell, comma_decimal=comma)
            except ValueError as exc:
                problems.append(f"{header[i].strip()}: {exc}")
                continue
            values[key] = v
            if flag:
                flags[key] = flag
        attributes = {key: rec[i].strip() for i, key in plan.attributes}
        name = rec[plan.name].strip() if plan.name is not None else ""
        if plan.code is not None:
            code = rec[plan.code].strip()
        elif align_with is not None and n_data <= len(align_with):
            code = align_with[n_data - 1].code
            if align_with[n_data - 1].name != name:
                problems.append(f"name {name!r} differs from {align_with[n_data - 1].name!r} ({code})")
        else:
            code = ""
            problems.append("more rows than in the file to align with")
        if (code, row_period) in seen:
            problems.append(f"duplicate code {code} for period {row_period}")
        row = _make_row(code, name, row_period, values=values, attributes=attributes, flags=flags, problems=problems)
        if row is None:
            result.rejects.append(ParseError(path, line, "; ".join(problems)))
            continue
        seen.add((code, row_period))
        result.rows.append(row)
    if align_with is not None and plan.code is None and n_data != len(align_with):
        result.rejects.append(ParseError(path, 0, f"{n_data} data rows, but {len(align_with)} rows to align with"))
    return result


def _read_json(path: Path, text: str, period: str | None, d: Dictionary) -> ParseResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
    records: list[tuple[str | None, Any]]
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        records = [(None, r) for r in data["value"]]
    elif isinstance(data, list):
        records = [(None, r) for r in data]
    elif isinstance(data, dict):
        records = list(data.items())  # {"GM0828": {"AantalInwoners_5": ...}, ...}
    else:
        raise ParseError(path, 1, "JSON is neither a list, an OData 'value' list nor a dict of areas")
    file_period = period or period_from_name(path)
    result = ParseResult(str(path), "odata_json", [])
    plans: dict[tuple[str, ...], _Plan] = {}
    seen: set[tuple[str, str]] = set()
    for n, (dict_code, rec) in enumerate(records, start=1):
        if not isinstance(rec, dict):
            result.rejects.append(ParseError(path, n, f"record {n} is not an object"))
            continue
        keys = tuple(rec)
        plan = plans.get(keys)
        if plan is None:
            plan = plans[keys] = _plan_odata(list(keys), d)
            result.unmapped_columns += [k for k in plan.unmapped if k not in result.unmapped_columns]
            result.warnings += [w for w in plan.warnings if w not in result.warnings]
        cells = list(rec.values())
        problems: list[str] = []
        region = str(cells[plan.name]).strip() if plan.name is not None else ""
        code = str(cells[plan.code]).strip() if plan.code is not None else (dict_code or region)
        name = region if region and region != code and level_of(region) is None else ""
        row_period = file_period or ""
        if plan.period is not None:
            row_period = normalise_period(str(cells[plan.period]))
        if not row_period:
            problems.append("no period (no Perioden field, none in the file name or argument)")
        values: dict[str, Value] = {}
        flags: dict[str, str] = {}
        for i, key in plan.values:
            cell = cells[i]
            if cell is None:
                values[key] = None
                flags[key] = MISSING
            elif isinstance(cell, bool) or not isinstance(cell, (int, float, str)):
                problems.append(f"{keys[i]}: not a number: {cell!r}")
            elif isinstance(cell, str):
                try:
                    values[key], flag = parse_cell(cell)
                except ValueError as exc:
                    problems.append(f"{keys[i]}: {exc}")
                    continue
                if flag:
                    flags[key] = flag
            elif isinstance(cell, float) and not math.isfinite(cell):
                problems.append(f"{keys[i]}: not a finite number")
            else:
                values[key] = cell
        attributes = {key: str(cells[i]).strip() for i, key in plan.attributes if cells[i] is not None}
        if (code, row_period) in seen:
            problems.append(f"duplicate code {code} for period {row_period}")
        row = _make_row(code, name, row_period, values=values, attributes=attributes, flags=flags, problems=problems)
        if row is None:
            result.rejects.append(ParseError(path, n, f"record {n}: " + "; ".join(problems)))
            continue
        seen.add((code, row_period))
        result.rows.append(row)
    return result


def rows_by_code(rows: Iterable[Row]) -> dict[str, Row]:
    return {r.code: r for r in rows}


def values_by_code(rows: Iterable[Row]) -> Mapping[str, Mapping[str, Value]]:
    return {r.code: r.values for r in rows}
