from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wijkwijs.intake.deadlines import (
    AMSTERDAM,
    LUSTRUM_POLICY,
    REQUIRED_KEYS,
    HolidayPolicy,
    add_working_days,
    deadline_with_pauses,
    holidays_for,
    is_working_day,
    paused_working_days,
    receipt_day,
    working_days_between,
)


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=AMSTERDAM)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=AMSTERDAM)


# --- the holiday set -----------------------------------------------------------


def test_holiday_set_2024_is_explicit() -> None:
    expected = {
        date(2024, 1, 1): "new_year",
        date(2024, 3, 29): "good_friday",
        date(2024, 4, 1): "easter_monday",
        date(2024, 4, 27): "kings_day",
        date(2024, 5, 5): "liberation_day",
        date(2024, 5, 9): "ascension",
        date(2024, 5, 20): "whit_monday",
        date(2024, 12, 25): "christmas",
        date(2024, 12, 26): "christmas_2",
    }
    assert holidays_for(2024) == {d: frozenset({k}) for d, k in expected.items()}


def test_ascension_on_liberation_day_keeps_both() -> None:
    assert holidays_for(2016)[date(2016, 5, 5)] == {"ascension", "liberation_day"}
    assert not is_working_day(date(2016, 5, 5), policy=HolidayPolicy(liberation_day="never"))


def test_kings_day_moves_to_26_april_when_27_is_a_sunday() -> None:
    for year in (2014, 2025):
        assert date(year, 4, 27).weekday() == 6
        assert holidays_for(year)[date(year, 4, 26)] == {"kings_day"}
        assert date(year, 4, 27) not in holidays_for(year)


def test_queens_day_before_2014_counts_as_kings_day() -> None:
    assert holidays_for(2013)[date(2013, 4, 30)] == {"kings_day"}


def test_kings_day_on_a_weekday_is_skipped() -> None:
    # 27 April 2023 was a Thursday.
    assert not is_working_day(date(2023, 4, 27))
    assert add_working_days(at(2023, 4, 26), 1) == end_of(2023, 4, 28)


def test_every_year_has_all_required_holidays() -> None:
    for year in range(2000, 2041):
        keys = [key for keys in holidays_for(year).values() for key in keys]
        assert sorted(keys) == sorted(REQUIRED_KEYS | {"liberation_day"}), year


# --- is_working_day ------------------------------------------------------------


def test_weekends_and_christmas_are_not_working_days() -> None:
    assert is_working_day(date(2024, 12, 24))
    assert not is_working_day(date(2024, 12, 25))
    assert not is_working_day(date(2024, 12, 26))
    assert is_working_day(date(2024, 12, 27))
    assert not is_working_day(date(2024, 12, 28))
    assert not is_working_day(date(2024, 12, 29))
    assert not is_working_day(date(2025, 1, 1))


def test_is_working_day_uses_local_date_of_an_aware_datetime() -> None:
    # 23:30 UTC on Friday 27 Dec is already Saturday in Amsterdam.
    assert not is_working_day(datetime(2024, 12, 27, 23, 30, tzinfo=UTC))
    assert is_working_day(datetime(2024, 12, 27, 22, 30, tzinfo=UTC))


def test_good_friday_is_configurable() -> None:
    assert not is_working_day(date(2025, 4, 18))
    assert is_working_day(date(2025, 4, 18), policy=HolidayPolicy(good_friday=False))


def test_liberation_day_rules() -> None:
    friday_2023 = date(2023, 5, 5)
    monday_2025 = date(2025, 5, 5)
    assert not is_working_day(friday_2023)
    assert is_working_day(friday_2023, policy=LUSTRUM_POLICY)
    assert not is_working_day(monday_2025, policy=LUSTRUM_POLICY)
    assert is_working_day(monday_2025, policy=HolidayPolicy(liberation_day="never"))


def test_extra_closed_days() -> None:
    bridge = HolidayPolicy(extra_closed_days=frozenset({date(2024, 5, 10)}))
    assert add_working_days(at(2024, 5, 8), 1) == end_of(2024, 5, 10)
    assert add_working_days(at(2024, 5, 8), 1, policy=bridge) == end_of(2024, 5, 13)


# --- add_working_days ----------------------------------------------------------


def test_christmas_and_new_year() -> None:
    assert add_working_days(at(2024, 12, 23), 3) == end_of(2024, 12, 30)
    assert add_working_days(at(2024, 12, 23), 5) == end_of(2025, 1, 2)


def test_easter_good_friday_and_easter_monday() -> None:
    assert add_working_days(at(2025, 4, 17), 1) == end_of(2025, 4, 22)
    no_good_friday = HolidayPolicy(good_friday=False)
    assert add_working_days(at(2025, 4, 17), 1, policy=no_good_friday) == end_of(2025, 4, 18)


def test_ascension_and_whit_monday() -> None:
    assert add_working_days(at(2024, 5, 8, 12), 1) == end_of(2024, 5, 10)
    assert add_working_days(at(2024, 5, 17, 16), 1) == end_of(2024, 5, 21)


def test_after_hours_counts_from_next_working_day() -> None:
    assert add_working_days(at(2024, 5, 17, 17, 30), 1) == end_of(2024, 5, 22)
    assert add_working_days(at(2024, 6, 14, 16, 59), 1) == end_of(2024, 6, 17)
    assert add_working_days(at(2024, 6, 14, 17, 0), 1) == end_of(2024, 6, 18)


def test_weekend_receipt_counts_from_monday() -> None:
    assert receipt_day(at(2024, 6, 15)) == date(2024, 6, 17)
    assert add_working_days(at(2024, 6, 15), 0) == end_of(2024, 6, 17)
    assert add_working_days(at(2024, 6, 16, 23), 3) == end_of(2024, 6, 20)


def test_timezone_conversion_and_aware_output() -> None:
    # 15:30 UTC is 17:30 in summer in Amsterdam: after hours.
    result = add_working_days(datetime(2024, 6, 14, 15, 30, tzinfo=UTC), 1)
    assert result == end_of(2024, 6, 18)
    assert result.tzinfo is AMSTERDAM


def test_naive_and_negative_input_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        add_working_days(datetime(2024, 6, 14, 10), 1)
    with pytest.raises(ValueError):
        add_working_days(at(2024, 6, 14), -1)


# --- working_days_between ------------------------------------------------------


def test_working_days_between() -> None:
    assert working_days_between(date(2024, 6, 14), date(2024, 6, 17)) == 1
    assert working_days_between(date(2024, 12, 24), date(2024, 12, 27)) == 1
    assert working_days_between(date(2024, 6, 17), date(2024, 6, 17)) == 0
    assert working_days_between(date(2024, 6, 21), date(2024, 6, 14)) == -5


def test_between_inverts_add_for_working_hour_receipts() -> None:
    start = at(2024, 1, 1)
    while start < at(2026, 1, 1):
        if is_working_day(start):
            for n in (0, 1, 3, 10, 30):
                assert working_days_between(start, add_working_days(start, n)) == n
        start += timedelta(days=3)


# --- pauses --------------------------------------------------------------------


def test_no_pause_equals_plain_deadline() -> None:
    assert deadline_with_pauses(at(2024, 6, 3), 10, []) == end_of(2024, 6, 17)


def test_pause_adds_back_the_working_days_strictly_inside() -> None:
    pause = (at(2024, 6, 4), at(2024, 6, 7))
    assert paused_working_days(*pause) == 2
    assert deadline_with_pauses(at(2024, 6, 3), 10, [pause]) == end_of(2024, 6, 19)


def test_partial_day_pauses_add_nothing() -> None:
    same_day = (at(2024, 6, 4, 9), at(2024, 6, 4, 16))
    next_day = (at(2024, 6, 4), at(2024, 6, 5))
    over_weekend = (at(2024, 6, 7), at(2024, 6, 10))
    for pause in (same_day, next_day, over_weekend):
        assert deadline_with_pauses(at(2024, 6, 3), 10, [pause]) == end_of(2024, 6, 17)


def test_open_pause_stops_the_clock_now() -> None:
    pauses = [(at(2024, 6, 4), None)]
    assert deadline_with_pauses(at(2024, 6, 3), 10, pauses, now=at(2024, 6, 10, 9)) == end_of(2024, 6, 20)
    later = deadline_with_pauses(at(2024, 6, 3), 10, pauses, now=at(2024, 6, 11, 9))
    assert later == end_of(2024, 6, 21)
    with pytest.raises(ValueError, match="now"):
        deadline_with_pauses(at(2024, 6, 3), 10, pauses)


def test_pause_after_deadline_does_not_extend() -> None:
    pause = (at(2024, 6, 18), at(2024, 6, 25))
    assert deadline_with_pauses(at(2024, 6, 3), 10, [pause]) == end_of(2024, 6, 17)


def test_overlapping_pauses_are_merged() -> None:
    pauses = [(at(2024, 6, 6), at(2024, 6, 12)), (at(2024, 6, 4), at(2024, 6, 7))]
    assert deadline_with_pauses(at(2024, 6, 3), 10, pauses) == end_of(2024, 6, 24)


def test_pause_over_christmas_skips_holidays() -> None:
    assert add_working_days(at(2024, 12, 16), 10) == end_of(2025, 1, 2)
    pause = (at(2024, 12, 20), at(2025, 1, 3))
    assert paused_working_days(*pause) == 6
    assert deadline_with_pauses(at(2024, 12, 16), 10, [pause]) == end_of(2025, 1, 10)


def test_pause_ending_before_it_starts_is_rejected() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        deadline_with_pauses(at(2024, 6, 3), 10, [(at(2024, 6, 7), at(2024, 6, 4))])
