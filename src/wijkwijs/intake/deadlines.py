"""Working-day arithmetic for Dutch municipalities (pure, no Django).

Conventions:

* **Working day**: Monday to Friday, unless the date is a holiday of the
  :class:`HolidayPolicy` or one of its ``extra_closed_days`` (bridge days,
  local closing days).
* **Holidays**: the dates come from ``holidays.country_holidays("NL")``; which of them
  count is explicit in :class:`HolidayPolicy`. The default follows the
  Algemene termijnenwet, art. 3 (New Year, Good Friday by art. 3(2), Easter
  Monday, King's Day, Ascension, Whit Monday, Christmas 25 and 26, and 5 May
  every year); the cao Gemeenten (2023, art. 6.6) also makes 5 May a yearly
  day off. Municipalities that still give 5 May only in lustrum years
  (2020, 2025, ...) set ``liberation_day="lustrum"``.
* **Receipt**: an item received on a working day before ``workday_end``
  (default 17:00, Europe/Amsterdam) is received that day. An item received
  after that time or on a non-working day counts as received on the next
  working day.
* **Deadline**: ``add_working_days(start, n)`` is the end (23:59:59 local
  time) of the n-th working day after the effective receipt day. With n = 0
  it is the end of the receipt day itself. So a signal received on Monday
  10:00 with a 3-day norm is due at the end of Thursday.
* **Pauses** (clock stopped while waiting for the submitter), the rule of
  Awb art. 4:15: a pause from day S to day E suspends the clock on the working
  days strictly after S and strictly before E; each such day is added back to
  the deadline. Partial days never count: a pause that starts and ends on the
  same day, or on consecutive working days, adds nothing. An open pause
  (end ``None``) is treated as ending at ``now``: the result is the deadline
  if the submitter answered now, and it moves on by a day for every working
  day the pause lasts. Pauses that start after the (already extended)
  deadline do not extend it: the item was already late.

All datetimes must be timezone-aware; results are in Europe/Amsterdam.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
END_OF_DAY = time(23, 59, 59)

LiberationDayRule = Literal["yearly", "lustrum", "never"]

# Names as ``holidays.Netherlands(language="en_US")`` spells them, mapped to our keys.
_LIBRARY_NAMES: dict[str, str] = {
    "New Year's Day": "new_year",
    "Good Friday": "good_friday",
    "Easter Monday": "easter_monday",
    "King's Day": "kings_day",
    "Queen's Day": "kings_day",
    "Liberation Day": "liberation_day",
    "Ascension Day": "ascension",
    "Pentecost Monday": "whit_monday",
    "Whit Monday": "whit_monday",
    "Christmas Day": "christmas",
    "Second Day of Christmas": "christmas_2",
}

# Every year must yield these keys (Liberation Day we place ourselves: it is fixed).
REQUIRED_KEYS: frozenset[str] = frozenset(
    {
        "new_year",
        "good_friday",
        "easter_monday",
        "kings_day",
        "ascension",
        "whit_monday",
        "christmas",
        "christmas_2",
    }
)


class HolidayDataError(RuntimeError):
    """The holidays library did not return a holiday we rely on."""


@dataclass(frozen=True)
class HolidayPolicy:
    """Which Dutch holidays are non-working days, and the working-day end."""

    good_friday: bool = True
    liberation_day: LiberationDayRule = "yearly"
    extra_closed_days: frozenset[date] = field(default_factory=frozenset)
    workday_end: time = time(17, 0)

    def includes(self, key: str, year: int) -> bool:
        if key == "good_friday":
            return self.good_friday
        if key == "liberation_day":
            if self.liberation_day == "yearly":
                return True
            if self.liberation_day == "lustrum":
                return year % 5 == 0
            return False
        return key in REQUIRED_KEYS


DEFAULT_POLICY = HolidayPolicy()
#: Policy of many private-sector collective agreements and older municipal practice.
LUSTRUM_POLICY = HolidayPolicy(liberation_day="lustrum")


@lru_cache(maxsize=256)
def dutch_holidays(year: int) -> dict[date, frozenset[str]]:
    """All candidate holidays of ``year`` as {date: keys}, before any policy.

    A date can carry two keys (Ascension fell on 5 May in 2005 and 2016).
    Raises :class:`HolidayDataError` if the library misses one we rely on,
    so a change in the ``holidays`` package shows up as a failing test.
    """
    calendar = holidays.country_holidays("NL", years=year, categories=("public", "optional"), language="en_US")
    found: dict[date, set[str]] = {}
    for day, names in calendar.items():
        for name in str(names).split(";"):
            key = _LIBRARY_NAMES.get(name.strip())
            if key is not None and key != "liberation_day":
                found.setdefault(day, set()).add(key)
    missing = REQUIRED_KEYS - {key for keys in found.values() for key in keys}
    if missing:
        raise HolidayDataError(f"holidays.Netherlands({year}) lacks {sorted(missing)}")
    # 5 May is fixed; the library only lists it in some years and categories.
    found.setdefault(date(year, 5, 5), set()).add("liberation_day")
    return {day: frozenset(keys) for day, keys in found.items()}


def holidays_for(year: int, *, policy: HolidayPolicy = DEFAULT_POLICY) -> dict[date, frozenset[str]]:
    """The holidays that are non-working days in ``year`` under ``policy``."""
    result: dict[date, frozenset[str]] = {}
    for day, keys in dutch_holidays(year).items():
        included = frozenset(k for k in keys if policy.includes(k, year))
        if included:
            result[day] = included
    return result


def is_working_day(day: date | datetime, *, policy: HolidayPolicy = DEFAULT_POLICY) -> bool:
    """True for Monday to Friday that is no holiday and no extra closed day."""
    if isinstance(day, datetime):
        day = _local(day).date()
    if day.weekday() >= 5 or day in policy.extra_closed_days:
        return False
    keys = dutch_holidays(day.year).get(day, frozenset())
    return not any(policy.includes(key, day.year) for key in keys)


def next_working_day(day: date, *, policy: HolidayPolicy = DEFAULT_POLICY) -> date:
    """The first working day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day, policy=policy):
        day += timedelta(days=1)
    return day


def receipt_day(received: datetime, *, policy: HolidayPolicy = DEFAULT_POLICY) -> date:
    """The working day from which an item received at ``received`` counts."""
    local = _local(received)
    day = local.date()
    if is_working_day(day, policy=policy) and local.time() < policy.workday_end:
        return day
    return next_working_day(day, policy=policy)


def add_working_days(start: datetime, days: int, *, policy: HolidayPolicy = DEFAULT_POLICY) -> datetime:
    """Deadline: end of the ``days``-th working day after the receipt day."""
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    return _end_of(_shift(receipt_day(start, policy=policy), days, policy=policy))


def working_days_between(a: date | datetime, b: date | datetime, *, policy: HolidayPolicy = DEFAULT_POLICY) -> int:
    """Working days d with a < d <= b (by local date); negative when b < a.

    Friday to Monday is 1; the same day is 0. For an item received on a
    working day before ``workday_end``,
    ``working_days_between(start, add_working_days(start, n)) == n``.
    """
    first, last = _as_date(a), _as_date(b)
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    count = 0
    day = first + timedelta(days=1)
    while day <= last:
        if is_working_day(day, policy=policy):
            count += 1
        day += timedelta(days=1)
    return sign * count


Pause = tuple[datetime, datetime | None]


def paused_working_days(pause_start: datetime, pause_end: datetime, *, policy: HolidayPolicy = DEFAULT_POLICY) -> int:
    """Working days strictly between the local dates of start and end (Awb 4:15)."""
    _require_aware(pause_start, pause_end)
    between = working_days_between(pause_start, pause_end, policy=policy)
    return max(0, between - _wd(pause_end, policy))


def deadline_with_pauses(
    start: datetime,
    days: int,
    pauses: Sequence[Pause],
    *,
    now: datetime | None = None,
    policy: HolidayPolicy = DEFAULT_POLICY,
) -> datetime:
    """Deadline of ``add_working_days(start, days)`` extended by the paused working days.

    Pauses may overlap and come in any order; they are merged first. A pause
    still open (end ``None``) needs ``now`` and counts as ending at ``now``.
    Parts of a pause before ``start`` are ignored.
    """
    _require_aware(start)
    intervals: list[tuple[datetime, datetime]] = []
    for p_start, p_end in pauses:
        if p_end is None:
            if now is None:
                raise ValueError("an open pause needs `now`")
            p_end = now
        _require_aware(p_start, p_end)
        if p_end < p_start:
            raise ValueError(f"pause ends ({p_end}) before it starts ({p_start})")
        p_start = max(p_start, start)
        if p_end > p_start:
            intervals.append((p_start, p_end))
    deadline_day = _shift(receipt_day(start, policy=policy), days, policy=policy)
    for p_start, p_end in _merge(intervals):
        if _local(p_start).date() > deadline_day:
            break
        extra = paused_working_days(p_start, p_end, policy=policy)
        deadline_day = _shift(deadline_day, extra, policy=policy)
    return _end_of(deadline_day)


def _merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for p_start, p_end in sorted(intervals):
        if merged and p_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], p_end))
        else:
            merged.append((p_start, p_end))
    return merged


def _shift(day: date, days: int, *, policy: HolidayPolicy) -> date:
    for _ in range(days):
        day = next_working_day(day, policy=policy)
    return day


def _wd(moment: datetime, policy: HolidayPolicy) -> int:
    return 1 if is_working_day(_local(moment).date(), policy=policy) else 0


def _end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=AMSTERDAM)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return _local(value).date()
    return value


def _local(moment: datetime) -> datetime:
    _require_aware(moment)
    return moment.astimezone(AMSTERDAM)


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r}: pass an aware datetime")
